import { signRecord, verifyRecord, type Signed } from '../crypto/sign.ts';
import { plainScalars } from './scalar-strings.ts';
import type { CommunityDoc } from './types.ts';

/**
 * What a hub (relay) says it can read, signed with its relay key into the community doc it serves
 * (`CommunityDoc.hubs`, by relay key). Phones get their app from their hub, so a hub that reads a format
 * also serves phones that do: once every hub of the community says so, phones may write it.
 */
export interface HubRecord extends Signed {
  type: 'hub';
  community: string;
  /** Formats this hub and the app it serves read (HUB_READS). */
  reads: string[];
  updated: number;
}

/** Public records stored as Automerge scalars (openspec/specs/write-rights, records-as-scalars). */
export const SCALAR_RECORDS = 'scalar-records';
/** What a hub of this version reads. */
export const HUB_READS: readonly string[] = [SCALAR_RECORDS];

export function createHubRecord(secretKey: Uint8Array, relayKey: string, community: string, now: number): HubRecord {
  return signRecord<HubRecord>({ type: 'hub', community, reads: [...HUB_READS], updated: now, author: relayKey }, secretKey);
}

/** A hub record that counts: its own key's, for this community, well formed and signed. */
export function validHubRecord(r: unknown, key: string, community: string): r is HubRecord {
  const h = plainScalars(r) as Partial<HubRecord> | null;
  if (typeof h !== 'object' || h === null || h.type !== 'hub' || h.author !== key || h.community !== community) return false;
  if (!Array.isArray(h.reads) || h.reads.length > 32 || !h.reads.every((x) => typeof x === 'string' && x.length <= 64)) return false;
  return typeof h.updated === 'number' && Number.isSafeInteger(h.updated) && verifyRecord(h as HubRecord);
}

/** Whether hub `key` has said, for `community`, that it reads every format of this version. */
export function hubReadsAll(doc: Partial<CommunityDoc> | undefined, key: string, community: string): boolean {
  const r = plainScalars(doc?.hubs?.[key]);
  return validHubRecord(r, key, community) && HUB_READS.every((f) => r.reads.includes(f));
}

/**
 * Whether a phone may store public records as scalars: every hub the community names (its relays) and
 * the hub this phone talks to have said they read them. A hub that predates them says nothing, and
 * phones keep writing text, which every version reads. Unknown own hub (offline since start): text.
 */
export function scalarsReadEverywhere(doc: Partial<CommunityDoc> | undefined, relays: readonly string[], ownHub: string | undefined, community: string): boolean {
  if (ownHub === undefined) return false;
  return [...new Set([...relays, ownHub])].every((k) => hubReadsAll(doc, k, community));
}
