import { EventEmitter } from 'node:events';
import { silentLogger, type ContactEvent, type ContactLogger, type ContactSource, type PeerAddress } from '../src/core/protocol/contact-event.ts';
import { BatctlClient, type BatctlClientOptions } from './batctl/client.ts';
import { BatctlError } from './batctl/errors.ts';
import type { NeighborEntry, OriginatorEntry } from './batctl/types.ts';
import { DEFAULT_HYSTERESIS, Hysteresis, type HysteresisOptions, type Sighting } from './hysteresis.ts';
import { DEFAULT_SIGHTING_OPTIONS, sightingsFrom, type SightingOptions } from './sightings.ts';

/** Maps a batman-adv originator MAC to the relay behind it (the beacon table implements this). */
export interface MacDirectory {
  lookupMac(mac: string): { node: string; address: PeerAddress } | undefined;
}

export interface BatmanMonitorOptions extends BatctlClientOptions, Partial<HysteresisOptions>, Partial<SightingOptions> {
  client?: BatctlClient;
  pollIntervalMs?: number;
  directory?: MacDirectory;
  now?: () => number;
  logger?: ContactLogger;
}

interface Identity {
  peer: string;
  address?: PeerAddress;
}

/**
 * Polls batman-adv through batctl and turns node appearance/loss into debounced ContactEvents
 * (source 'batman'). A node is named by its DTN id when the directory knows its MAC, else `mac:…`;
 * if the name becomes known while the contact is up, the contact is re-announced under it.
 */
export class BatmanMonitor extends EventEmitter implements ContactSource {
  readonly client: BatctlClient;
  private readonly hysteresis: Hysteresis;
  private readonly sighting: SightingOptions;
  private readonly announced = new Map<string, Identity & { linkQuality?: number }>();
  private readonly now: () => number;
  private readonly log: ContactLogger;
  private timer?: NodeJS.Timeout;
  private running = false;
  private lastErrorKind?: string;
  lastError?: BatctlError;

  constructor(private readonly opts: BatmanMonitorOptions = {}) {
    super();
    this.client = opts.client ?? new BatctlClient(opts);
    this.hysteresis = new Hysteresis({
      upAfterPolls: opts.upAfterPolls ?? DEFAULT_HYSTERESIS.upAfterPolls,
      downAfterMs: opts.downAfterMs ?? DEFAULT_HYSTERESIS.downAfterMs,
      maxTracked: opts.maxTracked,
    });
    this.sighting = { staleAfterMs: opts.staleAfterMs ?? DEFAULT_SIGHTING_OPTIONS.staleAfterMs, scope: opts.scope ?? DEFAULT_SIGHTING_OPTIONS.scope };
    this.now = opts.now ?? Date.now;
    this.log = opts.logger ?? silentLogger;
  }

  override on(ev: 'contact', fn: (e: ContactEvent) => void): this;
  override on(ev: 'batctl-error', fn: (e: BatctlError) => void): this;
  override on(ev: string, fn: (...args: any[]) => void): this {
    return super.on(ev, fn);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Attach or replace the MAC→relay directory (e.g. a BeaconService started after the monitor). */
  setDirectory(directory: MacDirectory | undefined): void {
    this.opts.directory = directory;
  }

  /** Contacts currently up, as 'up' events (sent again to a relay that reconnects to the bridge socket). */
  current(): ContactEvent[] {
    return [...this.announced.values()].map((a) => this.event('up', a, a.linkQuality));
  }

  /** One poll: read batctl, debounce, emit. Errors count as "nothing seen" so contacts still time out. */
  async pollOnce(): Promise<ContactEvent[]> {
    const seen = await this.observe();
    const now = this.now();
    const events: ContactEvent[] = [];
    for (const t of this.hysteresis.step(seen, now)) {
      if (t.kind === 'up') events.push(...this.announce(t.id, t.linkQuality));
      else events.push(...this.retract(t.id));
    }
    events.push(...this.reidentify(seen));
    for (const e of events) this.emit('contact', e);
    return events;
  }

  private async loop(): Promise<void> {
    if (!this.running) return;
    try {
      await this.pollOnce();
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'batman monitor poll failed');
    }
    if (!this.running) return;
    this.timer = setTimeout(() => void this.loop(), this.opts.pollIntervalMs ?? 2000);
  }

  private async observe(): Promise<Sighting[]> {
    try {
      const originators: OriginatorEntry[] = await this.client.originators();
      const neighbors: NeighborEntry[] = this.sighting.scope === 'neighbors' ? await this.client.neighbors() : [];
      this.noteHealthy();
      return sightingsFrom(originators, neighbors, this.sighting);
    } catch (e) {
      if (!(e instanceof BatctlError)) throw e;
      this.noteError(e);
      return [];
    }
  }

  private noteError(e: BatctlError): void {
    this.lastError = e;
    this.emit('batctl-error', e);
    // One log line per change of failure kind, not one per poll.
    if (this.lastErrorKind === e.kind) return;
    this.lastErrorKind = e.kind;
    this.log.warn({ kind: e.kind, err: e.message, hint: e.hint }, 'batctl unavailable; batman contacts will time out');
  }

  private noteHealthy(): void {
    if (this.lastErrorKind !== undefined) this.log.info?.({ was: this.lastErrorKind }, 'batctl answering again');
    this.lastErrorKind = undefined;
    this.lastError = undefined;
  }

  private identify(mac: string): Identity {
    const hit = this.opts.directory?.lookupMac(mac);
    return hit ? { peer: hit.node, address: hit.address } : { peer: `mac:${mac}` };
  }

  private announce(mac: string, linkQuality?: number): ContactEvent[] {
    const id = { ...this.identify(mac), linkQuality };
    this.announced.set(mac, id);
    return [this.event('up', id, linkQuality)];
  }

  private retract(mac: string): ContactEvent[] {
    const id = this.announced.get(mac);
    this.announced.delete(mac);
    return id ? [this.event('down', id)] : [];
  }

  /** A beacon may name (or move) a node after its contact went up: re-announce it under the new name. */
  private reidentify(seen: Sighting[]): ContactEvent[] {
    const lq = new Map(seen.map((s) => [s.id, s.linkQuality]));
    const out: ContactEvent[] = [];
    for (const [mac, old] of this.announced) {
      const cur = this.identify(mac);
      if (lq.has(mac)) old.linkQuality = lq.get(mac);
      if (cur.peer === old.peer && cur.address?.host === old.address?.host && cur.address?.port === old.address?.port) continue;
      out.push(this.event('down', old));
      this.announced.set(mac, { ...cur, linkQuality: old.linkQuality });
      out.push(this.event('up', cur, old.linkQuality));
    }
    return out;
  }

  private event(kind: 'up' | 'down', id: Identity, linkQuality?: number): ContactEvent {
    const e: ContactEvent = { kind, peer: id.peer, source: 'batman', at: this.now() };
    if (id.address) e.address = id.address;
    if (kind === 'up' && linkQuality !== undefined) e.linkQuality = linkQuality;
    return e;
  }
}
