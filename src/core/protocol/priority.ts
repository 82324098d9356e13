/**
 * Scheduling priority of a bundle (carried in the mesh-metadata block, ARCHITECTURE §6) and the
 * priority and lifetime each kind of payload travels with, so no caller writes a bare `priority: 2`.
 */

/** Highest first; sent in this order on every contact. */
export const Priority = { Emergency: 0, Perishable: 1, Normal: 2, Low: 3 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export const PRIORITIES: readonly Priority[] = [Priority.Emergency, Priority.Perishable, Priority.Normal, Priority.Low];
export const DEFAULT_PRIORITY: Priority = Priority.Normal;

export function isPriority(n: unknown): n is Priority {
  return n === 0 || n === 1 || n === 2 || n === 3;
}

const HOUR_MS = 3600e3;
const DAY_MS = 24 * HOUR_MS;

/** Default lifetimes by priority (ARCHITECTURE §6): emergency 12 h, perishable 48 h, normal/low 7 days. */
export const LIFETIME_MS: Record<Priority, number> = { 0: 12 * HOUR_MS, 1: 48 * HOUR_MS, 2: 7 * DAY_MS, 3: 7 * DAY_MS };

/** What a bundle carries, as far as scheduling is concerned. */
export type PayloadKind =
  /** rapid-response alert or follow-up: dies with the alert (lifetime from the record) */
  | 'alert'
  /** a community's automerge change-set to its group endpoint */
  | 'change-set'
  /** a sealed one-to-one message envelope */
  | 'message'
  /** relay-to-relay on one contact (summary vector, automerge sync): never stored for later */
  | 'direct'
  /** a discovery query or its answer: dies with the query (lifetime from the query) */
  | 'discovery'
  /** library manifests and chunks: bulk, sent after everything else */
  | 'library';

export const PAYLOAD_PRIORITY = {
  alert: Priority.Emergency,
  'change-set': Priority.Normal,
  message: Priority.Normal,
  direct: Priority.Normal,
  discovery: Priority.Normal,
  library: Priority.Low,
} as const satisfies Record<PayloadKind, Priority>;

/** Fixed lifetimes; alerts and discovery take theirs from the record they carry. */
export const PAYLOAD_LIFETIME_MS = {
  'change-set': LIFETIME_MS[Priority.Normal],
  message: 7 * DAY_MS,
  /** a direct bundle only matters while its contact lasts */
  direct: HOUR_MS,
  library: 7 * DAY_MS,
} as const satisfies Partial<Record<PayloadKind, number>>;
