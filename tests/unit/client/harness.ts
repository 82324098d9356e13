import { Repo } from '@automerge/automerge-repo';
import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { newCommunityDoc } from '../../../src/core/model/community.ts';
import { createFounding } from '../../../src/core/model/community-records.ts';
import { defaultSettings } from '../../../src/core/model/community-settings.ts';
import type { CommunityDoc } from '../../../src/core/model/types.ts';
import { runAgentJob } from '../../../src/client/agents-job.ts';
import { memoryStore } from '../../../src/client/memory-store.ts';
import { PhoneClient } from '../../../src/client/phone.ts';
import type { LocalStore } from '../../../src/client/local-store.ts';
import type { MessageNotice, Platform, RelayHttp, RequestNotice } from '../../../src/client/ports.ts';
import type { Alert } from '../../../src/core/alerts/index.ts';
import { encodeInvite } from '../../../src/core/protocol/invite.ts';

/**
 * Phones in Node for the client's unit tests: a real automerge-repo Repo (in memory, no network — phones
 * built on the same Repo see each other's writes at once, as if synced), the in-memory LocalStore, the
 * agents run inline, and no relay at all (every HTTP request fails as if the relay were out of reach).
 * What the page does (reload, wipe on reload) is recorded, not performed.
 */
export interface TestPhone {
  phone: PhoneClient;
  local: LocalStore;
  page: { reloads: number; wipes: number };
  notified: Alert[];
  /** The system notifications of new requests for my posts. */
  requestsNotified: RequestNotice[];
  /** The system notifications of new messages. */
  messagesNotified: MessageNotice[];
}

const noRelay: typeof fetch = async () => {
  throw new TypeError('fetch failed: no relay in unit tests');
};

/** `signatureCheck`: the platform's asynchronous ed25519 (the browser's WebCrypto one); none by default (tweetnacl only). */
/** `repoOpened`: the repo opens only once it resolves (a slow phone compiling Automerge's wasm). */
/** `relay`: the relay's fetch, or it with how long the phone waits for an answer (relay-deadline.ts). */
export function makePhone(repo: Repo, local: LocalStore = memoryStore(), relay: typeof fetch | Omit<RelayHttp, 'base'> = noRelay, signatureCheck: Platform['signatureCheck'] = async () => undefined, repoOpened?: Promise<void>): TestPhone {
  const page = { reloads: 0, wipes: 0 };
  const notified: Alert[] = [];
  const requestsNotified: RequestNotice[] = [];
  const messagesNotified: MessageNotice[] = [];
  const platform: Platform = {
    relay: { base: 'http://relay.invalid', ...(typeof relay === 'function' ? { fetch: relay } : relay) },
    openRepo: async () => (await repoOpened, { repo, onPeer: () => undefined, onDisconnect: () => undefined, onRefused: () => undefined }),
    runAgents: async (job) => runAgentJob(job),
    page: {
      reload: () => void page.reloads++,
      reloadIntoWipe: () => void page.wipes++,
      deleteDocs: async () => undefined,
      afterPaint: async () => undefined,
    },
    device: { online: () => true, onOnlineChange: () => undefined, onActivity: () => undefined },
    notify: (a) => void notified.push(a),
    notifyRequest: (r) => void requestsNotified.push(r),
    notifyMessage: (m) => void messagesNotified.push(m),
    signatureCheck,
  };
  return { phone: new PhoneClient(platform, local), local, page, notified, requestsNotified, messagesNotified };
}

/**
 * A community doc in `repo` and an invite to it naming nobody (the first to join founds it). `founded`:
 * its settings signed by a founder key of their own (as a relay founds one), so unsigned edits of them show.
 */
export function makeCommunity(repo: Repo, name = 'Riverside', founded = false): { url: string; id: string; invite: string; founder?: string; founderIdentity?: Identity } {
  const id = `c-${Math.random().toString(36).slice(2)}`;
  const now = Date.now();
  const founder = createIdentity();
  const founding = founded ? createFounding(founder.signSecretKey, founder.agentId, id, defaultSettings(name, 'a test community'), now) : undefined;
  const doc = newCommunityDoc(id, name, 'a test community', now, founding);
  const handle = repo.create<CommunityDoc>(doc);
  // A founded community's invite names its founder, as a phone's invite does (the newcomer pins it).
  return { url: handle.url, id: doc.id, invite: encodeInvite({ url: handle.url, name, ...(founding ? { founder: founder.agentId } : {}) }), founder: founding ? founder.agentId : undefined, founderIdentity: founding ? founder : undefined };
}

/** Resolves once `check` holds, polling the phone's state after each turn of the event loop (bounded). */
export async function until(check: () => boolean, what: string, maxTurns = 2000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never happened: ${what}`);
}
