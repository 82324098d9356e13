/** Bounds on what travels: a query is a few words, an answer a short list. */
export const QUERY_LIMITS = {
  textChars: 200,
  fieldChars: 64,
  minLifetimeMs: 60_000,
  maxLifetimeMs: 3600_000,
  defaultLifetimeMs: 30 * 60_000,
  /** A phone's clock may drift this far from its relay's. */
  clockSkewMs: 10 * 60_000,
} as const;

export const ANSWER_LIMITS = {
  results: 20,
  titleChars: 120,
  nameChars: 60,
  islandChars: 100,
  /** Encoded answer bytes, checked before parsing. */
  bytes: 32 * 1024,
} as const;

/** Encoded query bytes, checked before parsing. */
export const MAX_QUERY_BYTES = 4096;
