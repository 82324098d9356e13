import {
  acceptAlerts,
  alertBoard,
  createAlert,
  createFollowUp,
  isAlertShape,
  isFollowUpShape,
  openAlertRecord,
  sealAlertRecord,
  type Alert,
  type AlertFollowUp,
  type AlertInput,
  type FollowUpAct,
} from '../core/alerts/index.ts';
import { currentKey, type Keyring } from '../core/audience/index.ts';
import { authHeaders } from '../core/protocol/auth.ts';
import type { Identity } from '../core/crypto/keys.ts';
import type { TrustContext } from '../core/trust/can.ts';
import type { Decision } from '../core/trust/index.ts';
import type { ShownAlert } from '../core/alerts/index.ts';
import { UserError } from './errors.ts';
import { waitAtMost } from './wait-at-most.ts';
import type { AlertNotifier, RelayHttp } from './ports.ts';
import { Store } from './store.ts';
import type { SecretStore } from './vault.ts';
import { Route, withCommunity, type AlertRecords } from '../core/protocol/routes.ts';
import { PollLoop } from './poll-loop.ts';

const POLL_MS = 4_000;
/** How long "raise" waits for a relay to take the alert before telling the person it is kept on the phone. */
const SENT_WAIT_MS = 5_000;

/** Whether a raised alert has left the phone (a relay took it), waits in the outbox, or a relay refused it. */
export type RaiseOutcome = 'sent' | 'kept' | 'refused';
/** Records kept on the phone: enough for a busy day, bounded against a flood from a relay. */
const MAX_KEPT = 1000;

type AlertRecord = Alert | AlertFollowUp;

/** Readers ignore a fourth alert in an hour, or a second critical one within 10 minutes: say so now. */
export class RateLimitedError extends Error {
  readonly code = 'rate-limited';
}

/** Where the alert watch finds the community and judges authors from (the viewer's own view). */
export interface AlertContext {
  communityId: string;
  trust: TrustContext;
}

export interface AlertsState {
  /** The alert board as I may see it (empty when my gate is closed). */
  alerts: ShownAlert[];
  /** Alert records raised or answered here that no relay has taken yet. */
  alertOutbox: number;
  /** They wait for the members' key: alerts leave the phone sealed to it, and none has reached me yet. */
  alertWaitingForKey: boolean;
  alertsIgnored: number;
  /** i18n key of why the last system notification could not be shown (null when it was, or none was due). */
  notifyError: string | null;
}

/** What the alert watch needs besides its identity and storage. */
export interface AlertHost {
  relay: RelayHttp;
  connected(): boolean;
  /** The community and my view of everyone; null before the community doc is here. */
  context(): AlertContext | null;
  /** One of my own gates ('see-alerts', 'raise-alert'); undefined before trust is first computed. */
  gate(action: 'see-alerts' | 'raise-alert'): Decision | undefined;
  notify: AlertNotifier;
  /** The members' keys on this phone: alerts are sealed to them before they leave, and opened with them. */
  keyring(): Keyring;
  /**
   * Resolves once the members' key is worked out from what this phone has read. On an organiser's phone
   * that writes the keys owed to members who arrived just now, so they leave with the alert, not after it.
   */
  keysSettled?(): Promise<void>;
}

export function emptyAlerts(): AlertsState {
  return { alerts: [], alertOutbox: 0, alertWaitingForKey: false, alertsIgnored: 0, notifyError: null };
}

/**
 * Rapid-response alerts on the phone: raised and answered here as signed records, sealed to the
 * community's members (core/alerts/sealed.ts) and handed to the relay (which carries them as emergency
 * bundles to every island without reading them), fetched back from it while connected with a request
 * signed as a member, opened with the members' key, and judged here — signature, the author's standing
 * in my own view, rate limits, expiry — into the board the screens show. Records wait in an outbox
 * (in clear, on this phone only) until a relay has taken them, and until this phone holds a key.
 */
export class AlertWatch {
  private records = new Map<string, AlertRecord>();
  private outbox: AlertRecord[] = [];
  private readonly polling = new PollLoop(POLL_MS, async () => {
    if (this.host.connected()) await this.sync();
    this.publish(); // time alone changes the board: expiry, the confirmation window
  });
  /** The sync in flight, and whether another was asked for meanwhile (it runs right after, once). */
  private syncing?: Promise<void>;
  private again = false;
  /** Records a relay refused (4xx) since the start, by id: dropped from the outbox, never "sent". */
  private readonly refused = new Set<string>();
  private notified = new Set<string>();
  private readonly context: () => AlertContext | null;

  constructor(
    private readonly me: Identity,
    private readonly store: SecretStore,
    private readonly host: AlertHost,
    /** Passed in so whoever renders it keeps one subscription across identities. */
    readonly state = new Store<AlertsState>(emptyAlerts()),
  ) {
    this.context = () => host.context();
  }

  async load(): Promise<void> {
    const saved = (await this.store.get<{ records?: unknown[]; outbox?: unknown[] }>('alerts').catch(() => undefined)) ?? {};
    for (const r of saved.records ?? []) if (isAlertShape(r) || isFollowUpShape(r)) this.records.set(r.id, r);
    this.outbox = (saved.outbox ?? []).filter((r): r is AlertRecord => isAlertShape(r) || isFollowUpShape(r));
    // What was on the board before a reload has been seen already: no second notification.
    for (const r of this.records.values()) this.notified.add(r.id);
    this.publish();
  }

  start(): void {
    this.polling.start();
  }

  stop(): void {
    this.polling.stop();
  }

  /** Throws AlertInputError on bad input, and RateLimitedError when every reader would ignore it. */
  async raise(input: AlertInput): Promise<Alert> {
    const now = Date.now();
    const alert = createAlert(this.me, input, now);
    const ctx = this.context();
    if (ctx) {
      const mine = [...this.records.values()].filter((r) => r.type === 'alert' && r.author === this.me.agentId);
      const { ignored } = acceptAlerts([...mine, alert], now, ctx.trust);
      if (ignored.some((x) => x.id === alert.id && x.reason === 'rate-limited')) throw new RateLimitedError();
    }
    await this.add(alert);
    return alert;
  }

  /**
   * The screen's "raise": my gate first, then an error key the person can read. Resolves with whether the
   * alert has left this phone (`sent`: a relay took it), waits in the outbox (`kept`: no hub in reach, no
   * key yet, or the hub slower than SENT_WAIT_MS), or the relay refused it (`refused`) — a person in a
   * crisis must not read "sent" for an alert that is still only on their phone.
   */
  async raiseChecked(input: AlertInput): Promise<RaiseOutcome> {
    const gate = this.host.gate('raise-alert');
    if (!gate?.allowed) throw new UserError(gate?.reason ?? 'error.notReady');
    let alert: Alert;
    try {
      alert = await this.raise(input);
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw code ? new UserError(`alerts.error.${code}`) : err;
    }
    return this.outcomeOf(alert.id);
  }

  /** An answer to an alert ("on my way", "resolved", …), with where it stands as for an alert raised. */
  async answer(alertId: string, act: FollowUpAct): Promise<RaiseOutcome> {
    const rec = createFollowUp(this.me, alertId, act, Date.now());
    await this.add(rec);
    return this.outcomeOf(rec.id);
  }

  /** Whether record `id`, just added, left the phone: add() started the sync that carries it (or asked the one running to go round once more). */
  private async outcomeOf(id: string): Promise<RaiseOutcome> {
    await waitAtMost(this.syncing ?? Promise.resolve(), SENT_WAIT_MS);
    if (this.refused.delete(id)) {
      // Not on my board either: it went nowhere, and the screen says so to try another way.
      this.records.delete(id);
      await this.save();
      this.publish();
      return 'refused';
    }
    return this.outbox.some((r) => r.id === id) ? 'kept' : 'sent';
  }

  private async add(rec: AlertRecord): Promise<void> {
    this.records.set(rec.id, rec);
    this.notified.add(rec.id);
    this.outbox.push(rec);
    await this.save();
    this.publish();
    void this.sync();
  }

  private async save(): Promise<void> {
    const now = Date.now();
    // Only what can still matter: records of alerts that have not expired.
    const live = [...this.records.values()].filter((r) => r.type !== 'alert' || r.expires > now);
    await this.store.put('alerts', { records: live.slice(-MAX_KEPT), outbox: this.outbox });
  }

  /**
   * Hands the outbox to the relay and fetches what it holds. A call while one runs is not dropped: one
   * more run follows it (a record raised meanwhile goes out then), and the caller waits for that run.
   */
  sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    const run = async () => {
      do {
        this.again = false;
        const ctx = this.context();
        if (!ctx) return;
        await this.flush(ctx.communityId);
        await this.fetchHeld(ctx.communityId);
      } while (this.again);
    };
    this.syncing = run()
      .catch((err) => console.error('alerts sync', err)) // the next poll tries again; nothing is lost from the outbox
      .finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /**
   * Each record is sealed now, with the key current at sending (not at raising: a key may come later).
   * A record the relay refuses (4xx: expired, forged…) is dropped from the outbox; others wait.
   */
  private async flush(community: string): Promise<void> {
    if (this.outbox.length === 0) return;
    await this.host.keysSettled?.();
    const keyring = this.host.keyring();
    if (!currentKey(keyring)) {
      this.state.set({ alertOutbox: this.outbox.length, alertWaitingForKey: true });
      return;
    }
    const left: AlertRecord[] = [];
    for (const rec of this.outbox) {
      const body = JSON.stringify(sealAlertRecord(this.me, rec, keyring));
      const res = await this.host.relay.fetch(this.host.relay.base + withCommunity(Route.alerts, community), { method: 'POST', body }).catch(() => undefined);
      if (!res || res.status >= 500) left.push(rec);
      else if (res.status >= 400) {
        this.refused.add(rec.id);
        console.warn('relay refused an alert record', res.status, await res.text().catch(() => ''));
      }
    }
    this.outbox = left;
    this.state.set({ alertOutbox: left.length, alertWaitingForKey: false });
    await this.save();
  }

  /** Sealed records the relay holds; those my keys do not open yet stay there and are tried on the next poll. */
  private async fetchHeld(community: string): Promise<void> {
    const headers = authHeaders(this.me, { method: 'GET', path: Route.alerts });
    const res = await this.host.relay.fetch(this.host.relay.base + withCommunity(Route.alerts, community), { headers, cache: 'no-store' }).catch(() => undefined);
    if (!res?.ok) return;
    const { records } = (await res.json().catch(() => ({ records: [] }))) as Partial<AlertRecords>;
    const keyring = this.host.keyring();
    let changed = false;
    for (const carried of (Array.isArray(records) ? records : []).slice(0, MAX_KEPT)) {
      const id = (carried as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || this.records.has(id)) continue;
      const opened = openAlertRecord(carried, keyring);
      if (opened.ok && !this.records.has(opened.record.id)) {
        this.records.set(opened.record.id, opened.record);
        changed = true;
      }
    }
    if (changed) {
      await this.save();
      this.publish();
    }
  }

  /** Recomputes the board from the records, in my own view of who may raise and answer alerts. */
  publish(): void {
    const ctx = this.context();
    if (!ctx || !this.host.gate('see-alerts')?.allowed) {
      this.state.set({ alertOutbox: this.outbox.length, alerts: [] });
      return;
    }
    const all = [...this.records.values()];
    const board = alertBoard(all.filter((r) => r.type === 'alert'), all.filter((r) => r.type === 'alert-follow-up'), Date.now(), ctx.trust);
    this.state.set({ alertOutbox: this.outbox.length, alerts: board.shown, alertsIgnored: board.ignored.length });
    for (const s of board.shown) if (s.state.status === 'active' && !this.notified.has(s.alert.id)) this.notify(s.alert);
  }

  private notify(alert: Alert): void {
    this.notified.add(alert.id);
    // The banner shows either way; a notification the platform refused is said on the alerts screen.
    Promise.resolve()
      .then(() => this.host.notify(alert))
      .then(
        () => this.state.set({ notifyError: null }),
        (err) => {
          console.error('notification', err);
          this.state.set({ notifyError: 'alerts.notifyFailed' });
        },
      );
  }
}
