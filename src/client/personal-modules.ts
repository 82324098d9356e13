import type { Identity } from '../core/crypto/keys.ts';
import { AlertWatch, type AlertsState } from './alerts.ts';
import { Carrier, type CarryState } from './carry.ts';
import { openBytes, sealBytes } from '../core/vault/secretbox.ts';
import type { Community } from './community.ts';
import type { CarriedTable } from './local-store.ts';
import type { PhoneDocs } from './docs.ts';
import { keyIssuers, MembersKey } from './members-key.ts';
import { Messenger, type MessagesState } from './messages.ts';
import type { Platform } from './ports.ts';
import { RequestWatch, type RequestsState } from './requests.ts';
import { SanctuaryDesk, type SanctuaryState } from './sanctuary.ts';
import type { Store } from './store.ts';
import type { SyncStatus } from './sync-status.ts';
import type { Trust } from './trust.ts';
import type { PhoneVault, SecretStore } from './vault.ts';

/** What the personal modules are built over: the phone's shared pieces, and the Stores that outlive them. */
export interface PersonalDeps {
  platform: Platform;
  trust: Trust;
  community: Community;
  docs: PhoneDocs;
  vault: PhoneVault;
  sync: SyncStatus;
  secrets: SecretStore;
  /** The table carried bundles are kept in (the phone's local store). */
  carried: CarriedTable;
  states: {
    messages: Store<MessagesState>;
    requests: Store<RequestsState>;
    alerts: Store<AlertsState>;
    sanctuary: Store<SanctuaryState>;
    carry: Store<CarryState>;
  };
}

/**
 * The modules that hold one identity's own sealed state — messages, requests on my posts, alerts, the
 * sanctuary desk, the members' key — made anew at each join or unlock. Their state Stores belong to the
 * phone, so a renderer's subscription lasts across identities.
 */
export class PersonalModules {
  messenger?: Messenger;
  requests?: RequestWatch;
  alerts?: AlertWatch;
  sanctuary?: SanctuaryDesk;
  membersKey?: MembersKey;
  carrier?: Carrier;

  constructor(private readonly deps: PersonalDeps) {}

  async start(me: Identity): Promise<void> {
    const { platform, trust, community, docs, vault, sync, secrets, states } = this.deps;
    const relay = platform.relay;
    const connected = () => sync.connected();
    this.messenger?.stop();
    const name = (id: string) => community.state.state.members[id] ?? '';
    this.messenger = new Messenger(
      me,
      secrets,
      { relay, connected, gate: () => trust.gate('message'), recipient: (id) => community.recipient(id), name, notify: platform.notifyMessage },
      states.messages,
    );
    await this.messenger.load();
    this.messenger.start();
    this.requests?.stop();
    this.requests = new RequestWatch(
      secrets,
      { me: () => me.agentId, community: community.state, name, notify: platform.notifyRequest },
      states.requests,
    );
    await this.requests.load();
    this.requests.start();
    this.alerts?.stop();
    this.alerts = new AlertWatch(
      me,
      secrets,
      {
        relay,
        connected,
        context: () => {
          const id = docs.community?.doc()?.id;
          return id ? { communityId: id, trust: trust.readerContext() } : null;
        },
        gate: (a) => trust.gate(a),
        notify: platform.notify,
        keyring: () => this.membersKey?.keyring() ?? new Map(),
        keysSettled: () => this.membersKey?.settle() ?? Promise.resolve(),
      },
      states.alerts,
    );
    await this.alerts.load();
    this.alerts.start();
    // What the sanctuary and the members' key judge by: shared, signed data, the same on every phone.
    const shared = () => {
      const signed = community.signed;
      const p = trust.perspective;
      if (!signed || !p) return null;
      // A founded community: the members its signed steward set names, never this phone's own roots.
      // Only a doc made before founding records (no founder at all) has nothing shared to go by: there
      // the roots this phone trusts stand in, as they do for its own gates.
      const stewards = signed.founder !== undefined ? keyIssuers(signed) : p.founder ? [p.viewer] : [...p.anchors];
      return { vouches: trust.book.vouches, stewards, members: signed.members, thresholds: trust.thresholds, removed: signed.settings.removed };
    };
    this.sanctuary?.stop();
    this.sanctuary = new SanctuaryDesk(
      {
        me,
        repo: () => docs.start(vault.dek),
        community: () => docs.community,
        communityOpen: () => docs.communityOpen(),
        context: () => trust.readerContext(),
        shared,
        feedsLoaded: () => community.feedsLoaded(),
        feedsRead: () => community.feedsRead(),
        people: () => trust.state.state.trust?.people ?? [],
        gate: (a) => trust.gate(a),
        wrote: () => sync.bump(),
      },
      states.sanctuary,
    );
    this.membersKey?.stop();
    this.membersKey = new MembersKey({
      me,
      community: () => docs.community,
      feed: () => docs.feed,
      shared,
      feedsLoaded: () => community.feedsLoaded(),
      feedsRead: () => community.feedsRead(),
      keysChanged: () => {
        community.rereadAll();
        // Alerts waiting for a key go out now, and held ones this key opens show now.
        void this.alerts?.sync();
        // Vouch notes kept on the phone for want of a key are sealed into my feed now.
        void trust.sealPendingNotes().catch((err) => console.error('vouch notes', err));
      },
      wrote: () => sync.bump(),
    });
    this.membersKey.schedule();
    // Carry for others (issue 21): bundles for other islands, sealed at rest under the data key.
    this.carrier?.stop();
    const dek = () => {
      if (!vault.dek) throw new Error('the phone is locked');
      return vault.dek;
    };
    this.carrier = new Carrier(
      me,
      { relay, table: this.deps.carried, secrets, seal: (b) => sealBytes(dek(), b), open: (b) => openBytes(dek(), b), connected },
      states.carry,
    );
    await this.carrier.load();
    this.carrier.start();
  }

  stop(): void {
    this.messenger?.stop();
    this.requests?.stop();
    this.alerts?.stop();
    this.membersKey?.stop();
    this.sanctuary?.stop();
    this.carrier?.stop();
  }
}
