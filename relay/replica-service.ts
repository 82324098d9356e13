import type { AutomergeUrl } from '@automerge/automerge-repo';
import { Communities } from './communities.ts';
import { CommunityDirectory } from './community-directory.ts';
import { docId } from './communities.ts';
import { FIRST_ORGANISER_INVITE_FILE, FirstOrganiser } from './first-organiser.ts';
import { JoinDoor } from './join-policy.ts';
import type { RelayConfig } from './config.ts';
import type { Logger } from './log.ts';
import { createRelayRepo, type RelayRepo } from './repo.ts';
import type { RelayService } from './service.ts';
import { SyncAccess } from './sync-access.ts';
import { StateFiles } from './sealed-data.ts';
import { CLOSE, REMOVED_REASON } from './ws-adapter.ts';
import type { WebSocket } from 'ws';

/**
 * The relay's replica of the communities it serves: the automerge repo on disk, the communities and
 * who belongs to them, and the rule of who may sync which doc. Everything else builds on it, so it
 * starts first and closes last (flushing every doc to disk).
 */
export class ReplicaService implements RelayService {
  readonly name = 'replica';
  readonly directory = new CommunityDirectory();
  readonly access = new SyncAccess(this.directory);
  /** Who joins without an invite: the operator's --join-policy with each community's signed setting. */
  readonly door: JoinDoor;
  readonly rr: RelayRepo;
  readonly communities: Communities;
  /** The relay's small state files, sealed when its data dir is (relay/sealed-data.ts). */
  readonly files: StateFiles;

  constructor(
    private readonly cfg: RelayConfig,
    private readonly log: Logger,
    /** The sealed data dir's key (relay/sealed-data.ts); none when the data dir is in the clear. */
    dataKey?: Uint8Array,
  ) {
    this.door = new JoinDoor(cfg.joinPolicy, this.directory);
    this.files = new StateFiles(dataKey);
    this.rr = createRelayRepo(cfg.dataDir, { maxMessageBytes: cfg.maxMessageBytes, maxDocOps: cfg.maxDocOps }, log, this.access, dataKey);
    this.communities = new Communities(this.rr, cfg.dataDir, log, this.files, cfg.communityRelay, cfg.origin);
    this.directory.bind(this.rr, this.communities);
    this.communities.on('doc', (id) => {
      this.access.listed(id);
      this.rr.phones.docListed(id);
    });
    // A removal signed by an organiser ends the removed member's live sessions for that community.
    this.communities.on('view', (communityDocId, view) => {
      const removed = view.settings.removed ?? {};
      if (Object.keys(removed).length === 0) return;
      const sockets = this.rr.wss.clients as unknown as Iterable<WebSocket>;
      this.rr.phones.closeSessions(sockets, (s) => s.communities.has(communityDocId) && Object.hasOwn(removed, s.key), CLOSE.removed, REMOVED_REASON);
    });
  }

  async start(): Promise<void> {
    await this.communities.load(this.cfg.communityName, this.cfg.join as AutomergeUrl[], this.cfg.joinPins);
    this.directory.firstOrganiser = await FirstOrganiser.open(this.cfg.dataDir, this.files, !this.cfg.firstOrganiserLinkOnly);
    await this.publishFirstOrganiser();
    // The first member's entry ends the wait: the invite file goes (its secret admits nobody from then on).
    this.communities.on('view', () => void this.publishFirstOrganiser());
  }

  private waitingFor = '';

  /** Tells the operator how the first organiser of each community nobody has joined gets in (log and file). */
  private async publishFirstOrganiser(): Promise<void> {
    const organiser = this.directory.firstOrganiser;
    if (!organiser || this.cfg.joinPolicy === 'open') return;
    const waiting = this.communities.served.filter((c) => !this.directory.hasMembers(docId(c.url)));
    const key = waiting.map((c) => c.url).join(' ');
    if (key === this.waitingFor) return;
    this.waitingFor = key;
    for (const c of waiting) {
      this.log.warn({ community: c.name, invite: organiser.invite(c), file: FIRST_ORGANISER_INVITE_FILE }, 'nobody has joined this community yet: its first organiser opens the hub with ?invite=<invite> or pastes the invite when joining (`first-organiser` prints it with a QR code)');
    }
    await organiser.publish(this.cfg.dataDir, waiting).catch((err: unknown) => this.log.error({ err: String(err) }, 'could not write the first-organiser invite file; the invite is in this log'));
  }

  close(): Promise<void> {
    return this.rr.close();
  }

  status(): Record<string, unknown> {
    return { unsaved: this.rr.unsaved(), phones: this.rr.wss.clients.size, docStore: this.rr.storage.status() };
  }
}
