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
 * A signed record with every string in it, at any depth, as an Automerge scalar: how a phone stores a
 * public record (a member entry, an offer) once every hub of its community reads them (hub-record.ts,
 * client/record-form.ts). A signed record is replaced whole, never edited a character at a time, and an
 * offer written as text costs ~20 times the ops (a 10,000-offer feed: 3.1 M ops against 150 k, 3–4 times
 * slower to load or apply). Readers take records stored either way ({@link plainScalars}).
 */
export function scalarRecord<T>(record: T): T {
  if (typeof record === 'string') return new ImmutableString(record) as T;
  if (typeof record !== 'object' || record === null || isImmutableString(record)) return record;
  if (Array.isArray(record)) return record.map(scalarRecord) as T;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, scalarRecord(v)])) as T;
}

/**
 * A value read from a doc with every scalar string in it, at any depth, as a plain string: a record
 * reads the same whichever way it was written (text or scalar), so its checks, its signature and the
 * screens see one form. The same object when it holds none (copies only the paths that change), so
 * identity checks and caches keep working and a record written as text costs one walk.
 */
export function plainScalars<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (isImmutableString(v)) return (v as unknown as ImmutableString).val as T;
  const known = PLAIN.get(v);
  if (known !== undefined) return known as T;
  const plain = plainCopy(v);
  // A doc's values never change in place (a change makes new objects; unchanged ones are shared between
  // versions): the same record reads as the same plain object every time, so a reader comparing what it
  // picked with what the doc holds (readCommunity) can use identity, and reading a feed again after a
  // change walks only the records the change made (a text record is remembered as its own plain form).
  PLAIN.set(v, plain === v ? v : Object.freeze(plain));
  return plain;
}

/** Each object read, and its plain form (itself when it holds no scalar). */
const PLAIN = new WeakMap<object, unknown>();

function plainCopy<T extends object>(v: T): T {
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    v.forEach((x, i) => {
      const p = plainScalars(x);
      if (p !== x) (out ??= [...v])[i] = p;
    });
    return (out ?? v) as T;
  }
  if (!isPlainObject(v)) return v;
  let out: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(v)) {
    const p = plainScalars(x);
    if (p !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = p;
  }
  return (out ?? v) as T;
}

/** Docs hold maps, lists and a few classes (Counter, Date, bytes): only maps and lists are walked. */
function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
