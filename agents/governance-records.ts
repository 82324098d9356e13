/**
 * Community decisions as signed records in members' feeds, and the pure state machine that reads them.
 *
 * A decision is namespaced by its facilitator (the author of its drafts), so nobody else can revise it
 * or record its outcome: only drafts and outcomes signed by the facilitator count. A draft opens a
 * discussion until `discussionEnds`; a revised draft (same `decision`, later `updated`) that carries
 * `round`/`roundCloses` opens a consent round. Members answer a round with a consent or an objection
 * (their latest answer per round counts). The facilitator records the outcome, which is final. The
 * decision itself is made by people: the state machine only says where a decision stands.
 */
import type { Identity } from '../src/core/crypto/keys.ts';
import { signRecord, verifyRecord, type Signed, type Unsigned } from '../src/core/crypto/sign.ts';
import type { Audience } from '../src/core/model/types.ts';
import type { MemberRecords } from './types.ts';

interface DecisionBase extends Signed {
  /** This record's own random id. */
  id: string;
  /** The decision's id (the id of its first draft). */
  decision: string;
  audience: Audience;
  created: number;
}

export interface DecisionDraft extends DecisionBase {
  type: 'decision-draft';
  title: string;
  text: string;
  discussionEnds: number;
  /** Set on a version that opens consent round `round` (1, 2, …), closing at `roundCloses`. */
  round?: number;
  roundCloses?: number;
  updated: number;
}

export interface DecisionObjection extends DecisionBase {
  type: 'decision-objection';
  facilitator: string;
  round: number;
  reason: string;
}

export interface DecisionConsent extends DecisionBase {
  type: 'decision-consent';
  facilitator: string;
  round: number;
  note: string;
}

export const OUTCOMES = ['adopted', 'not-adopted', 'withdrawn'] as const;
export type OutcomeResult = (typeof OUTCOMES)[number];

export interface DecisionOutcome extends DecisionBase {
  type: 'decision-outcome';
  result: OutcomeResult;
  /** The round it concludes (0 when withdrawn before any round). */
  round: number;
  note: string;
}

export type DecisionRecord = DecisionDraft | DecisionObjection | DecisionConsent | DecisionOutcome;

/** A member's records as the reader hands them to agents, plus their (already verified) decision records. */
export interface GovernanceMemberRecords extends MemberRecords {
  decisions?: readonly unknown[];
}

export type DecisionPhase = 'discussion' | 'awaiting-round' | 'round-open' | 'round-closed' | 'decided';

export interface Position {
  id: string;
  author: string;
  created: number;
  /** Objection reason or consent note. */
  text: string;
}

export interface DecisionState {
  /** `facilitator/decision`: the key under which decisionState returns it. */
  key: string;
  decision: string;
  facilitator: string;
  title: string;
  text: string;
  audience: Audience;
  /** Creation time of the first draft seen. */
  created: number;
  discussionEnds: number;
  /** Current round (0 while no round has been opened by the latest draft). */
  round: number;
  roundCloses?: number;
  /** Highest round any draft version opened: the next round is lastRound + 1. */
  lastRound: number;
  phase: DecisionPhase;
  /** Consents and objections of the current round (latest answer per member), by author. */
  consents: Position[];
  objections: Position[];
  outcome?: { result: OutcomeResult; round: number; note: string; created: number; id: string };
}

const AUDIENCES: readonly string[] = ['public', 'local', 'trusted', 'private'];
const isStr = (v: unknown, max = 128): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isRound = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 1000;

/** Shape check of an untrusted record: the typed record, or null when anything is off. */
export function checkDecisionRecord(r: unknown): DecisionRecord | null {
  if (typeof r !== 'object' || r === null) return null;
  const x = r as Record<string, unknown>;
  if (!isStr(x.id) || !isStr(x.decision) || !isStr(x.author) || !isStr(x.sig, 256) || !isTime(x.created)) return null;
  if (typeof x.audience !== 'string' || !AUDIENCES.includes(x.audience)) return null;
  switch (x.type) {
    case 'decision-draft':
      return draftShape(x) ? (x as unknown as DecisionDraft) : null;
    case 'decision-objection':
      return isStr(x.facilitator) && isRound(x.round, 1) && isText(x.reason, 2000) ? (x as unknown as DecisionObjection) : null;
    case 'decision-consent':
      return isStr(x.facilitator) && isRound(x.round, 1) && isText(x.note, 2000) ? (x as unknown as DecisionConsent) : null;
    case 'decision-outcome':
      return OUTCOMES.includes(x.result as OutcomeResult) && isRound(x.round, 0) && isText(x.note, 2000)
        ? (x as unknown as DecisionOutcome)
        : null;
    default:
      return null;
  }
}

function draftShape(x: Record<string, unknown>): boolean {
  if (!isStr(x.title, 120) || !isText(x.text, 4000) || !isTime(x.discussionEnds) || !isTime(x.updated)) return false;
  if (x.round === undefined && x.roundCloses === undefined) return true;
  return isRound(x.round, 1) && isTime(x.roundCloses);
}

/** The reader's check: right shape, valid signature, and found in its author's own feed. */
export function verifyDecisionRecord(r: unknown, feedOwner: string): DecisionRecord | null {
  const rec = checkDecisionRecord(r);
  return rec !== null && rec.author === feedOwner && verifyRecord(rec) ? rec : null;
}

export function createDecisionRecord<T extends DecisionRecord>(identity: Identity, record: Unsigned<T>): T {
  if (record.author !== identity.agentId) throw new RangeError('a decision record is signed by its author');
  const signed = signRecord<T>(record, identity.signSecretKey);
  if (checkDecisionRecord(signed) === null) throw new RangeError('malformed decision record');
  return signed;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const keyOf = (facilitator: string, decision: string): string => `${facilitator}/${decision}`;

interface Bucket {
  drafts: DecisionDraft[];
  outcomes: DecisionOutcome[];
  answers: (DecisionObjection | DecisionConsent)[];
}

/**
 * Where every decision stands at `now`, keyed `facilitator/decision` in ascending key order. Pure and
 * independent of record order: every choice between records has a total tie-break. Malformed records,
 * and answers or outcomes without a draft, are ignored.
 */
export function decisionState(records: readonly unknown[], now: number): Map<string, DecisionState> {
  const buckets = new Map<string, Bucket>();
  const bucket = (k: string): Bucket => {
    let b = buckets.get(k);
    if (!b) buckets.set(k, (b = { drafts: [], outcomes: [], answers: [] }));
    return b;
  };
  for (const raw of records) {
    const r = checkDecisionRecord(raw);
    if (r === null) continue;
    if (r.type === 'decision-draft') bucket(keyOf(r.author, r.decision)).drafts.push(r);
    else if (r.type === 'decision-outcome') bucket(keyOf(r.author, r.decision)).outcomes.push(r);
    else bucket(keyOf(r.facilitator, r.decision)).answers.push(r);
  }
  const out = new Map<string, DecisionState>();
  for (const k of [...buckets.keys()].sort(cmp)) {
    const s = stateOf(k, buckets.get(k) as Bucket, now);
    if (s) out.set(k, s);
  }
  return out;
}

function stateOf(key: string, b: Bucket, now: number): DecisionState | null {
  if (b.drafts.length === 0) return null;
  const latest = b.drafts.reduce((a, d) => (d.updated > a.updated || (d.updated === a.updated && cmp(d.id, a.id) > 0) ? d : a));
  const first = Math.min(...b.drafts.map((d) => d.created));
  const lastRound = Math.max(0, ...b.drafts.map((d) => d.round ?? 0));
  const round = latest.round ?? 0;
  const { consents, objections } = answersOf(b.answers, round, latest.roundCloses);
  const s: DecisionState = {
    key,
    decision: latest.decision,
    facilitator: latest.author,
    title: latest.title,
    text: latest.text,
    audience: latest.audience,
    created: first,
    discussionEnds: latest.discussionEnds,
    round,
    lastRound,
    phase: 'discussion',
    consents,
    objections,
  };
  if (latest.roundCloses !== undefined) s.roundCloses = latest.roundCloses;
  const outcome = earliest(b.outcomes);
  if (outcome) {
    s.outcome = { result: outcome.result, round: outcome.round, note: outcome.note, created: outcome.created, id: outcome.id };
    s.phase = 'decided';
  } else if (round === 0) s.phase = now < latest.discussionEnds ? 'discussion' : 'awaiting-round';
  else s.phase = now < (latest.roundCloses as number) ? 'round-open' : 'round-closed';
  return s;
}

function earliest(outcomes: readonly DecisionOutcome[]): DecisionOutcome | undefined {
  return [...outcomes].sort((a, b) => a.created - b.created || cmp(a.id, b.id))[0];
}

/**
 * Each member's latest answer in `round` counts (a person may move from objection to consent); an
 * answer dated after the round closed does not. Ties in time go to the objection, the careful side.
 */
function answersOf(answers: readonly (DecisionObjection | DecisionConsent)[], round: number, closes: number | undefined) {
  const latest = new Map<string, DecisionObjection | DecisionConsent>();
  for (const a of answers) {
    if (round === 0 || a.round !== round || (closes !== undefined && a.created > closes)) continue;
    const prev = latest.get(a.author);
    if (!prev || later(a, prev)) latest.set(a.author, a);
  }
  const consents: Position[] = [];
  const objections: Position[] = [];
  for (const a of [...latest.values()].sort((x, y) => cmp(x.author, y.author))) {
    if (a.type === 'decision-consent') consents.push({ id: a.id, author: a.author, created: a.created, text: a.note });
    else objections.push({ id: a.id, author: a.author, created: a.created, text: a.reason });
  }
  return { consents, objections };
}

function later(a: DecisionObjection | DecisionConsent, b: DecisionObjection | DecisionConsent): boolean {
  if (a.created !== b.created) return a.created > b.created;
  if (a.type !== b.type) return a.type === 'decision-objection';
  return cmp(a.id, b.id) > 0;
}
