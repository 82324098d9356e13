import type { Component } from 'svelte';
import type { Route } from './router.svelte.ts';

/** Every screen the app can show: one per route, plus the two shown before a phone is open. */
export type ScreenName = Route['name'] | 'welcome' | 'lock';

// Screens take different props; App passes each the props its route carries.
type AnyScreen = Component<any>;

/**
 * One dynamic import per screen, so the first download is the shell and the phone fetches a screen's
 * code the first time it is opened (the service worker keeps every chunk for offline use after that).
 */
const LOADERS: Record<ScreenName, () => Promise<{ default: AnyScreen }>> = {
  welcome: () => import('./screens/Welcome.svelte'),
  lock: () => import('./screens/Lock.svelte'),
  browse: () => import('./screens/Browse.svelte'),
  new: () => import('./screens/IntentForm.svelte'),
  detail: () => import('./screens/IntentDetail.svelte'),
  edit: () => import('./screens/EditIntent.svelte'),
  settings: () => import('./screens/Settings.svelte'),
  people: () => import('./screens/People.svelte'),
  person: () => import('./screens/Person.svelte'),
  'my-code': () => import('./screens/MyCode.svelte'),
  vouch: () => import('./screens/Vouch.svelte'),
  suggestions: () => import('./screens/Suggestions.svelte'),
  search: () => import('./screens/Search.svelte'),
  library: () => import('./screens/Library.svelte'),
  decisions: () => import('./screens/Decisions.svelte'),
  messages: () => import('./screens/Messages.svelte'),
  conversation: () => import('./screens/Conversation.svelte'),
  alerts: () => import('./screens/Alerts.svelte'),
  sanctuary: () => import('./screens/Sanctuary.svelte'),
  'print-sanctuary': () => import('./screens/PrintSanctuary.svelte'),
  noticeboard: () => import('./screens/Noticeboard.svelte'),
};

/**
 * Where people usually go next from each screen: fetched while the phone is idle, so the tap that
 * follows does not wait on the network (on a slow mesh link that wait is what people notice).
 */
const LIKELY_NEXT: Partial<Record<ScreenName, ScreenName[]>> = {
  welcome: ['browse', 'new', 'detail'],
  lock: ['browse', 'new', 'detail'],
  browse: ['new', 'detail'],
  new: ['detail'],
  detail: ['edit', 'person', 'conversation'],
  people: ['person', 'my-code', 'vouch'],
  person: ['vouch', 'conversation'],
  messages: ['conversation'],
  library: ['search'],
  suggestions: ['decisions'],
  sanctuary: ['print-sanctuary', 'noticeboard'],
};

const idle = (f: () => void): void => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(f, { timeout: 2000 });
  else setTimeout(f, 200);
};

class ScreenLoader {
  /** Screens whose code has arrived: App renders one of these synchronously, with no loading state. */
  loaded = $state.raw<Partial<Record<ScreenName, AnyScreen>>>({});
  /** Screens whose code could not be fetched (offline before the service worker cached it). */
  failed = $state.raw<Partial<Record<ScreenName, true>>>({});
  private pending = new Map<ScreenName, Promise<void>>();

  /** Fetches a screen's code once; a visit after a failure tries again. */
  load(name: ScreenName): Promise<void> {
    if (this.loaded[name]) return Promise.resolve();
    if (this.failed[name]) {
      const { [name]: _, ...others } = this.failed;
      this.failed = others;
    }
    return this.fetch(name).catch((err: unknown) => {
      console.warn(`screen ${name} could not be loaded`, err);
      this.failed = { ...this.failed, [name]: true };
    });
  }

  private fetch(name: ScreenName): Promise<void> {
    let p = this.pending.get(name);
    if (!p) {
      p = LOADERS[name]()
        .then((m) => void (this.loaded = { ...this.loaded, [name]: m.default }))
        .finally(() => this.pending.delete(name));
      this.pending.set(name, p);
    }
    return p;
  }

  /** Fetches the screens likely to follow `name` when the phone is idle; a failure waits for a real visit. */
  preloadAfter(name: ScreenName): void {
    const next = (LIKELY_NEXT[name] ?? []).filter((n) => !this.loaded[n] && !this.pending.has(n));
    if (next.length) idle(() => next.forEach((n) => void this.fetch(n).catch(() => undefined)));
  }
}

export const screens = new ScreenLoader();
