import { mount } from 'svelte';
import App from './app/App.svelte';
import { app } from './app/state.svelte.ts';
import { loadLocale, locale, warmFormats } from './app/i18n/index.svelte.ts';
import { browserPage, WIPE_MARK } from './platform/page.ts';
import { screens } from './app/screen-loader.svelte.ts';
import { loadModule } from './platform/load-module.ts';
import { phoneClient } from './app/phone-client.ts';
import { firstVisit } from './platform/first-visit.ts';
import { reloadOnceForMissingPart } from './platform/part-reload.ts';
import { UserError } from './client/errors.ts';
import { trackHistoryDepth } from './platform/history-depth.ts';
import { watchInstallPrompt } from './platform/install-prompt.ts';
import { reloadAtNextMove } from './platform/app-update.ts';
// Its own small module: the rest of notifications.ts belongs to the phone client's code, not the entry.
import { followNotificationTaps } from './platform/notification-taps.ts';
import './app/global.css';

async function start(): Promise<void> {
  trackHistoryDepth();
  // The chosen language's strings come first: a screen drawn without them would flash message keys.
  // If they cannot be fetched the app still starts (keys instead of words beat a blank page).
  // Meanwhile: is this the browser's first visit? Then the first-run questions go up now, without waiting
  // for the phone client below (its boot would find no identity and show them anyway).
  const [, newcomer] = await Promise.all([loadLocale(locale.current).catch((err: unknown) => console.error(err)), firstVisit()]);
  if (newcomer) {
    app.phase = 'welcome';
    // The first question's code comes alone (a few KB): sharing the link with the phone client's 190 KB,
    // it arrived only with them, over a second later at 2 Mbit/s.
    await screens.load('welcome');
  }
  // The phone client (database, sync, crypto; app/phone-client.ts) is most of the app's code. Its fetch
  // starts once the strings are in (a slow link gets the words first) but before the shell is drawn: the
  // browser fetches and compiles it while the shell renders, instead of after; it runs once the shell is
  // mounted. For a newcomer, once the first question is on screen: they answer it while the rest arrives.
  const client = newcomer ? browserPage.afterPaint().then(phoneClient) : phoneClient();
  mount(App, { target: document.getElementById('app')! });
  // While the phone opens its database: the cards' time formatter, so its setup cost is not paid on the first list.
  if ('requestIdleCallback' in window) requestIdleCallback(warmFormats, { timeout: 2000 });
  client.then(
    // The reload mark is cleared once a screen's code has arrived too (screen-loader.svelte.ts): cleared
    // here, a page whose screens keep failing would reload again and again.
    (phone) => phone.boot(),
    (err: unknown) => {
      if (err instanceof UserError && err.message === 'error.appPartMissing' && reloadOnceForMissingPart()) return;
      console.error(err);
      app.error = 'error.startup';
      app.phase = 'error';
    },
  );
  // Offline start needs a service worker, and service workers need a secure context.
  if (!window.isSecureContext || !('serviceWorker' in navigator)) {
    app.installable = 'insecure';
  } else {
    app.installable = matchMedia('(display-mode: standalone)').matches ? 'installed' : 'yes';
    watchInstallPrompt((available, installed) => {
      app.installPrompt = available;
      if (installed) app.installable = 'installed';
    });
    // A tap on a notification while the app is open shows what it is about (the router follows the hash).
    followNotificationTaps((hash) => (location.hash = hash));
    // A failed fetch of the registration code leaves the page working, just not installed for offline yet.
    loadModule(() => import('virtual:pwa-register')).then(
      ({ registerSW }) =>
        registerSW({
          immediate: true,
          onNeedReload: reloadAtNextMove({ settle: () => client.then((phone) => phone.docs.settle()), hold: () => app.lockKind === 'pin' }),
        }),
      (err: unknown) => console.warn('the offline copy could not be set up this time', err),
    );
  }
}

// A panic wipe destroyed the keys and reloaded: finish it before anything opens a database or
// registers a service worker again.
if (sessionStorage.getItem(WIPE_MARK)) void import('./app/wipe.ts').then((w) => w.finishWipe());
else void start();
