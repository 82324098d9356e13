/**
 * The first-run answers kept across a reload of the page (a phone roaming between access points, a
 * new copy of the app, the browser dropping a background tab): the step, whether restoring, the name and
 * the invite. In the tab's session storage, so they end with the tab, and cleared once joined or wiped.
 * Never the PIN, the backup or its passphrase: those are asked again rather than written down.
 */
/**
 * The first run's steps, one question each, for a new person and for someone restoring a backup. The one
 * list: Welcome.svelte walks it, and the layout crawl (tests/e2e/phase-screens-360.spec.ts) visits every
 * step in it, so a step added here is checked without anyone listing it again.
 */
export const WELCOME_STEPS = {
  newPerson: ['language', 'name', 'pin', 'join'],
  restoring: ['language', 'restore', 'pin', 'join'],
} as const satisfies Record<string, readonly string[]>;
export type WelcomePath = keyof typeof WELCOME_STEPS;
export type WelcomeStep = (typeof WELCOME_STEPS)[WelcomePath][number];

export const stepsFor = (restoring: boolean): readonly WelcomeStep[] => WELCOME_STEPS[restoring ? 'restoring' : 'newPerson'];

export interface WelcomeDraft {
  index: number;
  restoring: boolean;
  name: string;
  invite: string;
  /** A PIN was typed: it is not kept, so the person is taken back to that step. */
  pinTyped: boolean;
}

const KEY = 'spm-welcome';

/** The step to come back to: no further than the first answer that was not kept. */
export function resumeStep(d: WelcomeDraft, steps: readonly string[]): number {
  const lost = steps.findIndex((s) => s === 'restore' || (s === 'pin' && d.pinTyped));
  const last = steps.length - 1;
  return Math.max(0, Math.min(d.index, lost === -1 ? last : lost, last));
}

/** What an earlier load of this tab had answered; anything malformed counts as nothing. */
export function readDraft(storage: Pick<Storage, 'getItem'> = sessionStorage): WelcomeDraft | null {
  try {
    const d = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<WelcomeDraft> | null;
    if (!d || typeof d !== 'object') return null;
    const { index, restoring, name, invite, pinTyped } = d;
    if (!Number.isInteger(index) || typeof restoring !== 'boolean' || typeof name !== 'string' || typeof invite !== 'string' || typeof pinTyped !== 'boolean') return null;
    return { index: index!, restoring, name: name.slice(0, 60), invite: invite.slice(0, 4096), pinTyped };
  } catch {
    return null;
  }
}

export function keepDraft(d: WelcomeDraft, storage: Pick<Storage, 'setItem'> = sessionStorage): void {
  try {
    storage.setItem(KEY, JSON.stringify(d));
  } catch {
    // No session storage (private mode quota, a locked-down browser): a reload then starts again, as before.
  }
}

export function dropDraft(storage: Pick<Storage, 'removeItem'> = sessionStorage): void {
  try {
    storage.removeItem(KEY);
  } catch {
    // nothing kept
  }
}
