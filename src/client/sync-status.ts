import type { DocHandle, Repo } from '@automerge/automerge-repo/slim';
import type { SettingsTable } from './local-store.ts';
import type { DeviceSignals, RelayHttp } from './ports.ts';
import { Route, type RelayStatus } from '../core/protocol/routes.ts';
import { Store } from './store.ts';
import { PollLoop } from './poll-loop.ts';

export interface BridgeContact {
  peer: string;
  at: number;
  up: boolean;
  changes: number;
}

export interface SyncState {
  online: boolean;
  relayConnected: boolean;
  /** Local writes the relay has not yet acknowledged holding. */
  pending: number;
  /** The relay's last contact with another relay (a bridge): when, and how many changes it brought. */
  lastBridge: BridgeContact | null;
  /** Messages from the hub left out this session: too many changes at once to take in safely. */
  hubRefused: number;
}

const STATUS_POLL_MS = 15_000;

/**
 * How this phone stands with its relay: online or not, connected or not, how many of my writes the relay
 * has yet to take, and the relay's last bridge contact (for the status bar).
 */
export class SyncStatus {
  readonly state: Store<SyncState>;
  /** While connected: the relay's bridge contacts, now and then (for the status bar). */
  private readonly statusPolling = new PollLoop(STATUS_POLL_MS, () => this.pollRelayStatus());

  constructor(
    private readonly settings: SettingsTable,
    private readonly relay: RelayHttp,
    device: DeviceSignals,
    /** The repo and the docs I write (my feed, the community); none before they are open. */
    private readonly docs: () => { repo?: Repo; handles: DocHandle<unknown>[] },
  ) {
    this.state = new Store<SyncState>({ online: device.online(), relayConnected: false, pending: 0, lastBridge: null, hubRefused: 0 });
    device.onOnlineChange((online) => this.state.set({ online }));
  }

  async load(): Promise<void> {
    this.state.set({ pending: (await this.settings.get<number>('pendingWrites')) ?? 0 });
  }

  connected(): boolean {
    return this.state.state.relayConnected;
  }

  /** The relay link came up: status polling starts, until it goes down. */
  linkUp(): void {
    this.state.set({ relayConnected: true });
    this.check();
    this.statusPolling.start();
  }

  linkDown(): void {
    this.state.set({ relayConnected: false });
    this.statusPolling.stop();
  }

  /** The hub sent a message this phone left out (platform/session-socket.ts weighs them). */
  refusedFromHub(): void {
    this.state.set({ hubRefused: this.state.state.hubRefused + 1 });
  }

  /** One more write the relay has to take; kept across reloads. */
  async bump(): Promise<void> {
    const pending = this.state.state.pending + 1;
    this.state.set({ pending });
    await this.settings.set('pendingWrites', pending);
    this.check();
  }

  /** Pending = local writes the relay has not yet acknowledged holding (its heads lag ours). */
  check(): void {
    const { repo, handles } = this.docs();
    if (!repo || handles.length === 0) return;
    const relay = repo.peers.map((p) => repo.getStorageIdOfPeer(p)).find(Boolean);
    if (!relay) return;
    const inSync = handles.every((h) => {
      const theirs: string[] = h.getSyncInfo(relay)?.lastHeads ?? [];
      return h.heads().every((x) => theirs.includes(x));
    });
    if (inSync && this.state.state.pending !== 0) {
      this.state.set({ pending: 0 });
      void this.settings.set('pendingWrites', 0);
    }
  }

  /** Asks the relay about its bridge contacts (for the status bar). */
  private async pollRelayStatus(): Promise<void> {
    if (!this.connected()) return;
    const res = await this.relay.fetch(this.relay.base + Route.status, { cache: 'no-store' }).catch(() => undefined);
    const dtn = res?.ok ? ((await res.json().catch(() => ({}))) as Partial<RelayStatus>).dtn : undefined;
    const c = dtn?.lastContact;
    if (c) this.state.set({ lastBridge: { peer: c.peer, at: c.up ? Date.now() : (c.until ?? c.since), up: c.up, changes: c.changesApplied } });
    this.check(); // a missed acknowledgement is caught here at the latest
  }

  stop(): void {
    this.statusPolling.stop();
  }
}
