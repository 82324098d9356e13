import type { Component } from 'svelte';
import type { MessageKey } from './i18n/en.ts';
import { buildHash, hashSegments, matchPattern, patternLength, type ParamsOf } from './route-path.ts';

/**
 * The one route table: parsing a hash, building links, loading screens and App's nav and view all come
 * from it, and tests crawl it, so a route added here is reachable, linked and tested without a second list.
 * Hash routes work from any static host and from the service worker's single cached index.html.
 */

// Screens take different props; App passes each the props its route gives it.
export type AnyScreen = Component<any>;

/** A screen's code: fetched the first time it is shown (one chunk per feature folder, vite.config.ts). */
export type ScreenImport = () => Promise<{ default: AnyScreen }>;

interface ScreenSpec {
  readonly screen: ScreenImport;
  /**
   * Where people usually go next: fetched while the phone is idle, so the tap that follows does not wait
   * on the network (on a slow mesh link that wait is what people notice).
   */
  readonly next?: readonly string[];
}

interface RouteSpec extends ScreenSpec {
  /** Path after `#/` (route-path.ts): literal segments, `:param` and `:param(a|b)`. */
  readonly path: string;
  /** The screen's props from the route's params (default: the params themselves). */
  readonly props?: (params: Record<string, string>) => Record<string, string>;
  /** The nav entry (NAV id) marked as the current page while this route shows. */
  readonly nav?: string;
}

const intentKey = (p: Record<string, string>) => ({ key: `${p.author}/${p.id}` });

export const ROUTES = {
  browse: { path: '', screen: () => import('./features/offers/Browse.svelte'), nav: 'browse', next: ['new', 'detail'] },
  new: { path: 'new/:kind(offer|need)', screen: () => import('./features/offers/IntentForm.svelte'), next: ['detail'] },
  detail: { path: 'intent/:author/:id', screen: () => import('./features/offers/IntentDetail.svelte'), props: intentKey, next: ['edit', 'person', 'conversation'] },
  edit: { path: 'edit/:author/:id', screen: () => import('./features/offers/EditIntent.svelte'), props: intentKey },
  mine: { path: 'mine', screen: () => import('./features/offers/MyPosts.svelte'), nav: 'mine', next: ['detail'] },
  search: { path: 'search', screen: () => import('./features/offers/Search.svelte') },
  people: { path: 'people', screen: () => import('./features/people/People.svelte'), nav: 'people', next: ['person', 'my-code', 'vouch'] },
  person: { path: 'person/:agentId', screen: () => import('./features/people/Person.svelte'), nav: 'people', next: ['vouch', 'conversation'] },
  'my-code': { path: 'my-code', screen: () => import('./features/people/MyCode.svelte'), nav: 'people' },
  vouch: { path: 'vouch', screen: () => import('./features/people/Vouch.svelte'), nav: 'people' },
  library: { path: 'library', screen: () => import('./features/library/Library.svelte'), nav: 'library', next: ['search'] },
  suggestions: { path: 'suggestions', screen: () => import('./features/agents/Suggestions.svelte'), nav: 'suggestions', next: ['decisions'] },
  decisions: { path: 'decisions', screen: () => import('./features/agents/Decisions.svelte') },
  messages: { path: 'messages', screen: () => import('./features/messages/Messages.svelte'), nav: 'messages', next: ['conversation'] },
  conversation: { path: 'messages/:peer', screen: () => import('./features/messages/Conversation.svelte'), nav: 'messages' },
  // Rapid response, sanctuary and print views (issue 8).
  alerts: { path: 'alerts', screen: () => import('./features/alerts/Alerts.svelte'), nav: 'alerts' },
  sanctuary: { path: 'sanctuary', screen: () => import('./features/sanctuary/Sanctuary.svelte'), nav: 'sanctuary', next: ['print-sanctuary', 'noticeboard'] },
  'print-sanctuary': { path: 'sanctuary/print', screen: () => import('./features/sanctuary/PrintSanctuary.svelte'), nav: 'sanctuary' },
  noticeboard: { path: 'noticeboard', screen: () => import('./features/sanctuary/Noticeboard.svelte'), nav: 'noticeboard' },
  settings: { path: 'settings', screen: () => import('./features/settings/Settings.svelte'), nav: 'settings', next: ['community-settings'] },
  'community-settings': { path: 'community-settings', screen: () => import('./features/community/CommunitySettings.svelte'), nav: 'settings' },
} as const satisfies Record<string, RouteSpec>;

/** The screens shown before the phone is open, whatever the hash says. */
export const PHASE_SCREENS = {
  welcome: { screen: () => import('./features/welcome/Welcome.svelte'), next: ['browse', 'new', 'detail'] },
  lock: { screen: () => import('./features/welcome/Lock.svelte'), next: ['browse', 'new', 'detail'] },
} as const satisfies Record<string, ScreenSpec>;

export type RouteName = keyof typeof ROUTES;
export type ScreenName = RouteName | keyof typeof PHASE_SCREENS;
export type RouteParams<N extends RouteName> = ParamsOf<(typeof ROUTES)[N]['path']>;
export type Route = { [N in RouteName]: { name: N; params: RouteParams<N> } }[RouteName];

/**
 * Where a nav entry sits on a phone: its own tab in the bottom bar, or inside the "Post" chooser or the
 * "More" list (tabs of their own). Five tabs at most fit a 360 px screen with room for a thumb.
 */
export type NavPlace = 'bar' | 'post' | 'more';

export interface NavEntry {
  /** What routes name in their `nav` to be shown as the current page here. */
  readonly id: string;
  readonly label: MessageKey;
  readonly testid?: string;
  /** Test id of the count App shows beside the label (unread messages, active alerts). */
  readonly count?: string;
  readonly to: Route;
  readonly place: NavPlace;
}

/** The main nav, in order: the bottom bar shows a group's tab where its first entry stands. */
export const NAV: readonly NavEntry[] = [
  { id: 'browse', label: 'nav.browse', testid: 'nav-browse', place: 'bar', to: { name: 'browse', params: {} } },
  { id: 'offer', label: 'nav.offer', testid: 'nav-offer', place: 'post', to: { name: 'new', params: { kind: 'offer' } } },
  { id: 'need', label: 'nav.need', testid: 'nav-need', place: 'post', to: { name: 'new', params: { kind: 'need' } } },
  { id: 'messages', label: 'nav.messages', testid: 'nav-messages', count: 'nav-unread', place: 'bar', to: { name: 'messages', params: {} } },
  { id: 'people', label: 'nav.people', testid: 'nav-people', place: 'bar', to: { name: 'people', params: {} } },
  { id: 'mine', label: 'mine.nav', testid: 'nav-mine', count: 'nav-requests', place: 'more', to: { name: 'mine', params: {} } },
  { id: 'alerts', label: 'nav.alerts', testid: 'nav-alerts', count: 'nav-alert-count', place: 'more', to: { name: 'alerts', params: {} } },
  { id: 'library', label: 'nav.library', testid: 'nav-library', place: 'more', to: { name: 'library', params: {} } },
  { id: 'suggestions', label: 'nav.suggestions', testid: 'nav-suggestions', place: 'more', to: { name: 'suggestions', params: {} } },
  { id: 'sanctuary', label: 'nav.sanctuary', testid: 'nav-sanctuary', place: 'more', to: { name: 'sanctuary', params: {} } },
  { id: 'noticeboard', label: 'nav.noticeboard', testid: 'nav-noticeboard', place: 'more', to: { name: 'noticeboard', params: {} } },
  { id: 'settings', label: 'nav.settings', testid: 'nav-settings', place: 'more', to: { name: 'settings', params: {} } },
];

/** The tabs of the groups that open a list instead of a screen. */
export const NAV_GROUPS: Record<Exclude<NavPlace, 'bar'>, { label: MessageKey; testid: string }> = {
  post: { label: 'nav.post', testid: 'nav-post' },
  more: { label: 'nav.more', testid: 'nav-more' },
};

/** A bottom-bar tab: one entry, or a group of them. */
export type NavTab = { kind: 'entry'; entry: NavEntry } | { kind: 'group'; place: Exclude<NavPlace, 'bar'>; entries: NavEntry[] };

/** The bottom bar's tabs, in NAV's order. */
export function navTabs(nav: readonly NavEntry[] = NAV): NavTab[] {
  const tabs: NavTab[] = [];
  for (const entry of nav) {
    if (entry.place === 'bar') {
      tabs.push({ kind: 'entry', entry });
      continue;
    }
    const group = tabs.find((t) => t.kind === 'group' && t.place === entry.place);
    if (group && group.kind === 'group') group.entries.push(entry);
    else tabs.push({ kind: 'group', place: entry.place, entries: [entry] });
  }
  return tabs;
}

const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];
// The longer of two matching patterns wins (`sanctuary/print` over `sanctuary`); browse matches anything.
const BY_SPECIFICITY = [...ROUTE_NAMES].sort((a, b) => patternLength(ROUTES[b].path) - patternLength(ROUTES[a].path));

/** The route a hash names; anything unknown or malformed is browse. */
export function parseRoute(hash: string): Route {
  const segments = hashSegments(hash);
  for (const name of BY_SPECIFICITY) {
    const params = matchPattern(ROUTES[name].path, segments);
    if (params) return { name, params } as Route;
  }
  return { name: 'browse', params: {} };
}

/** The link to a route. */
export function hrefOf(route: Route): string {
  return buildHash(ROUTES[route.name].path, route.params as Record<string, string>);
}

/** The link to route `name` with its params, checked against the route's pattern. */
export function href<N extends RouteName>(name: N, ...params: keyof RouteParams<N> extends never ? [] : [RouteParams<N>]): string {
  return hrefOf({ name, params: params[0] ?? {} } as Route);
}

/** Which screen a route shows, with its props; `key` (the canonical link) remounts it when they change. */
export function screenFor(route: Route): { name: RouteName; props: Record<string, string>; key: string } {
  const spec: RouteSpec = ROUTES[route.name];
  const params = route.params as Record<string, string>;
  return { name: route.name, props: spec.props?.(params) ?? params, key: hrefOf(route) };
}

/** Whether a nav entry is the current page for `route` (aria-current). */
export function isCurrent(entry: NavEntry, route: Route): boolean {
  return (ROUTES[route.name] as RouteSpec).nav === entry.id;
}

/** Every screen's code and likely successors, by screen name. */
export const SCREENS: Record<ScreenName, ScreenSpec> = { ...ROUTES, ...PHASE_SCREENS };
