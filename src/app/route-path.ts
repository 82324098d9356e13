/**
 * Hash path patterns of the route table (routes.ts): segments after `#/`, each a literal, a `:name` param
 * or a `:name(a|b)` param limited to those values. Parsing is lenient the way links in the wild need
 * (extra trailing segments are ignored) and strict about content: a param is never empty, and a segment
 * whose percent-encoding is malformed matches nothing, so a crafted link cannot throw inside the router.
 */

type Segments<P extends string> = P extends `${infer Head}/${infer Rest}` ? Head | Segments<Rest> : P;
type Alternatives<V extends string> = V extends `${infer A}|${infer B}` ? A | Alternatives<B> : V;
type ParamNames<P extends string> =
  Segments<P> extends infer S ? (S extends `:${infer N}(${string})` ? N : S extends `:${infer N}` ? N : never) : never;
type ParamValue<P extends string, N extends string> =
  Segments<P> extends infer S ? (S extends `:${N}(${infer V})` ? Alternatives<V> : S extends `:${N}` ? string : never) : never;

/** The params a pattern carries, e.g. `ParamsOf<'intent/:author/:id'>` is `{ author: string; id: string }`. */
export type ParamsOf<P extends string> = { [N in ParamNames<P>]: ParamValue<P, N> };

interface Segment {
  literal?: string;
  param?: string;
  /** Values a limited param may take. */
  oneOf?: string[];
}

function compile(pattern: string): Segment[] {
  return pattern
    .split('/')
    .filter(Boolean)
    .map((s) => {
      const m = /^:(\w+)(?:\(([^)]*)\))?$/.exec(s);
      if (!m) return { literal: s };
      return m[2] === undefined ? { param: m[1] } : { param: m[1], oneOf: m[2].split('|') };
    });
}

const compiled = new Map<string, Segment[]>();
function segmentsOf(pattern: string): Segment[] {
  let c = compiled.get(pattern);
  if (!c) compiled.set(pattern, (c = compile(pattern)));
  return c;
}

/** How many segments a pattern has: the longer of two matching patterns is the more specific. */
export function patternLength(pattern: string): number {
  return segmentsOf(pattern).length;
}

/** The hash's path segments: what follows the first `/` (as `#/a/b` gives `a`, `b`). */
export function hashSegments(hash: string): string[] {
  return hash.replace(/^#/, '').split('/').slice(1);
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** The params `segments` give `pattern`, or null when they do not match it. */
export function matchPattern(pattern: string, segments: readonly string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (const [i, seg] of segmentsOf(pattern).entries()) {
    const raw = segments[i];
    if (raw === undefined) return null;
    if (seg.literal !== undefined) {
      if (raw !== seg.literal) return null;
      continue;
    }
    const value = decode(raw);
    if (!value || (seg.oneOf && !seg.oneOf.includes(value))) return null;
    params[seg.param!] = value;
  }
  return params;
}

/**
 * Percent-encoding throws on a lone surrogate half, which a hostile peer can put in an id that a screen
 * then links to: such a half becomes U+FFFD, so the link leads nowhere instead of taking the screen down.
 */
const encode = (s: string): string => encodeURIComponent(s.replace(/\p{Cs}/gu, '\uFFFD'));

/** The hash for `pattern` filled with `params` (each percent-encoded, so a `/` or `#` in one stays in it). */
export function buildHash(pattern: string, params: Record<string, string>): string {
  return `#/${segmentsOf(pattern)
    .map((s) => (s.literal !== undefined ? s.literal : encode(params[s.param!] ?? '')))
    .join('/')}`;
}
