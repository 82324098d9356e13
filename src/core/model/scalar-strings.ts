import { ImmutableString, isImmutableString } from '@automerge/automerge/slim';

/** Strings at least this long are written as scalars (ciphertext, nonces, ids); short words stay text. */
const SCALAR_FROM_CHARS = 16;

/**
 * A sealed record as it is written into a doc: its long strings as Automerge scalars, not collaborative
 * text. Automerge 3 writes a plain string as text, one op per character, and a peer that takes in a
 * change materialises every op in its patch log: a member's 10,000 members-only posts (11.6 MB of
 * boxes) exhausted the relay's wasm memory ("Module terminated": every doc on that relay unusable). A
 * scalar is one op. Nobody edits ciphertext character by character, so nothing is lost. Typed as the
 * record itself: readers get plain strings back through {@link plainScalars}.
 */
export function asScalars<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, typeof v === 'string' && v.length >= SCALAR_FROM_CHARS ? new ImmutableString(v) : v])) as T;
}

/**
 * A record read from a doc with its scalar strings as plain strings (one level deep), whichever way it
 * was written; the same object when it holds none, so identity checks and caches keep working.
 */
export function plainScalars<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  let out: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(v)) if (isImmutableString(x)) (out ??= { ...(v as Record<string, unknown>) })[k] = x.val;
  return (out ?? v) as T;
}
