/**
 * Members-only posts on a relay the honest way: a member (a Node automerge-repo client) joins the
 * relay's community FIRST, so the relay appoints her its first organiser; once a phone has joined,
 * she vouches for it, hands it the members' key in a key envelope (as an organiser's phone does) and
 * writes N signed offers sealed under that key into her own feed (signed with node:crypto: the same
 * signatures as the app's, minutes faster for 10,000). The phone then syncs, opens and
 * lists them as it would in the field.
 */
import type { DocHandle } from '@automerge/automerge-repo';
import { addKey, newEpochKey, sealEnvelope } from '../../src/core/audience/index.ts';
import { createProfile, memberEntry, newFeedDoc } from '../../src/core/model/community.ts';
import { readCommunity } from '../../src/core/model/read-community.ts';
import { sealIntent } from '../../src/core/model/sealed-intent.ts';
import { putSealed } from '../../src/core/model/put-sealed.ts';
import type { CommunityDoc, FeedDoc } from '../../src/core/model/types.ts';
import { createVouch } from '../../src/core/trust/vouch.ts';
import { memberClient } from './member-client.ts';
import { signedOffers } from './bridge-offers.ts';

const WAIT_MS = 120_000;

export interface SealedSeeder {
  agentId: string;
  /** Once the phone is a member: vouch for it, give it the key, write `n` sealed offers. */
  sealFor(phoneName: string, n: number): Promise<void>;
  close(): Promise<void>;
}

/** Resolves when `ok(doc)` holds, checking at each change of the doc (bounded). */
async function docWhere<T>(h: DocHandle<T>, ok: (d: T) => boolean, what: string): Promise<T> {
  const now = h.doc();
  if (now && ok(now)) return now;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (h.off('change', on), reject(new Error(`never happened: ${what}`))), WAIT_MS);
    const on = () => {
      const d = h.doc();
      if (!d || !ok(d)) return;
      clearTimeout(timer);
      h.off('change', on);
      resolve(d);
    };
    h.on('change', on);
  });
}

/** Joins the relay's community before anyone else and waits until the relay appoints her organiser. */
export async function firstOrganiser(relayUrl: string, name = 'Seed organiser'): Promise<SealedSeeder> {
  const { me, repo, community } = await memberClient(relayUrl);
  try {
    const now = Date.now();
    const profile = createProfile(me, name, now);
    const feed = repo.create<FeedDoc>(newFeedDoc(me.agentId, community.doc().id));
    community.change((d) => {
      d.members[me.agentId] = memberEntry(me, profile, d.id, feed.url, now);
    });
    await docWhere(community, (d) => readCommunity(d).stewards.includes(me.agentId), 'the relay appoints the seeder organiser');
    const sealFor = async (phoneName: string, n: number) => {
      const doc = await docWhere(community, (d) => Object.values(readCommunity(d).members).some((m) => m.profile.name === phoneName), `${phoneName} joins`);
      const phone = Object.values(readCommunity(doc).members).find((m) => m.profile.name === phoneName)!;
      const t = Date.now();
      const key = newEpochKey(1);
      const toMe = sealEnvelope(me, 'members', [key], profile, t);
      const toPhone = sealEnvelope(me, 'members', [key], phone.profile, t);
      const vouch = createVouch(me, { to: phone.author, strength: 3, note: '' }, t);
      const ring = addKey(new Map(), key);
      const sealed = signedOffers(me, 0, n, t, 'trusted').map((o) => sealIntent(o, ring));
      community.change((d) => {
        d.audienceKeys ??= {};
        d.audienceKeys[toMe.id] = toMe;
        d.audienceKeys[toPhone.id] = toPhone;
      });
      feed.change((d) => {
        d.vouches[vouch.id] = vouch;
        // As the app writes them: long strings as scalars, not text.
        for (const s of sealed) putSealed(d, s);
      });
    };
    return { agentId: me.agentId, sealFor, close: () => repo.shutdown() };
  } catch (err) {
    await repo.shutdown();
    throw err;
  }
}
