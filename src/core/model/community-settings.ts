import { checkThresholds } from '../trust/tiers.ts';
import { DEFAULT_THRESHOLDS, type Location, type ResourceSpecification, type TrustThresholds } from './types.ts';

/**
 * Community settings are shared data anyone with the doc could overwrite, so each one is honoured only
 * as a steward-signed record (see community-records.ts) whose value passes the bounds below. These are
 * the values; the records that carry them are judged in read-community.ts.
 */
export interface CommunitySettings {
  name: string;
  description: string;
  thresholds: TrustThresholds;
  categories: Record<string, ResourceSpecification>;
  areas: Record<string, Location>;
  /** Stewards besides the founder: who may sign settings. */
  stewards: string[];
  /** ed25519 keys of the relays whose change-sets are applied to this community's docs. */
  relays: string[];
  /** Island agents the community switched on (names from agents/types.ts). */
  agents: string[];
  /** Named numeric limits (e.g. posts a day); whole numbers from 1 to 1e9. */
  limits: Record<string, number>;
  /**
   * Whether a newcomer without an invite may join on the community's hubs ("Who can join"): each hub
   * admits them by this setting as its organisers signed it, unless its operator keeps it invite-only
   * (relay/join-policy.ts). Only a setting record counts: a founding record's value is not read
   * (read-community.ts says why).
   */
  openJoin: boolean;
  /**
   * The one origin (scheme, host, port) every island's relay answers at, e.g. https://mesh.lan: a phone's
   * data and installed app belong to an origin. Optional: absent from founding records made before it, and
   * from new ones, so phones that do not know it still read the founding record.
   */
  origin?: string;
  /**
   * How much each part of a helper's score counts, chosen by organisers: per agent (its setting id, as in
   * `agents`), per part (its name in the agent), a whole number from 0 to 100. Optional; a part left out
   * keeps the agent's default.
   */
  agentWeights?: Record<string, Record<string, number>>;
  /**
   * Members an organiser removed: agent id -> when (ms). A removed key is no member whatever entry it
   * signs, its feed is not followed and it signs no settings; the founder cannot be removed. Undo is a
   * later record without the id. Optional (absent from founding records).
   */
  removed?: Record<string, number>;
  /**
   * The invite links that admit newcomers: hash of an invite's secret -> when it stops admitting (ms;
   * 0 = never). While absent or empty, an invite without a secret (the community URL alone) admits,
   * as before; once any is listed, only a listed one does. Members are admitted by membership instead.
   */
  invites?: Record<string, number>;
}

export type SettingKey = keyof CommunitySettings;
export const SETTING_KEYS: readonly SettingKey[] = ['name', 'description', 'thresholds', 'categories', 'areas', 'stewards', 'relays', 'agents', 'limits', 'openJoin'];
/** Settings a founding record may leave out. */
export const OPTIONAL_SETTING_KEYS: readonly SettingKey[] = ['origin', 'agentWeights', 'removed', 'invites'];

export const SETTING_LIMITS = { name: 60, description: 2000, entries: 100, entryId: 32, entryName: 60, keys: 50, agents: 20, limitValue: 1e9, weightParts: 8, weightMax: 100, removed: 1000, invites: 20 } as const;

const KEY = /^[A-Za-z0-9_-]{43}$/; // base64url of 32 bytes: an agent id or a relay key
const ENTRY_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function textProblem(v: unknown, max: number, required: boolean): string | null {
  if (typeof v !== 'string') return 'setting.notText';
  if (required && v.trim() === '') return 'setting.required';
  return v.length > max ? 'setting.tooLong' : null;
}

/** Thresholds: checkThresholds' [0, 1] and order, and none at 0 — a zero gate lets a stranger through. */
function thresholdsProblem(v: unknown): string | null {
  try {
    const t = checkThresholds(v);
    if (Object.values(t).some((x) => x <= 0)) return 'setting.thresholdZero';
    return isRecord(v) && Object.keys(v).length === 5 ? null : 'setting.extraKeys';
  } catch {
    return 'setting.badThresholds';
  }
}

function entriesProblem(v: unknown, perishable: boolean): string | null {
  if (!isRecord(v)) return 'setting.notMap';
  const entries = Object.entries(v);
  if (entries.length === 0 || entries.length > SETTING_LIMITS.entries) return 'setting.badSize';
  for (const [id, e] of entries) {
    if (!ENTRY_ID.test(id) || !isRecord(e) || e.id !== id) return 'setting.badEntry';
    if (textProblem(e.name, SETTING_LIMITS.entryName, true)) return 'setting.badEntry';
    const allowed = perishable ? ['id', 'name', 'perishable'] : ['id', 'name'];
    if (Object.keys(e).some((k) => !allowed.includes(k))) return 'setting.badEntry';
    if (e.perishable !== undefined && typeof e.perishable !== 'boolean') return 'setting.badEntry';
  }
  return null;
}

function keysProblem(v: unknown, max: number): string | null {
  if (!Array.isArray(v) || v.length > max) return 'setting.badSize';
  if (!v.every((k) => typeof k === 'string' && KEY.test(k))) return 'setting.badKey';
  return new Set(v).size === v.length ? null : 'setting.duplicate';
}

function agentsProblem(v: unknown): string | null {
  if (!Array.isArray(v) || v.length > SETTING_LIMITS.agents) return 'setting.badSize';
  return v.every((a) => typeof a === 'string' && ENTRY_ID.test(a)) && new Set(v).size === v.length ? null : 'setting.badEntry';
}

const WEIGHT_PART = /^[a-zA-Z]{1,32}$/;

/** Per agent, up to 8 named parts, each a whole number 0..100, and not all 0 (a score of nothing ranks nothing). */
function agentWeightsProblem(v: unknown): string | null {
  if (!isRecord(v) || Object.keys(v).length > SETTING_LIMITS.agents) return 'setting.badSize';
  for (const [agent, parts] of Object.entries(v)) {
    if (!ENTRY_ID.test(agent) || !isRecord(parts)) return 'setting.badEntry';
    const entries = Object.entries(parts);
    if (entries.length === 0 || entries.length > SETTING_LIMITS.weightParts) return 'setting.badSize';
    for (const [part, n] of entries) {
      if (!WEIGHT_PART.test(part)) return 'setting.badEntry';
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > SETTING_LIMITS.weightMax) return 'setting.badWeight';
    }
    if (entries.every(([, n]) => n === 0)) return 'setting.allWeightsZero';
  }
  return null;
}

/** Keys (agent ids or invite hashes) to a time in ms (0 allowed), at most `max` of them. */
function timedKeysProblem(v: unknown, max: number): string | null {
  if (!isRecord(v) || Object.keys(v).length > max) return 'setting.badSize';
  for (const [k, t] of Object.entries(v)) {
    if (!KEY.test(k)) return 'setting.badKey';
    if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0) return 'setting.outOfRange';
  }
  return null;
}

function limitsProblem(v: unknown): string | null {
  if (!isRecord(v) || Object.keys(v).length > SETTING_LIMITS.agents) return 'setting.badSize';
  for (const [k, n] of Object.entries(v)) {
    if (!ENTRY_ID.test(k)) return 'setting.badEntry';
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > SETTING_LIMITS.limitValue) return 'setting.outOfRange';
  }
  return null;
}

/**
 * An origin exactly as a browser's `location.origin` spells it: http(s), lower-case host, no default port,
 * no path. Checked by pattern (core has no URL parser it may rely on everywhere); '' clears the setting.
 */
function originProblem(v: unknown): string | null {
  if (typeof v !== 'string') return 'setting.notText';
  if (v === '') return null;
  const m = /^(https?):\/\/([a-z0-9.-]{1,253}|\[[0-9a-f:.]{2,45}\])(?::(\d{1,5}))?$/.exec(v);
  if (!m) return 'setting.badOrigin';
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535 || String(port) !== m[3] || (m[1] === 'https' && port === 443) || (m[1] === 'http' && port === 80))) return 'setting.badOrigin';
  return null;
}

/** Why `value` cannot be the community's `key` setting, or null when it can. Total over any input. */
export function settingProblem(key: unknown, value: unknown): string | null {
  switch (key) {
    case 'name':
      return textProblem(value, SETTING_LIMITS.name, true);
    case 'description':
      return textProblem(value, SETTING_LIMITS.description, false);
    case 'thresholds':
      return thresholdsProblem(value);
    case 'categories':
      return entriesProblem(value, true);
    case 'areas':
      return entriesProblem(value, false);
    case 'stewards':
    case 'relays':
      return keysProblem(value, SETTING_LIMITS.keys);
    case 'agents':
      return agentsProblem(value);
    case 'limits':
      return limitsProblem(value);
    case 'openJoin':
      return typeof value === 'boolean' ? null : 'setting.notBoolean';
    case 'origin':
      return originProblem(value);
    case 'agentWeights':
      return agentWeightsProblem(value);
    case 'removed':
      return timedKeysProblem(value, SETTING_LIMITS.removed);
    case 'invites':
      return timedKeysProblem(value, SETTING_LIMITS.invites);
    default:
      return 'setting.unknownKey';
  }
}

/** Every setting's problem, or null when `s` is a complete, valid set of settings (a founding record's). */
export function settingsProblem(s: unknown): string | null {
  if (!isRecord(s)) return 'setting.notMap';
  const known: readonly string[] = [...SETTING_KEYS, ...OPTIONAL_SETTING_KEYS];
  if (Object.keys(s).some((k) => !known.includes(k))) return 'setting.unknownKey';
  for (const k of SETTING_KEYS) {
    const p = settingProblem(k, s[k]);
    if (p) return p;
  }
  for (const k of OPTIONAL_SETTING_KEYS) {
    const p = s[k] === undefined ? null : settingProblem(k, s[k]);
    if (p) return p;
  }
  return null;
}

/**
 * A community's name until its organisers choose one. Names are community data and shown as signed, but
 * this default and the default categories and areas below are the app's words: the app shows them in the
 * reader's language while they stay unchanged (see src/app/i18n/community-words.ts).
 */
export const DEFAULT_COMMUNITY_NAME = 'Our community';

const DEFAULT_CATEGORIES: Array<[string, string, boolean?]> = [
  ['food', 'Food', true],
  ['tools', 'Tools'],
  ['clothing', 'Clothing'],
  ['housing', 'Housing'],
  ['transport', 'Transport'],
  ['skills', 'Skills & labour'],
  ['medical', 'Medical supplies'],
  ['childcare', 'Childcare'],
  ['other', 'Other'],
];

const DEFAULT_AREAS = ['north', 'south', 'east', 'west', 'centre'];

/** Default category and area names by id, as defaultSettings writes them. */
export const DEFAULT_CATEGORY_NAMES: Readonly<Record<string, string>> = Object.fromEntries(DEFAULT_CATEGORIES.map(([id, name]) => [id, name]));
export const DEFAULT_AREA_NAMES: Readonly<Record<string, string>> = Object.fromEntries(DEFAULT_AREAS.map((a) => [a, a]));

export function defaultSettings(name: string, description = ''): CommunitySettings {
  return {
    name,
    description,
    thresholds: { ...DEFAULT_THRESHOLDS },
    categories: Object.fromEntries(
      DEFAULT_CATEGORIES.map(([id, cname, perishable]) => [id, perishable ? { id, name: cname, perishable } : { id, name: cname }]),
    ),
    areas: Object.fromEntries(DEFAULT_AREAS.map((a) => [a, { id: a, name: a }])),
    stewards: [],
    relays: [],
    agents: [],
    limits: {},
    // Invite-only until an organiser signs otherwise.
    openJoin: false,
  };
}
