// The slim build used by src/core/sync needs the wasm registered once; the full entry does that.
import '@automerge/automerge';
import * as Automerge from '@automerge/automerge/slim';
import { ContactSync, decodePayload, encodePayload, memoryDocAccess } from '../../../src/core/sync/index.ts';
import type { AnyDoc, DocAccess, SyncPayload } from '../../../src/core/sync/index.ts';
import type { FeedDoc, Intent } from '../../../src/core/model/types.ts';

/** Small deterministic PRNG so fixtures are the same on every run. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function randomText(rnd: () => number, n: number, alphabet = B64URL): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
}

/** Shaped like an automerge-repo DocumentId (base58, 28 chars). */
export function docId(rnd: () => number): string {
  return randomText(rnd, 28, B58);
}

/** A realistic signed offer: random id, key and signature as the real ones are. */
export function makeOffer(rnd: () => number, owner: string, i: number): Intent {
  const t = 1_700_000_000_000 + i * 60_000;
  return {
    type: 'intent',
    id: randomText(rnd, 22),
    kind: 'offer',
    action: 'transfer',
    provider: owner,
    resourceConformsTo: `cat-${i % 7}`,
    name: `Offer ${i}: ${['apples', 'bread', 'tools', 'a ride', 'childcare'][i % 5]}`,
    note: 'Fresh from the garden, pick up at the community hall any afternoon.',
    resourceQuantity: { hasNumericalValue: (i % 5) + 1, hasUnit: 'kg' },
    status: 'open',
    audience: 'public',
    created: t,
    updated: t,
    author: owner,
    sig: randomText(rnd, 86),
  };
}

export function newFeed(rnd: () => number, community: string): Automerge.Doc<FeedDoc> {
  const owner = randomText(rnd, 43);
  const initial: FeedDoc = {
    type: 'feed',
    owner,
    community,
    intents: {},
    proposals: {},
    commitments: {},
    events: {},
    vouches: {},
    revocations: {},
  };
  return Automerge.from(initial as unknown as Record<string, unknown>) as unknown as Automerge.Doc<FeedDoc>;
}

export function addOffer(rnd: () => number, feed: AnyDoc, i: number): AnyDoc {
  return Automerge.change(feed as Automerge.Doc<FeedDoc>, (d) => {
    const o = makeOffer(rnd, d.owner, i);
    d.intents[o.id] = o;
  }) as AnyDoc;
}

/** Heads and content equal, for every doc of both replicas. */
export function sameDocs(a: DocAccess, b: DocAccess): boolean {
  const ids = [...a.ids()].sort();
  if (ids.join() !== [...b.ids()].sort().join()) return false;
  return ids.every((id) => sameDoc(a.get(id), b.get(id)));
}

export function sameDoc(x: AnyDoc | undefined, y: AnyDoc | undefined): boolean {
  if (!x || !y) return false;
  const hx = [...Automerge.getHeads(x)].sort().join();
  const hy = [...Automerge.getHeads(y)].sort().join();
  return hx === hy && JSON.stringify(Automerge.toJS(x)) === JSON.stringify(Automerge.toJS(y));
}

export function saveSize(access: DocAccess): number {
  return access.ids().reduce((n, id) => n + Automerge.save(access.get(id)!).length, 0);
}

export interface ExchangeOptions {
  /** Drop the n-th message (counting both directions) when this says so. */
  drop?: (n: number) => boolean;
  /** Deliver from a random position of the in-flight queue instead of in order. */
  shuffle?: () => number;
  maxMessages?: number;
}

export interface ExchangeResult {
  messages: number;
  syncMessages: number;
  bytes: number;
  dropped: number;
}

/**
 * One contact between two relays: start() on both, then deliver payloads as bytes (through the codec)
 * until both are quiet. Throws if it does not settle within maxMessages (no infinite ping-pong).
 */
export function contact(a: ContactSync, b: ContactSync, opts: ExchangeOptions = {}): ExchangeResult {
  const max = opts.maxMessages ?? 100_000;
  const queue: { to: ContactSync; bytes: Uint8Array }[] = [];
  const send = (to: ContactSync, ps: SyncPayload[]) => ps.forEach((p) => queue.push({ to, bytes: encodePayload(p) }));
  const r: ExchangeResult = { messages: 0, syncMessages: 0, bytes: 0, dropped: 0 };
  send(b, a.start());
  send(a, b.start());
  while (queue.length > 0) {
    if (r.messages >= max) throw new Error(`contact did not settle within ${max} messages`);
    const i = opts.shuffle ? Math.floor(opts.shuffle() * queue.length) : 0;
    const [m] = queue.splice(i, 1);
    r.messages++;
    if (opts.drop?.(r.messages)) {
      r.dropped++;
      continue;
    }
    r.bytes += m.bytes.length;
    const p = decodePayload(m.bytes);
    if (p.t === 'sync') r.syncMessages++;
    send(m.to === a ? b : a, m.to.receive(p));
  }
  return r;
}

export function relay(docs: Map<string, AnyDoc> = new Map(), accepts = (_id: string) => true) {
  const access = memoryDocAccess(docs);
  const sync = () => new ContactSync({ access, accepts: (id) => accepts(id) });
  return { access, sync };
}
