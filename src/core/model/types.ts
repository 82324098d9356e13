import type { Audience } from '../protocol/audience.ts';
import type { Signed } from '../crypto/sign.ts';
import type { FoundingRecord, SettingRecord } from './community-records.ts';
import type { RetirementRecord } from './retirement.ts';
import type { SanctuaryEntryRecord, SanctuaryKeyEnvelope, SanctuaryVerification } from '../sanctuary/types.ts';
import type { KeyEnvelope, SealedRecord } from '../audience/types.ts';
import type { InviteShare } from '../audience/invite-share.ts';
import type { HubRecord } from './hub-record.ts';

/** ValueFlows quantity. No prices anywhere: gifts, not trade. */
export interface Measure {
  hasNumericalValue: number;
  hasUnit: string;
}

export type IntentKind = 'offer' | 'need';
export type VfAction = 'transfer' | 'use' | 'work' | 'deliver-service';
export type IntentStatus = 'open' | 'withdrawn' | 'fulfilled';
/** Who may see a record once it leaves the author's phone: the same audience DTN bundles carry. */
export type { Audience };

export interface ResourceSpecification {
  id: string;
  name: string;
  /** Goods that spoil: carried as perishable-priority bundles. */
  perishable?: boolean;
}

/** Coarse area only — never an exact address in a shared record. */
export interface Location {
  id: string;
  name: string;
}

/** Signed by its holder; binds the x25519 box key to the ed25519 identity. */
export interface Profile extends Signed {
  type: 'profile';
  name: string;
  boxKey: string;
  created: number;
}

/**
 * An offer (provider = author) or a need (receiver = author). Edits replace the record with a newly
 * signed version carrying a later `updated`.
 */
export interface Intent extends Signed {
  type: 'intent';
  id: string;
  kind: IntentKind;
  action: VfAction;
  provider?: string;
  receiver?: string;
  resourceConformsTo: string;
  name: string;
  note: string;
  resourceQuantity?: Measure;
  atLocation?: string;
  hasBeginning?: number;
  hasEnd?: number;
  expires?: number;
  status: IntentStatus;
  audience: Audience;
  /** Ids of shared files (library manifests) attached to this post. */
  attachments?: string[];
  created: number;
  updated: number;
}

export interface Proposal extends Signed {
  type: 'proposal';
  id: string;
  /** The intent this responds to. */
  publishes: string;
  /** Whose intent that is (intent ids are unique per author only). */
  publisher?: string;
  /** The proposer's own intent it would answer (a need, for an offer). */
  reciprocal?: string;
  note: string;
  created: number;
}

export interface Commitment extends Signed {
  type: 'commitment';
  id: string;
  action: VfAction;
  provider: string;
  receiver: string;
  resourceConformsTo: string;
  resourceQuantity?: Measure;
  satisfies?: string;
  /** The proposal this commitment accepts. */
  proposal?: string;
  due?: number;
  created: number;
}

/** A hand-over that happened: "given" or "received". */
export interface EconomicEvent extends Signed {
  type: 'event';
  id: string;
  action: VfAction;
  provider?: string;
  receiver?: string;
  resourceConformsTo: string;
  resourceQuantity?: Measure;
  /** The intent it satisfies (VF `satisfies`). */
  satisfies?: string;
  /** The commitment it fulfils (VF `fulfills`). */
  fulfills?: string;
  /**
   * An earlier event of the same author this one takes back (VF `corrects`): "undo" of a hand-over marked
   * by mistake. The mistaken event stays in the feed; readers simply stop counting it.
   */
  corrects?: string;
  note: string;
  hasPointInTime: number;
}

/** The author of an offer or need says no to a request for it (nothing is deleted; the request stays). */
export interface Decline extends Signed {
  type: 'decline';
  id: string;
  /** The proposal this answers. */
  proposal: string;
  created: number;
}

export interface Vouch extends Signed {
  type: 'vouch';
  id: string;
  /** = author */
  from: string;
  to: string;
  strength: 1 | 2 | 3;
  /** In clear only in vouches made before notes were sealed; '' when the note is sealed (see noteSealed). */
  note: string;
  /** The note is a signed vouch note in the author's sealed map, readable by members only (core/trust/vouch-note.ts). */
  noteSealed?: true;
  created: number;
  expires?: number;
}

export interface Revocation extends Signed {
  type: 'revocation';
  id: string;
  /** id of the vouch it cancels; only that vouch's author may revoke it. */
  revokes: string;
  created: number;
}

export interface TrustThresholds {
  view: number;
  post: number;
  message: number;
  vouch: number;
  steward: number;
}

/** A directory entry, signed by the member (see community-records.ts): nobody else can move it or its feed. */
export interface MemberEntry extends Signed {
  type: 'membership';
  /** The community's id: an entry copied into another community does not count there. */
  community: string;
  profile: Profile;
  /** automerge URL of the member's own feed doc. */
  feedUrl: string;
  joined: number;
}

/**
 * Community doc: shared directory of a community. Anyone may add their own signed member entry. The plain
 * name … thresholds fields are a cache for old readers: readers derive the settings from the signed
 * founding and setting records only (read-community.ts).
 */
export interface CommunityDoc {
  type: 'community';
  id: string;
  /** The founder's signed first settings (see community-records.ts). */
  founding?: FoundingRecord;
  /** The founder giving up its rights (retirement.ts), by record id: one, unless its key was taken. */
  retirements?: Record<string, RetirementRecord>;
  /** Steward-signed settings, by record id. */
  settings?: Record<string, SettingRecord>;
  name: string;
  description: string;
  categories: Record<string, ResourceSpecification>;
  areas: Record<string, Location>;
  members: Record<string, MemberEntry>;
  thresholds: TrustThresholds;
  created: number;
  /** Sanctuary setup, signed by the steward who last set it (readers honour only a steward's). */
  sanctuary?: SanctuarySettings;
  /** Sanctuary key envelopes (sealed to each entitled member), by envelope id. */
  sanctuaryKeys?: Record<string, SanctuaryKeyEnvelope>;
  /** Key envelopes of the other sealed audiences (members-only posts), by envelope id. */
  audienceKeys?: Record<string, KeyEnvelope>;
  /** Invite-link secrets boxed from one organiser to another (audience/invite-share.ts), by id. */
  inviteShares?: Record<string, InviteShare>;
  /** What each hub serving the community reads, signed with its relay key (hub-record.ts), by relay key. */
  hubs?: Record<string, HubRecord>;
}

/** Where the sanctuary doc is and who may read it: a steward's signed setting in the community doc. */
export interface SanctuarySettings extends Signed {
  type: 'sanctuary-settings';
  /** automerge URL of the sanctuary doc. */
  url: string;
  tier: 'steward' | 'trusted';
  checkInDays: number;
  updated: number;
}

/** The sanctuary doc: encrypted entries and stewards' in-person verifications (src/core/sanctuary). */
export interface SanctuaryDoc {
  type: 'sanctuary';
  community: string;
  entries: Record<string, SanctuaryEntryRecord>;
  verifications: Record<string, SanctuaryVerification>;
}

/** Feed doc: written only by its owner; every record signed by the owner. */
export interface FeedDoc {
  type: 'feed';
  owner: string;
  community: string;
  intents: Record<string, Intent>;
  proposals: Record<string, Proposal>;
  commitments: Record<string, Commitment>;
  events: Record<string, EconomicEvent>;
  /** My "no" to requests for my posts (older feeds have none). */
  declines?: Record<string, Decline>;
  vouches: Record<string, Vouch>;
  revocations: Record<string, Revocation>;
  /** Community decision records (drafts, consents, objections, outcomes): see agents/governance-records.ts. */
  decisions?: Record<string, unknown>;
  /**
   * Members-only records, sealed on the author's phone: posts (core/model/sealed-intent.ts), the requests,
   * promises, hand-overs and declines about them (sealed-agreement.ts), vouch notes and decisions. The
   * signed record is inside the box, so the doc shows only its id, audience, epoch and a padded size.
   */
  sealed?: Record<string, SealedFeedRecord>;
}

/** A sealed record in a feed: what anyone who holds the doc can see of a members-only post. */
export interface SealedFeedRecord extends SealedRecord {
  id: string;
}

/**
 * Defaults chosen so one in-person "I know them" (strength 2) from an organiser lets a newcomer post and
 * message: decay·2/3 = 0.533 ≥ post = message = 0.35; from a member at the trusted bar (0.7) it is 0.373.
 * Trusted (vouch) takes a "know them well" vouch from an organiser (0.8) or two "I know them" (0.78).
 * Worked example in openspec web-of-trust.
 */
export const DEFAULT_THRESHOLDS: TrustThresholds = { view: 0.2, post: 0.35, message: 0.35, vouch: 0.7, steward: 0.9 };
