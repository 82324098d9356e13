import type { Identity } from '../crypto/keys.ts';
import { randomBytes } from '../crypto/keys.ts';
import { randomId } from '../crypto/encoding.ts';
import { signRecord, verifyRecord, type Unsigned } from '../crypto/sign.ts';
import type { Audience, Intent, IntentKind, Measure, VfAction } from './types.ts';
import { firstProblem, LIMITS, optionalTime, text, time, type Problem } from './validate.ts';

export interface IntentInput {
  kind: IntentKind;
  action?: VfAction;
  category: string;
  title: string;
  description: string;
  quantity?: Measure;
  area?: string;
  availableFrom?: number;
  availableUntil?: number;
  expires?: number;
  audience?: Audience;
  attachments?: string[];
}

const ACTIONS: VfAction[] = ['transfer', 'use', 'work', 'deliver-service'];
const AUDIENCES: Audience[] = ['public', 'local', 'trusted', 'private'];

/** Automerge rejects `undefined`; optional fields are simply left out. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function fields(input: IntentInput, author: string) {
  return compact({
    kind: input.kind,
    action: input.action ?? 'transfer',
    provider: input.kind === 'offer' ? author : undefined,
    receiver: input.kind === 'need' ? author : undefined,
    resourceConformsTo: input.category,
    name: input.title.trim(),
    note: input.description.trim(),
    resourceQuantity: input.quantity,
    atLocation: input.area || undefined,
    hasBeginning: input.availableFrom,
    hasEnd: input.availableUntil,
    expires: input.expires,
    audience: input.audience ?? 'public',
    ...(input.attachments?.length ? { attachments: [...input.attachments] } : {}),
  });
}

/** A new open intent by `author`, not yet signed (a signer other than signRecord may sign it). */
export function draftIntent(author: string, input: IntentInput, now: number): Unsigned<Intent> {
  return {
    type: 'intent',
    id: randomId(randomBytes),
    author,
    status: 'open',
    created: now,
    updated: now,
    ...fields(input, author),
  };
}

/** Files attached to one post: enough for photos and a manual, not a gallery. */
export const MAX_ATTACHMENTS = 5;

export function createIntent(me: Identity, input: IntentInput, now: number): Intent {
  return signRecord<Intent>(draftIntent(me.agentId, input, now), me.signSecretKey);
}

/** An edit is a new signed version of the same id; `updated` orders versions. */
export function editIntent(me: Identity, prev: Intent, input: IntentInput, now: number): Intent {
  const { sig: _s, ...rest } = prev;
  const base = Object.fromEntries(
    Object.entries(rest).filter(([k]) => ['type', 'id', 'author', 'status', 'created'].includes(k)),
  ) as Pick<Intent, 'type' | 'id' | 'author' | 'status' | 'created'>;
  return signRecord<Intent>({ ...base, ...fields(input, me.agentId), updated: Math.max(now, prev.updated + 1) }, me.signSecretKey);
}

export function setIntentStatus(me: Identity, prev: Intent, status: Intent['status'], now: number): Intent {
  const { sig: _s, ...rest } = prev;
  return signRecord<Intent>({ ...rest, status, updated: Math.max(now, prev.updated + 1) }, me.signSecretKey);
}

function quantityProblem(q: unknown): Problem {
  if (q === undefined) return null;
  if (typeof q !== 'object' || q === null) return 'error.badQuantity';
  const m = q as Partial<Measure>;
  const n = m.hasNumericalValue;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n > LIMITS.quantity) return 'error.badQuantity';
  return text(m.hasUnit, LIMITS.unit);
}

/** Shape and value checks, independent of the signature. */
export function intentProblem(r: Partial<Intent>): Problem {
  if (r.type !== 'intent') return 'error.notIntent';
  if (r.kind !== 'offer' && r.kind !== 'need') return 'error.badKind';
  if (!ACTIONS.includes(r.action as VfAction)) return 'error.badAction';
  if (!AUDIENCES.includes(r.audience as Audience)) return 'error.badAudience';
  if (!['open', 'withdrawn', 'fulfilled'].includes(r.status as string)) return 'error.badStatus';
  if (r.kind === 'offer' && r.provider !== r.author) return 'error.wrongProvider';
  if (r.kind === 'need' && r.receiver !== r.author) return 'error.wrongReceiver';
  if (r.hasBeginning !== undefined && r.hasEnd !== undefined && r.hasEnd < r.hasBeginning) return 'error.endBeforeStart';
  if (r.attachments !== undefined && (!Array.isArray(r.attachments) || r.attachments.length > MAX_ATTACHMENTS || r.attachments.some((a) => typeof a !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(a)))) return 'error.badAttachments';
  return firstProblem(
    text(r.id, 64),
    text(r.name, LIMITS.title),
    text(r.note, LIMITS.note, false),
    text(r.resourceConformsTo, 64),
    r.atLocation === undefined ? null : text(r.atLocation, 64),
    quantityProblem(r.resourceQuantity),
    time(r.created),
    time(r.updated),
    optionalTime(r.hasBeginning),
    optionalTime(r.hasEnd),
    optionalTime(r.expires),
  );
}

/** A record as read from someone's feed: valid only if well-formed, signed, and by the feed's owner. */
export function checkIntent(r: unknown, feedOwner: string): Problem {
  return checkOpenedIntent(r, feedOwner) ?? (verifyRecord(r) ? null : 'error.badSignature');
}

/**
 * checkIntent for a record whose signature was checked already: a sealed post, checked inside its box
 * when it was opened (core/audience/seal.ts open), or recalled as opened before (sealed-memo.ts).
 */
export function checkOpenedIntent(r: unknown, feedOwner: string): Problem {
  if (typeof r !== 'object' || r === null) return 'error.notIntent';
  const rec = r as Partial<Intent>;
  if (rec.author !== feedOwner) return 'error.wrongAuthor';
  return intentProblem(rec);
}

export function inputProblem(input: IntentInput): Problem {
  return intentProblem({
    type: 'intent',
    id: 'x',
    author: 'a',
    status: 'open',
    created: 0,
    updated: 0,
    ...fields(input, 'a'),
  } as Partial<Intent>);
}
