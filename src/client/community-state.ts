import type { RelayHttp } from './ports.ts';
/* What the phone shows of its community, and what the community module asks of the rest of the phone. */
import type { AsyncSignatureCheck } from '../core/crypto/sign.ts';
import type { Identity } from '../core/crypto/keys.ts';
import type { Keyring } from '../core/audience/types.ts';
import type { CommunitySettings } from '../core/model/community-settings.ts';
import type { Commitment, Decline, EconomicEvent, Intent, Proposal } from '../core/model/types.ts';
import type { VouchNote } from '../core/trust/vouch-note.ts';
import type { DecisionState } from '../../agents/governance-records.ts';
import type { IntakeProgress } from './feed-intake.ts';

export interface Named {
  id: string;
  name: string;
}

export interface CommunityState {
  communityName: string;
  /** The invite others can scan from me (it names me as their inviter). */
  invite: string;
  categories: Named[];
  areas: Named[];
  /** Valid members by id: their names. */
  members: Record<string, string>;
  docsLoaded: boolean;
  /** The signed settings in full and who may change them (the community settings screen). */
  communitySettings: CommunitySettings | null;
  stewards: string[];
  /** Records refused (forged, not the feed's owner, malformed), for diagnostics. */
  rejected: number;
  /** Verified proposals, commitments, hand-overs and declines from every feed. */
  agreements: { proposals: Proposal[]; commitments: Commitment[]; events: EconomicEvent[]; declines: Decline[] };
  /** Every post of mine as my feed proves it, open or closed ("My posts"). */
  mine: Intent[];
  /** Where each community decision stands (drafts, rounds, answers, outcomes). */
  decisions: DecisionState[];
  /** Vouch notes this phone opened, by noteKey (author/vouch id); noteOf matches them to vouches. */
  vouchNotes: Record<string, Pick<VouchNote, 'author' | 'to' | 'note'>>;
  /** Whether this phone holds a members' key: without one, sealed notes and decisions are not readable here. */
  readsSealed: boolean;
  /** A big feed being taken in (a newcomer joining a community with history): posts checked so far. */
  intake: IntakeProgress | null;
}

/** What the community module tells the rest of the phone. */
export interface CommunityHost {
  me(): string | undefined;
  /** My keys: to open invite-link secrets organisers boxed to me, and box mine to them. */
  identity(): Identity | undefined;
  /** Something was written to a doc: sync it soon. */
  wrote(): Promise<void>;
  /** A feed's records were read: the list, the agents and the pending count look again. */
  feedRead(): Promise<void>;
  /** The platform's faster signature check, if any. */
  signatureCheck(): Promise<AsyncSignatureCheck | undefined>;
  /** The island's relay over HTTP (a newcomer's first screenful of a big feed: feed-preview.ts). */
  relay: RelayHttp;
  /**
   * The members' keys this phone holds (members-only posts it can open); undefined right after a start,
   * until they are read from the community doc (the members-only rows already listed stay until then).
   */
  membersKeys(): Keyring | undefined;
}
