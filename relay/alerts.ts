import { utf8 } from '../src/core/crypto/encoding.ts';
import { verifyRecord } from '../src/core/crypto/sign.ts';
import {
  MAX_ALERTS_PER_HOUR,
  RATE_WINDOW_MS,
  ALERT_LIFETIME_MS,
  CLOCK_SKEW_MS,
  alertBundleMeta,
  followUpBundleMeta,
  isAlertShape,
  isCarriedShape,
  isFollowUpShape,
  isSealedAlertShape,
  isSealedFollowUpShape,
  type CarriedAlertRecord,
} from '../src/core/alerts/index.ts';
import { bundleId, decodeBundle, type Bundle } from '../src/core/dtn/index.ts';
import { alertEndpoint, communityOfAlerts } from '../src/core/protocol/endpoints.ts';
import type { DtnNode } from './dtn/node.ts';
import type { Logger } from './log.ts';
import { Refusal } from './refusal.ts';

/**
 * A sealed alert is its routing fields and a box padded to a power of two: 280 characters of emoji
 * and the signed record inside fill a 2 KiB box (about 2.8 KB in base64url). This leaves room and
 * refuses junk early.
 */
export const MAX_ALERT_BYTES = 4096;
/**
 * Records held per community, in two pools: members' (authors the community doc lists) and everyone
 * else's. Keys cost nothing to make, so records by non-members — however many keys sign them — share a
 * small pool and never take the room members' alerts need; each author also has a per-hour limit here
 * (the one readers apply), so one key cannot fill either pool.
 */
export const ALERT_POOLS = { members: 2000, others: 200, followUpsPerAuthor: 30 } as const;

export class AlertsError extends Refusal {}

type AlertRecord = CarriedAlertRecord;

interface Held {
  record: AlertRecord;
  /** When the bundle (and so the record) dies: the alert's own expiry. */
  expiresAt: number;
  /** Whether its author was a member of the community when it came. */
  member: boolean;
  /** Order of arrival on this relay (0 = first bundle delivered since start), for diagnostics. */
  arrival: number;
}

/**
 * Rapid-response alerts and their follow-ups as emergency-priority bundles to
 * `dtn://<community>/~alerts`. Records arrive sealed to the community's members (core/alerts/sealed.ts):
 * the relay sees the id, urgency, times and author key, never what the alert says or where. It checks
 * shape, the outer signature and expiry — never trust, which each reader judges from its own view after
 * opening — and holds records only until the alert expires: the bundle's lifetime is the alert's, so the
 * store drops it and the node never forwards it after that. An alert in clear is refused.
 */
export class RelayAlerts {
  private byCommunity = new Map<string, Map<string, Held>>();
  /** Bundles delivered to this node (any endpoint), to tell where alerts arrived among them. */
  private delivered = 0;
  private firstArrivals: Array<{ id: string; arrival: number }> = [];

  constructor(
    private readonly node: DtnNode,
    private readonly servesCommunity: (communityId: string) => boolean,
    private readonly log: Logger,
    private readonly isMember: (communityId: string, key: string) => boolean = () => false,
    private readonly clock: () => number = Date.now,
  ) {}

  async start(): Promise<void> {
    for (const m of this.node.store.list({ where: (m) => communityOfAlerts(m.destination) !== undefined })) {
      const bytes = await this.node.store.get(m.id);
      const decoded = bytes && decodeBundle(bytes);
      if (decoded && decoded.ok) this.take(decoded.bundle, m.expiresAt);
    }
    this.node.on('deliver', (b) => {
      const arrival = this.delivered++;
      if (communityOfAlerts(b.primary.destination) === undefined) return;
      const held = this.take(b, this.node.store.meta(bundleId(b))?.expiresAt ?? 0, arrival);
      if (held) this.log.info({ id: held.id, type: held.type, arrival }, 'alert record arrived');
    });
  }

  /** Indexes a delivered bundle's record if it is well-formed and signed; junk is carried but not served. */
  private take(b: Bundle, expiresAt: number, arrival = -1): AlertRecord | null {
    const community = communityOfAlerts(b.primary.destination)!;
    let record: unknown;
    try {
      record = JSON.parse(utf8.decode(b.payload.data));
    } catch {
      return null;
    }
    if (!isCarriedShape(record) || !verifyRecord(record)) return null;
    const map = this.mapOf(community);
    const member = this.isMember(community, record.author);
    if (map.has(record.id) || this.refusal(map, record, member, this.clock())) return null;
    map.set(record.id, { record, expiresAt, arrival, member });
    if (arrival >= 0 && this.firstArrivals.length < 100) this.firstArrivals.push({ id: record.id, arrival });
    return record;
  }

  private mapOf(community: string): Map<string, Held> {
    let map = this.byCommunity.get(community);
    if (!map) this.byCommunity.set(community, (map = new Map()));
    return map;
  }

  /** A phone hands over a signed record; the relay checks it and originates an emergency bundle. */
  async submit(community: string, body: Uint8Array): Promise<{ id: string; bundle: string | null }> {
    if (!this.servesCommunity(community)) throw new AlertsError(404, 'unknown-community', 'this relay does not serve that community');
    if (body.length > MAX_ALERT_BYTES) throw new AlertsError(413, 'too-large', `record larger than ${MAX_ALERT_BYTES} bytes`);
    let record: unknown;
    try {
      record = JSON.parse(utf8.decode(body));
    } catch {
      throw new AlertsError(400, 'bad-json', 'body is not JSON');
    }
    const now = this.clock();
    const map = this.mapOf(community);
    const { rec, meta } = this.check(record, map, now);
    const prev = map.get(rec.id);
    if (prev) {
      if (prev.record.sig !== rec.sig) throw new AlertsError(409, 'duplicate-id', 'another record holds this id');
      return { id: rec.id, bundle: null }; // a retry: already carried
    }
    const member = this.isMember(community, rec.author);
    const refused = this.refusal(map, rec, member, now);
    if (refused) throw refused;
    const payload = utf8.encode(JSON.stringify(rec));
    const bundle = await this.node.originate({ destination: alertEndpoint(community), payload, ...meta });
    map.set(rec.id, { record: rec, expiresAt: now + meta.lifetimeMs, arrival: -1, member });
    this.log.info({ id: rec.id, type: rec.type, lifetimeMs: meta.lifetimeMs }, 'alert record originated');
    return { id: rec.id, bundle };
  }

  /** Why a new record may not be held (its author's limit, or its pool full), or null when it may. */
  private refusal(map: Map<string, Held>, rec: AlertRecord, member: boolean, now: number): AlertsError | null {
    let pool = 0;
    let recent = 0;
    let followUps = 0;
    for (const h of map.values()) {
      if (h.expiresAt <= now) continue;
      if (h.member === member) pool++;
      if (h.record.author !== rec.author) continue;
      if (h.record.type === 'sealed-alert' && rec.created - h.record.created < RATE_WINDOW_MS) recent++;
      if (h.record.type !== 'sealed-alert') followUps++;
    }
    if (rec.type === 'sealed-alert' && recent >= MAX_ALERTS_PER_HOUR) return new AlertsError(429, 'rate-limited', 'this author has raised as many alerts as an hour allows');
    if (rec.type !== 'sealed-alert' && followUps >= ALERT_POOLS.followUpsPerAuthor) return new AlertsError(429, 'rate-limited', 'this author has sent as many follow-ups as allowed');
    if (pool >= (member ? ALERT_POOLS.members : ALERT_POOLS.others)) {
      return member
        ? new AlertsError(503, 'full', 'too many alert records held for this community')
        : new AlertsError(429, 'others-full', 'too many alerts from non-members held here; members’ alerts are still taken');
    }
    return null;
  }

  private check(record: unknown, map: Map<string, Held>, now: number) {
    if (isAlertShape(record) || isFollowUpShape(record)) {
      throw new AlertsError(422, 'not-sealed', 'alerts travel sealed to the community’s members; this one is in clear and was not taken');
    }
    if (isSealedAlertShape(record)) {
      if (!verifyRecord(record)) throw new AlertsError(400, 'forged-signature', 'the alert signature does not verify');
      if (record.expires <= record.created || record.expires > record.created + ALERT_LIFETIME_MS[record.urgency]) {
        throw new AlertsError(422, 'bad-expiry', 'expiry is not within the lifetime its urgency allows');
      }
      if (record.created > now + CLOCK_SKEW_MS) throw new AlertsError(422, 'from-future', 'the alert is dated in the future');
      const meta = alertBundleMeta(record, now);
      if (!meta) throw new AlertsError(422, 'expired', 'the alert has expired');
      return { rec: record as AlertRecord, meta };
    }
    if (isSealedFollowUpShape(record)) {
      if (!verifyRecord(record)) throw new AlertsError(400, 'forged-signature', 'the follow-up signature does not verify');
      if (record.created > now + CLOCK_SKEW_MS) throw new AlertsError(422, 'from-future', 'the follow-up is dated in the future');
      const alert = map.get(record.alert);
      if (!alert || alert.record.type !== 'sealed-alert' || alert.expiresAt <= now) throw new AlertsError(404, 'unknown-alert', 'no current alert with that id here');
      const meta = followUpBundleMeta(record, alert.record, now);
      if (!meta) throw new AlertsError(422, 'expired', 'the alert has expired');
      return { rec: record as AlertRecord, meta };
    }
    throw new AlertsError(400, 'malformed', 'not a sealed alert or alert follow-up record');
  }

  /**
   * Sealed records of unexpired alerts (and their follow-ups) held for a community, members' first (a
   * phone keeps a bounded number: non-members' records must not push members' out); expired ones are
   * dropped.
   */
  list(community: string): AlertRecord[] {
    const map = this.byCommunity.get(community);
    if (!map) return [];
    const now = this.clock();
    const members: AlertRecord[] = [];
    const others: AlertRecord[] = [];
    for (const [id, h] of map) {
      const dead = h.expiresAt <= now || (h.record.type === 'sealed-alert' && h.record.expires <= now);
      if (dead) map.delete(id);
      else (h.member ? members : others).push(h.record);
    }
    return [...members, ...others];
  }

  serves(community: string): boolean {
    return this.servesCommunity(community);
  }

  status() {
    let held = 0;
    for (const m of this.byCommunity.values()) held += m.size;
    return { held, delivered: this.delivered, arrivals: this.firstArrivals };
  }
}
