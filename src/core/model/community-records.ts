import type { Identity } from '../crypto/keys.ts';
import { randomBytes } from '../crypto/keys.ts';
import { randomId } from '../crypto/encoding.ts';
import { signRecord, verifyRecord, type Signed } from '../crypto/sign.ts';
import { settingProblem, settingsProblem, type CommunitySettings, type SettingKey } from './community-settings.ts';

/**
 * The founding record: the community's first settings, signed by its founder (a person, or the relay
 * that created the community with its relay key). Its author is the root steward: the stewards list
 * grows from it, and nothing unsigned by a steward changes a setting.
 */
export interface FoundingRecord extends Signed {
  type: 'community-founding';
  community: string;
  settings: CommunitySettings;
  created: number;
}

/** One setting's new value, signed by a steward. The latest valid one per key wins. */
export interface SettingRecord extends Signed {
  type: 'community-setting';
  id: string;
  community: string;
  key: SettingKey;
  value: unknown;
  updated: number;
}

/** Signs with a raw ed25519 secret key, so a relay (which has no Identity) can found a community. */
export function createFounding(signSecretKey: Uint8Array, author: string, community: string, settings: CommunitySettings, now: number): FoundingRecord {
  const problem = settingsProblem(settings);
  if (problem) throw new RangeError(`founding settings: ${problem}`);
  return signRecord<FoundingRecord>({ type: 'community-founding', author, community, settings, created: now }, signSecretKey);
}

export function createSetting<K extends SettingKey>(signSecretKey: Uint8Array, author: string, community: string, key: K, value: CommunitySettings[K], now: number): SettingRecord {
  const problem = settingProblem(key, value);
  if (problem) throw new RangeError(`setting ${key}: ${problem}`);
  return signRecord<SettingRecord>({ type: 'community-setting', id: randomId(randomBytes), author, community, key, value, updated: now }, signSecretKey);
}

export const createSettingAs = <K extends SettingKey>(me: Identity, community: string, key: K, value: CommunitySettings[K], now: number): SettingRecord =>
  createSetting(me.signSecretKey, me.agentId, community, key, value, now);

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Why a founding record of `community` cannot be honoured, or null. */
export function foundingProblem(r: unknown, community: string): string | null {
  if (typeof r !== 'object' || r === null) return 'founding.malformed';
  const f = r as Partial<FoundingRecord>;
  if (f.type !== 'community-founding' || f.community !== community || !isTime(f.created)) return 'founding.malformed';
  const p = settingsProblem(f.settings);
  if (p) return p;
  return verifyRecord(f) ? null : 'founding.forged';
}

/** Why a setting record of `community` cannot be honoured on its own (authority is judged later), or null. */
export function settingRecordProblem(r: unknown, community: string): string | null {
  if (typeof r !== 'object' || r === null) return 'setting.malformed';
  const s = r as Partial<SettingRecord>;
  if (s.type !== 'community-setting' || typeof s.id !== 'string' || s.community !== community || !isTime(s.updated)) return 'setting.malformed';
  const p = settingProblem(s.key, s.value);
  if (p) return p;
  return verifyRecord(s) ? null : 'setting.forged';
}
