import { bundleId, decodeBundle, dtnToUnixMs, isExpired, priorityOf, type Bundle } from '../core/dtn/index.ts';
import type { Identity } from '../core/crypto/keys.ts';
import { authHeaders } from '../core/protocol/auth.ts';
import {
  decodeTakeAnswer,
  encodeHandIn,
  encodeTakeRequest,
  MAX_CARRY_BATCH_BYTES,
  MAX_CARRY_BUNDLES,
  MAX_HELD_IDS,
  parseHandInAnswer,
} from '../core/protocol/carry.ts';
import { agentOfInbox, communityOfAlerts, communityOfChanges } from '../core/protocol/endpoints.ts';
import { PAYLOAD_PRIORITY } from '../core/protocol/priority.ts';
import { Route } from '../core/protocol/routes.ts';
import type { CarriedKind, CarriedMeta, CarriedTable } from './local-store.ts';
import type { RelayHttp } from './ports.ts';
import { fetchRelayInfo } from './relay-info.ts';
import { Store } from './store.ts';
import type { SecretStore } from './vault.ts';

/** Counts by kind, as the Settings screen says them. */
export type KindCounts = Record<CarriedKind, number>;

export interface CarryState {
  /** "Carry for others": on by default for members. */
  carryEnabled: boolean;
  /** The most this phone keeps for others, in MB. */
  carryLimitMb: number;
  /** What it carries now, by kind, and the bytes. */
  carrying: KindCounts & { bytes: number };
  /** What relays took from this phone since it started carrying. */
  carryDelivered: KindCounts;
  /** The last exchange with a relay. (Field names are prefixed: the app mirrors every module's fields into one state.) */
  carryLast: { node: string; at: number; handedIn: number; taken: number } | null;
}

export const DEFAULT_CARRY_LIMIT_MB = 50;
/** A person may set 1 MB to 2 GB. */
export const MAX_CARRY_LIMIT_MB = 2048;
/** Ids handed in lately, sent as held so the next relay does not give them straight back. */
const RECENT_IDS = 5_000;
/** Take rounds per exchange (each at most MAX_CARRY_BATCH_BYTES): bounds one exchange's work. */
const MAX_TAKE_ROUNDS = 64;
/** A relay that was not ready (no member entry yet, a quota, no network) is asked again this soon. */
const RETRY_MS = 5_000;
/** While connected, an exchange now and then picks up what the relay gathered meanwhile. */
const EXCHANGE_MS = 60_000;
const SETTINGS_KEY = 'carry';

const zero = (): KindCounts => ({ message: 0, change: 0, alert: 0, other: 0 });

export function emptyCarry(): CarryState {
  return { carryEnabled: true, carryLimitMb: DEFAULT_CARRY_LIMIT_MB, carrying: { ...zero(), bytes: 0 }, carryDelivered: zero(), carryLast: null };
}

/** What the bundle is, as far as the phone's counts and hand-in order go (its destination, nothing inside). */
export function carriedKind(destination: string): CarriedKind {
  if (agentOfInbox(destination) !== undefined) return 'message';
  if (communityOfChanges(destination) !== undefined) return 'change';
  if (communityOfAlerts(destination) !== undefined) return 'alert';
  return 'other';
}

/** The highest priority a kind travels with: a relay's declared priority counts for no more (as relays cap it). */
const KIND_PRIORITY: Record<CarriedKind, number> = { message: PAYLOAD_PRIORITY.message, change: PAYLOAD_PRIORITY['change-set'], alert: PAYLOAD_PRIORITY.alert, other: PAYLOAD_PRIORITY['change-set'] };

function metaOf(b: Bundle, size: number, from: string, now: number): CarriedMeta {
  const p = b.primary;
  const kind = carriedKind(p.destination);
  const expiresAt = p.creationTime !== 0 ? dtnToUnixMs(p.creationTime) + p.lifetimeMs : now + p.lifetimeMs;
  const created = p.creationTime !== 0 ? dtnToUnixMs(p.creationTime) : 0;
  return { id: bundleId(b), kind, priority: Math.max(priorityOf(b), KIND_PRIORITY[kind]), expiresAt, from, size, taken: now, created };
}

/** Hand-in order, as relays send: most urgent first, then the oldest. */
const handInOrder = (a: CarriedMeta, b: CarriedMeta) => a.priority - b.priority || a.created - b.created || a.taken - b.taken;

interface Saved {
  enabled: boolean;
  limitMb: number;
  delivered: KindCounts;
  recent: string[];
}

export interface CarrierDeps {
  relay: RelayHttp;
  table: CarriedTable;
  secrets: SecretStore;
  /** Seals and opens bundle bytes under the data key: carried change-sets are not left readable at rest. */
  seal(bytes: Uint8Array): Uint8Array;
  open(sealed: Uint8Array): Uint8Array;
  connected(): boolean;
}

/**
 * "Carry for others": this phone takes from each relay it reaches the bundles that relay would send to
 * other islands, within a storage limit the person sets, and hands them in at the next relay whose node
 * id differs from where each came from — most urgent first — dropping what that relay took or refused
 * for good. The bundles stay opaque BPv7 bytes (messages and alerts are sealed to their readers; the
 * phone reads only a bundle's destination kind, priority and lifetime) and are kept sealed at rest.
 */
export class Carrier {
  private saved: Saved = { enabled: true, limitMb: DEFAULT_CARRY_LIMIT_MB, delivered: zero(), recent: [] };
  private timer?: ReturnType<typeof setTimeout>;
  private running?: Promise<boolean>;
  private stopped = false;
  /** Exchanges that did not go through since the last one that did (or the last link-up). */
  private failures = 0;

  constructor(
    private readonly me: Identity,
    private readonly deps: CarrierDeps,
    readonly state = new Store<CarryState>(emptyCarry()),
  ) {}

  async load(): Promise<void> {
    const s = await this.deps.secrets.get<Partial<Saved>>(SETTINGS_KEY);
    if (s) this.saved = { ...this.saved, ...s, delivered: { ...zero(), ...s.delivered }, recent: Array.isArray(s.recent) ? s.recent.slice(-RECENT_IDS) : [] };
    await this.publish();
  }

  private async save(): Promise<void> {
    await this.deps.secrets.put(SETTINGS_KEY, this.saved);
  }

  private async publish(last?: CarryState['carryLast']): Promise<void> {
    const carrying = { ...zero(), bytes: 0 };
    for (const m of await this.deps.table.list()) {
      carrying[m.kind]++;
      carrying.bytes += m.size;
    }
    this.state.set({ carryEnabled: this.saved.enabled, carryLimitMb: this.saved.limitMb, carrying, carryDelivered: { ...this.saved.delivered }, ...(last ? { carryLast: last } : {}) });
  }

  /** Turning it off drops everything carried at once: the phone keeps nothing for others. */
  async setEnabled(on: boolean): Promise<void> {
    this.saved.enabled = on;
    await this.save();
    if (!on) await this.deps.table.delete((await this.deps.table.list()).map((m) => m.id));
    await this.publish();
    if (on) this.soon(0);
  }

  /** A lower limit drops the least urgent, newest bundles until what is carried fits. */
  async setLimitMb(mb: number): Promise<void> {
    if (!Number.isFinite(mb)) return;
    this.saved.limitMb = Math.min(MAX_CARRY_LIMIT_MB, Math.max(1, Math.round(mb)));
    await this.save();
    const all = (await this.deps.table.list()).sort(handInOrder);
    let bytes = 0;
    const over: string[] = [];
    for (const m of all) if ((bytes += m.size) > this.limitBytes) over.push(m.id);
    if (over.length) await this.deps.table.delete(over);
    await this.publish();
  }

  private get limitBytes(): number {
    return this.saved.limitMb * 1024 * 1024;
  }

  /** Exchanges now and then while the relay is reachable; `linkUp` exchanges at once. */
  start(): void {
    this.stopped = false;
    this.soon(EXCHANGE_MS);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The phone reached a relay (maybe another island's, at the same address): exchange now. */
  linkUp(): void {
    this.failures = 0;
    this.soon(0);
  }

  private soon(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.deps.connected()) return this.soon(EXCHANGE_MS);
      void this.exchange().then((done) => {
        // A relay not ready yet is asked again soon, then less and less often (one that will never
        // take this member's bundles, another community's, is not asked every few seconds for ever).
        this.failures = done ? 0 : this.failures + 1;
        this.soon(done ? EXCHANGE_MS : Math.min(EXCHANGE_MS, RETRY_MS * 2 ** (this.failures - 1)));
      });
    }, ms);
  }

  /**
   * One exchange with the relay the phone is connected to: drop what expired, hand in what came from
   * elsewhere, then take what this relay has for other islands. True when it went through; false when
   * the relay was not reached or not ready (the phone asks again soon).
   */
  async exchange(now = Date.now()): Promise<boolean> {
    // One at a time: a second caller shares the running exchange's outcome.
    this.running ??= this.exchangeOnce(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async exchangeOnce(now: number): Promise<boolean> {
    if (!this.saved.enabled) return true;
    const node = await this.nodeId();
    if (!node) return false;
    const all = await this.deps.table.list();
    const expired = all.filter((m) => m.expiresAt <= now).map((m) => m.id);
    if (expired.length) await this.deps.table.delete(expired);
    const handed = await this.handIn(all.filter((m) => m.expiresAt > now && m.from !== node).sort(handInOrder), node);
    const taken = handed.ok ? await this.take(node, now) : { ok: false, count: 0 };
    await this.save();
    await this.publish({ node, at: now, handedIn: handed.count, taken: taken.count });
    return handed.ok && taken.ok;
  }

  private async nodeId(): Promise<string | undefined> {
    const info = await fetchRelayInfo(this.deps.relay);
    return typeof info?.node === 'string' && info.node ? info.node : undefined;
  }

  private async post(path: string, body: Uint8Array): Promise<Response | undefined> {
    const { base, fetch } = this.deps.relay;
    const headers = { ...authHeaders(this.me, { method: 'POST', path }), 'content-type': 'application/cbor' };
    return fetch(base + path, { method: 'POST', body: body as BodyInit, headers, cache: 'no-store' }).catch(() => undefined);
  }

  /** Batches in hand-in order; drops what the relay took or refused for good, keeps the rest for another. */
  private async handIn(queue: CarriedMeta[], node: string): Promise<{ ok: boolean; count: number }> {
    let count = 0;
    for (let i = 0; i < queue.length; ) {
      const batch: CarriedMeta[] = [];
      const bytes: Uint8Array[] = [];
      let size = 0;
      for (; i < queue.length && batch.length < MAX_CARRY_BUNDLES; i++) {
        if (batch.length > 0 && size + queue[i].size > MAX_CARRY_BATCH_BYTES) break;
        const opened = await this.openCarried(queue[i].id);
        if (!opened) continue;
        batch.push(queue[i]);
        bytes.push(opened);
        size += opened.length;
      }
      if (batch.length === 0) continue;
      const res = await this.post(Route.carryHandIn, encodeHandIn({ bundles: bytes }));
      const answer = res?.ok ? parseHandInAnswer(await res.json().catch(() => undefined)) : undefined;
      if (!answer || answer.node !== node) return { ok: false, count };
      const gone = new Set<string>();
      for (const a of answer.accepted) {
        const m = batch.find((x) => x.id === a.id);
        if (!m || gone.has(m.id)) continue;
        gone.add(m.id);
        count++;
        this.saved.delivered[m.kind]++;
      }
      // Refused for what it is (malformed, expired, local): no relay would take it. Refused for want of
      // room ("not-kept"): kept for the next relay.
      for (const r of answer.refused) if (!r.reason.startsWith('not-kept') && batch[r.index]) gone.add(batch[r.index].id);
      await this.deps.table.delete([...gone]);
      this.remember([...gone]);
      if (answer.refused.some((r) => r.reason.startsWith('not-kept'))) return { ok: false, count };
    }
    return { ok: true, count };
  }

  private async openCarried(id: string): Promise<Uint8Array | undefined> {
    const sealed = await this.deps.table.sealed(id);
    if (!sealed) return undefined;
    try {
      return this.deps.open(sealed);
    } catch {
      await this.deps.table.delete([id]); // sealed under a key this phone no longer has: noise
      return undefined;
    }
  }

  private remember(ids: string[]): void {
    this.saved.recent = [...this.saved.recent, ...ids].slice(-RECENT_IDS);
  }

  /** Takes rounds of bundles until the relay has no more for elsewhere or the limit is reached. */
  private async take(node: string, now: number): Promise<{ ok: boolean; count: number }> {
    const held = new Map((await this.deps.table.list()).map((m) => [m.id, m]));
    let room = this.limitBytes - [...held.values()].reduce((n, m) => n + m.size, 0);
    let count = 0;
    for (let round = 0; round < MAX_TAKE_ROUNDS && room > 0; round++) {
      const known = [...new Set([...held.keys(), ...this.saved.recent])].slice(-MAX_HELD_IDS);
      const res = await this.post(Route.carryTake, encodeTakeRequest({ max: Math.min(room, MAX_CARRY_BATCH_BYTES), held: known }));
      if (!res?.ok) return { ok: false, count };
      let answer;
      try {
        answer = decodeTakeAnswer(new Uint8Array(await res.arrayBuffer()));
      } catch {
        return { ok: false, count };
      }
      if (answer.node !== node) return { ok: false, count };
      let added = 0;
      for (const bytes of answer.bundles) {
        const decoded = decodeBundle(bytes);
        if (!decoded.ok || isExpired(decoded.bundle, now)) continue;
        const meta = metaOf(decoded.bundle, bytes.length, node, now);
        if (held.has(meta.id) || meta.size > room) continue;
        await this.deps.table.put(meta, this.deps.seal(bytes));
        held.set(meta.id, meta);
        room -= meta.size;
        added++;
      }
      count += added;
      if (added === 0) break;
    }
    return { ok: true, count };
  }
}
