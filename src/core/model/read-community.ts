import { foundingProblem, settingRecordProblem, type FoundingRecord, type SettingRecord } from './community-records.ts';
import { chooseRetirement, type RetirementRecord } from './retirement.ts';
import { defaultSettings, type CommunitySettings } from './community-settings.ts';
import { invitesMerge, removedMerge } from './keyed-setting-merge.ts';
import { everRecords, newer, restoreMembers, type RecordHistory } from './restore.ts';
import type { CommunityDoc, MemberEntry } from './types.ts';
import { memberEntries } from './community.ts';

export interface CommunityProblem {
  /** 'founding', 'retirement', 'setting' or 'member'. */
  what: string;
  /** Record id, setting key or agent id. */
  key: string;
  reason: string;
}

/** What a reader may believe of a community doc: only what its founder, stewards and members signed. */
export interface CommunityView {
  /** The community's id, from its founding record (the doc's own id field when there is none). */
  id: string;
  /** Author of the founding record: the root steward until it retires. Undefined for a doc nobody founded (legacy). */
  founder?: string;
  /** The founder's retirement this reader holds to (retirement.ts); after it the founder is no organiser. */
  retirement?: RetirementRecord;
  /** Whether the founder retired: a retirement was chosen, or this reader pinned one that has not arrived. */
  retired: boolean;
  settings: CommunitySettings;
  /** Who may sign settings: the founder and the stewards named by the latest valid stewards setting. */
  stewards: string[];
  /** Valid member entries, including any someone deleted or replaced without the member's signature. */
  members: Record<string, MemberEntry>;
  /** Everything ignored, with why: reported, never honoured. */
  problems: CommunityProblem[];
}

/**
 * The founding record: among the valid ones the doc and its history hold, the one by `pinned` (the
 * founder this reader learned first, e.g. from an invite or its relay) if given, else the earliest by
 * (created, signature). Without a pin a reader meeting a doc for the first time trusts the earliest.
 */
export function chooseFounding(candidates: readonly unknown[], pinned?: string): FoundingRecord | undefined {
  let pick: FoundingRecord | undefined;
  for (const c of candidates) {
    const f = c as FoundingRecord;
    if (foundingProblem(c, (c as { community?: unknown })?.community as string) !== null) continue;
    if (pinned !== undefined && f.author !== pinned) continue;
    if (!pick || f.created < pick.created || (f.created === pick.created && f.sig < pick.sig)) pick = f;
  }
  return pick;
}

/**
 * Derives the effective settings deterministically from signed records only: valid setting records are
 * replayed in (updated, signature) order; each counts only if its author was a steward at that point
 * (the founder always is; a stewards setting replaces the others). `removed` and `invites` merge per
 * member / per link across organisers; every other setting is the latest record's. Unsigned edits of the plain fields,
 * deleted records and records by non-stewards change nothing. Pure: same records, same view.
 */
export function readCommunity(doc: Partial<CommunityDoc> | undefined, history?: RecordHistory, pinnedFounder?: string, pinnedRetirement?: string): CommunityView {
  const problems: CommunityProblem[] = [];
  const foundings = everRecords(doc?.founding ? { '': doc.founding } : {}, history, ['founding']);
  const { founding, retirement, retired } = chooseRoot(foundings, everRecords(doc?.retirements, history, ['retirements']), pinnedFounder, pinnedRetirement);
  const id = founding?.community ?? (typeof doc?.id === 'string' ? doc.id : '');
  if (!founding) {
    problems.push({ what: 'founding', key: id, reason: foundings.length ? 'founding.invalid' : 'founding.missing' });
    // A doc nobody founded (made before signed settings): defaults, never its unsigned fields.
    const name = typeof doc?.name === 'string' && doc.name.trim() && doc.name.length <= 60 ? doc.name : 'Community';
    const settings = defaultSettings(name);
    return { id, settings, stewards: [], members: restoreMembers(doc?.members, history, id), problems, retired: false };
  }
  if (retired && !retirement) problems.push({ what: 'retirement', key: pinnedRetirement ?? '', reason: 'retirement.missing' });
  // After retiring, a founder record counts only if the retirement lists it (its date is its signer's word).
  const standing = (r: SettingRecord): boolean => r.author !== founding.author || !retired || !!retirement?.stands.includes(r.sig);
  const settings: CommunitySettings = structuredClone(founding.settings);
  // Open join is only ever an organiser's later, signed choice: founding records made before hubs
  // enforced it all carry the old default (open), which nobody chose, and would open every community.
  settings.openJoin = false;
  let stewards = new Set([founding.author, ...settings.stewards]);
  const records: SettingRecord[] = [];
  for (const r of everRecords(doc?.settings, history, ['settings'])) {
    const reason = settingRecordProblem(r, id);
    if (reason) problems.push({ what: 'setting', key: String((r as { id?: unknown }).id), reason });
    else records.push(r as SettingRecord);
  }
  records.sort((a, b) => (newer(a as never, b as never) ? 1 : -1));
  // A removed steward signs nothing that counts from their removal on (else they would undo it).
  const removedNow = (key: string): boolean => key !== founding.author && settings.removed?.[key] !== undefined;
  // `removed` and `invites` fold per key over every organiser's records (keyed-setting-merge.ts), so
  // concurrent removals or links by different organisers all hold; other settings: the latest wins.
  const merges = { removed: removedMerge(), invites: invitesMerge() };
  for (const key of ['removed', 'invites'] as const) {
    const founded = settings[key];
    if (founded === undefined) continue;
    merges[key].add(founding.author, founded, founding.created);
    settings[key] = merges[key].value();
  }
  for (const r of records) {
    if (!standing(r)) {
      problems.push({ what: 'setting', key: r.id, reason: 'setting.founderRetired' });
      continue;
    }
    if (!stewards.has(r.author) || removedNow(r.author)) {
      problems.push({ what: 'setting', key: r.id, reason: removedNow(r.author) ? 'setting.authorRemoved' : 'setting.notSteward' });
      continue;
    }
    if (r.key === 'removed' || r.key === 'invites') {
      merges[r.key].add(r.author, r.value as Record<string, number>, r.updated);
      settings[r.key] = merges[r.key].value();
      continue;
    }
    (settings as unknown as Record<string, unknown>)[r.key] = structuredClone(r.value);
    if (r.key === 'stewards') stewards = new Set([founding.author, ...(r.value as string[])]);
  }
  // The founder is the root of every right here: a removal naming them is reported, never honoured.
  if (settings.removed?.[founding.author] !== undefined) {
    problems.push({ what: 'setting', key: 'removed', reason: 'setting.founderNotRemovable' });
    const { [founding.author]: _founder, ...rest } = settings.removed;
    settings.removed = rest;
  }
  const members = restoreMembers(doc?.members, history, id);
  const inDoc = memberEntries(doc);
  for (const key of new Set([...Object.keys(inDoc), ...Object.keys(members)])) {
    if (members[key] !== inDoc[key]) problems.push({ what: 'member', key, reason: members[key] ? 'member.restored' : 'member.invalid' });
  }
  for (const key of Object.keys(settings.removed ?? {})) {
    if (!members[key]) continue;
    // Whatever entry they sign, before or after the removal: readers do not count them.
    delete members[key];
    problems.push({ what: 'member', key, reason: 'member.removed' });
  }
  const activeStewards = [...stewards].filter((k) => !removedNow(k) && !(retired && k === founding.author)).sort();
  return { id, founder: founding.author, ...(retirement ? { retirement } : {}), retired, settings, stewards: activeStewards, members, problems };
}

/**
 * The founding record and the founder's retirement a reader holds to. The founder is the pinned one, else
 * the earliest valid founding's author; once that founder retired, the founding is the earliest one its
 * retirement lists, so a founding record signed later with an earlier date (by whoever took the key)
 * cannot replace it.
 */
function chooseRoot(foundings: readonly unknown[], retirements: readonly unknown[], pinnedFounder?: string, pinnedRetirement?: string) {
  const first = chooseFounding(foundings, pinnedFounder);
  if (!first) return { founding: undefined, retirement: undefined, retired: false };
  const byFounder = foundings.filter((f) => (f as FoundingRecord).author === first.author && foundingProblem(f, (f as FoundingRecord).community) === null) as FoundingRecord[];
  const retirement = chooseRetirement(retirements, first.author, byFounder, pinnedRetirement);
  if (!retirement) return { founding: first, retirement: undefined, retired: pinnedRetirement !== undefined };
  const listed = byFounder.filter((f) => f.community === retirement.community && retirement.stands.includes(f.sig));
  return { founding: chooseFounding(listed, first.author), retirement, retired: true };
}
