import { PhoneClient } from '../client/phone.ts';
import { indexedDbStore } from '../platform/local-db.ts';
import { browserDevice } from '../platform/device.ts';
import { openBrowserRepo, prepareBrowserRepo } from '../platform/browser-repo.ts';
import { browserPage } from '../platform/page.ts';
import { appInView, showNotification } from '../platform/notifications.ts';
import { workerAgentsRunner } from '../platform/agents-worker-client.ts';
import { webCryptoSignatureCheck } from '../platform/ed25519.ts';
import { t } from './i18n/index.svelte.ts';
import { href } from './routes.ts';
import { app } from './state.svelte.ts';

export { UserError } from '../client/errors.ts';

/**
 * The composition root: the phone's logic (src/client) built with the browser's pieces (src/platform).
 * Screens import `phone` and call the feature module they need: phone.intents.post(…), phone.trust.vouch(…).
 */
export const phone = new PhoneClient(
  {
    relay: { base: '', fetch: (input, init) => fetch(input, init) },
    openRepo: openBrowserRepo,
    prepareRepo: async (wanted) => {
      await prepareBrowserRepo();
      const { warmAutomerge } = await import('../platform/automerge-warmup.ts');
      await warmAutomerge(wanted, browserPage.afterPaint);
    },
    runAgents: workerAgentsRunner(),
    page: browserPage,
    device: browserDevice,
    // A tap on each opens the app where it is about: the alerts, my posts (where answers are confirmed), the conversation.
    notify: (alert) => showNotification(`${t(`alerts.urgency.${alert.urgency}`)} · ${t(`alerts.kind.${alert.kind}`)} · ${alert.area}`, alert.text, alert.id, href('alerts')),
    notifyRequest: (r) => showNotification(t('requests.notifyTitle', { name: r.fromName || t('unknown.person') }), r.note ? `${r.postTitle} — ${r.note}` : r.postTitle, r.proposalId, href('mine')),
    // Who wrote, never what: the lock screen is seen by whoever holds the phone. One per sender (the tag), the newest kept.
    notifyMessage: (m) => (appInView() ? undefined : showNotification(t('messages.notifyTitle', { name: m.fromName || t('unknown.person') }), t('messages.notifyBody'), `message:${m.from}`, href('conversation', { peer: m.from }))),
    signatureCheck: webCryptoSignatureCheck,
  },
  indexedDbStore(),
);

/** Every module's state, copied field by field into the `$state` the screens render (only changed fields). */
for (const store of phone.stores()) {
  let last: Record<string, unknown> = {};
  store.subscribe((next) => {
    const fields = next as Record<string, unknown>;
    for (const [key, value] of Object.entries(fields)) {
      // On a first visit main.ts put the first-run questions up before this code arrived: the session's
      // starting 'loading' must not take them down under the person's fingers (its boot says 'welcome').
      if (key === 'phase' && value === 'loading' && app.phase === 'welcome') continue;
      if (last[key] !== value) (app as unknown as Record<string, unknown>)[key] = value;
    }
    last = fields;
  });
}
