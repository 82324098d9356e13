import { sha512 } from '../crypto/hash.ts';
import { randomBytes } from '../crypto/keys.ts';
import { randomId, toBase64Url, utf8 } from '../crypto/encoding.ts';
import { signRecord, verifyRecord, type Signed } from '../crypto/sign.ts';

/**
 * The founder giving up its rights (issue #15): a relay founds its default community with its own key,
 * and whoever takes that relay's disk holds the key. Signing settings, or a second founding record dated
 * earlier, would then make them the community's root. The retirement lists, by signature, the founder's
 * records that stand; readers honour no other record of the founder, whatever date it carries (a date is
 * the signer's word, so "after the retirement" could not be told from a backdated record), and no longer
 * count the founder as an organiser.
 */
export interface RetirementRecord extends Signed {
  type: 'community-retirement';
  id: string;
  community: string;
  /** Signatures of the founder's records that stand: its founding record and the settings it signed. */
  stands: string[];
  created: number;
}

/** More than a founding hub ever signs (a founding, one organiser, a few hub lists, an origin). */
export const RETIREMENT_MAX_STANDING = 100;

const SIG = /^[A-Za-z0-9_-]{86}$/; // base64url of a 64-byte ed25519 signature

export function createRetirement(signSecretKey: Uint8Array, author: string, community: string, stands: readonly string[], now: number): RetirementRecord {
  const list = [...new Set(stands)].sort();
  if (list.length > RETIREMENT_MAX_STANDING || !list.every((s) => SIG.test(s))) throw new RangeError('retirement: stands must be at most 100 signatures');
  return signRecord<RetirementRecord>({ type: 'community-retirement', id: randomId(randomBytes), author, community, stands: list, created: now }, signSecretKey);
}

/** Why a retirement record of `community` cannot be honoured on its own (whose it must be is judged later), or null. */
export function retirementProblem(r: unknown, community: string): string | null {
  if (typeof r !== 'object' || r === null) return 'retirement.malformed';
  const t = r as Partial<RetirementRecord>;
  if (t.type !== 'community-retirement' || typeof t.id !== 'string' || t.community !== community) return 'retirement.malformed';
  if (typeof t.created !== 'number' || !Number.isSafeInteger(t.created) || t.created < 0) return 'retirement.malformed';
  if (!Array.isArray(t.stands) || t.stands.length > RETIREMENT_MAX_STANDING || !t.stands.every((s) => typeof s === 'string' && SIG.test(s))) return 'retirement.malformed';
  return verifyRecord(t) ? null : 'retirement.forged';
}

/**
 * A short name for a retirement, for invites (a QR code has little room): the first 12 bytes of SHA-512
 * of its signature. Finding another record with the same digest is a 96-bit second preimage.
 */
export function retirementDigest(r: Pick<RetirementRecord, 'sig'>): string {
  return toBase64Url(sha512(utf8.encode(r.sig)).subarray(0, 12));
}

export const isRetirementDigest = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{16}$/.test(v);

/**
 * The retirement a reader holds to among valid ones by `founder` that list one of the founder's valid
 * `foundings` of the same community: the one whose digest it pinned, else the earliest by (created,
 * signature). With a pin and no such record (not arrived yet), none: the caller treats the founder as
 * retired all the same.
 */
export function chooseRetirement(
  candidates: readonly unknown[],
  founder: string,
  foundings: readonly { sig: string; community: string }[],
  pinned?: string,
): RetirementRecord | undefined {
  const founded = new Map(foundings.map((f) => [f.sig, f.community]));
  let pick: RetirementRecord | undefined;
  for (const c of candidates) {
    const r = c as RetirementRecord;
    // Whose it is first: anyone can write records here, and only the founder's are worth a signature check.
    if (r?.author !== founder || retirementProblem(c, r.community) !== null) continue;
    if (!r.stands.some((s) => founded.get(s) === r.community)) continue;
    if (pinned !== undefined && retirementDigest(r) !== pinned) continue;
    if (!pick || r.created < pick.created || (r.created === pick.created && r.sig < pick.sig)) pick = r;
  }
  return pick;
}
