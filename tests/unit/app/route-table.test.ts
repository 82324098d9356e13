import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NAV, NAV_GROUPS, PHASE_SCREENS, ROUTES, SCREENS, hrefOf, isCurrent, navTabs, parseRoute, screenFor, type Route, type RouteName } from '../../../src/app/routes.ts';
import { en } from '../../../src/app/i18n/en.ts';
import { es } from '../../../src/app/i18n/es.ts';

// openspec/changes/feature-slices/specs/app-structure/spec.md — one route table drives the app's routes.
const NAMES = Object.keys(ROUTES) as RouteName[];

/** Params for a route, read from its pattern here so the test does not lean on the parser it checks. */
function paramsFor(path: string): fc.Arbitrary<Record<string, string>> {
  const shape: Record<string, fc.Arbitrary<string>> = {};
  for (const seg of path.split('/')) {
    const m = /^:(\w+)(?:\((.*)\))?$/.exec(seg);
    // Any text at all, `/`, `%`, `#`, spaces and emoji included: links carry agent ids and names.
    if (m) shape[m[1]] = m[2] ? fc.constantFrom(...m[2].split('|')) : fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), wellFormed(12));
  }
  return fc.record(shape);
}

/** Hash text built from what breaks URL parsers: separators, stray and broken percent-escapes, a lone surrogate. */
const hashText = (maxLength: number) =>
  fc.string({ unit: fc.constantFrom('a', 'z', '0', '-', '.', ' ', '/', '%', '#', '?', '&', '=', 'E', '2', 'F', 'é', '\u0000', '\uD800', '🌱'), maxLength });

const wellFormed = (maxLength: number) => hashText(maxLength).filter((s) => s.length > 0 && !/\p{Cs}/u.test(s));

const anyRoute: fc.Arbitrary<Route> = fc
  .constantFrom(...NAMES)
  .chain((name) => paramsFor(ROUTES[name].path).map((params) => ({ name, params }) as Route));

/** Routes another route's pattern continues (`messages` by `messages/:peer`; browse by every route). */
const extended = new Set(NAMES.filter((a) => NAMES.some((b) => b !== a && (ROUTES[a].path === '' || ROUTES[b].path.startsWith(`${ROUTES[a].path}/`)))));

describe('route table', () => {
  it('Scenario: every route in the table parses back from the link it builds', () => {
    fc.assert(
      fc.property(anyRoute, fc.array(fc.stringMatching(/^[a-z0-9-]{0,6}$/), { maxLength: 2 }), (route, extra) => {
        const link = hrefOf(route);
        expect(link.startsWith('#/')).toBe(true);
        expect(parseRoute(link)).toEqual(route);
        // Trailing segments a link picked up on the way (a shared link, a typo) do not change where it goes,
        // unless they spell a longer route (`messages` + `/x` is a conversation).
        if (extra.length && !extended.has(route.name)) expect(parseRoute([link, ...extra].join('/'))).toEqual(route);
      }),
      { numRuns: 200 },
    );
  });

  it('Scenario: a link to an id with a broken character is built without an error', () => {
    const link = hrefOf({ name: 'person', params: { agentId: 'ana\uD800' } });
    expect(link).toBe('#/person/ana%EF%BF%BD');
    expect(parseRoute(link)).toEqual({ name: 'person', params: { agentId: 'ana\uFFFD' } });
  });

  it('Scenario: the links the app has always used still open the same screens', () => {
    expect(parseRoute('#/')).toEqual({ name: 'browse', params: {} });
    expect(parseRoute('#/new/offer')).toEqual({ name: 'new', params: { kind: 'offer' } });
    expect(parseRoute('#/intent/ab%2Fc/x1')).toEqual({ name: 'detail', params: { author: 'ab/c', id: 'x1' } });
    expect(parseRoute('#/edit/a/b')).toEqual({ name: 'edit', params: { author: 'a', id: 'b' } });
    expect(parseRoute('#/messages/p%20q')).toEqual({ name: 'conversation', params: { peer: 'p q' } });
    expect(parseRoute('#/messages')).toEqual({ name: 'messages', params: {} });
    expect(parseRoute('#/messages/')).toEqual({ name: 'messages', params: {} });
    expect(parseRoute('#/sanctuary/print')).toEqual({ name: 'print-sanctuary', params: {} });
    expect(parseRoute('#/sanctuary/other')).toEqual({ name: 'sanctuary', params: {} });
    expect(parseRoute('#/settings/anything')).toEqual({ name: 'settings', params: {} });
  });

  it('Scenario: an unknown or malformed hash opens browse', () => {
    for (const hash of ['', '#', '#/', 'settings', '#/nope', '#/person', '#/person/', '#/new', '#/new/gift', '#/intent/only-author', '#/person/%E0%A4%A', '#/edit/%zz/1'])
      expect(parseRoute(hash), hash).toEqual({ name: 'browse', params: {} });
    const firstSegments = new Set(NAMES.map((n) => ROUTES[n].path.split('/')[0]));
    fc.assert(
      fc.property(hashText(40), (rest) => {
        fc.pre(!firstSegments.has(rest.split('/')[0]));
        expect(parseRoute(`#/${rest}`)).toEqual({ name: 'browse', params: {} });
      }),
      { numRuns: 200 },
    );
    // Whatever the hash, parsing returns a route of the table and never throws.
    fc.assert(fc.property(hashText(60), (hash) => void expect(NAMES).toContain(parseRoute(hash).name)), { numRuns: 200 });
  });

  it('Scenario: every nav entry names a route in the table', () => {
    expect(new Set(NAV.map((e) => e.id)).size).toBe(NAV.length);
    for (const entry of NAV) {
      expect(NAMES).toContain(entry.to.name);
      expect(parseRoute(hrefOf(entry.to))).toEqual(entry.to);
      expect(Object.keys(en)).toContain(entry.label);
      expect(Object.keys(es)).toContain(entry.label);
    }
    // A route highlights a nav entry that exists, and an entry's own route highlights it or nothing.
    for (const name of NAMES) {
      const nav: string | undefined = (ROUTES[name] as { nav?: string }).nav;
      if (nav) expect(NAV.map((e) => e.id)).toContain(nav);
    }
    const people = NAV.find((e) => e.id === 'people')!;
    expect(['people', 'person', 'my-code', 'vouch'].every((n) => isCurrent(people, parseRoute(`#/${n === 'person' ? 'person/x' : n}`)))).toBe(true);
    expect(isCurrent(people, parseRoute('#/library'))).toBe(false);
  });

  it('Scenario: the bottom bar has five tabs at most, Home, Post, Messages, People, More, holding every nav entry once', () => {
    const tabs = navTabs();
    expect(tabs.length).toBeLessThanOrEqual(5);
    expect(tabs.map((t) => (t.kind === 'entry' ? t.entry.id : t.place))).toEqual(['browse', 'post', 'messages', 'people', 'more']);
    const held = tabs.flatMap((t) => (t.kind === 'entry' ? [t.entry] : t.entries));
    expect(held.map((e) => e.id)).toEqual(NAV.map((e) => e.id));
    const post = tabs.find((t) => t.kind === 'group' && t.place === 'post');
    expect(post?.kind === 'group' && post.entries.map((e) => e.id)).toEqual(['offer', 'need']);
    for (const g of Object.values(NAV_GROUPS)) expect([Object.keys(en), Object.keys(es)].every((keys) => keys.includes(g.label))).toBe(true);
    // Entries the tests and people reach by test id all have one, and the noticeboard is one of them.
    expect(NAV.every((e) => e.testid)).toBe(true);
    expect(isCurrent(NAV.find((e) => e.id === 'noticeboard')!, parseRoute('#/noticeboard'))).toBe(true);
  });

  it('Scenario: every screen the table prefetches is a screen it can load', () => {
    const screens = Object.keys(SCREENS);
    expect(screens.sort()).toEqual([...NAMES, ...Object.keys(PHASE_SCREENS)].sort());
    for (const spec of Object.values(SCREENS)) {
      expect(typeof spec.screen).toBe('function');
      for (const next of spec.next ?? []) expect(screens).toContain(next);
    }
  });

  it('Scenario: a screen remounts when its route params change and keeps its state when they do not', () => {
    fc.assert(
      fc.property(anyRoute, anyRoute, (a, b) => {
        expect(screenFor(a).key === screenFor(b).key).toBe(hrefOf(a) === hrefOf(b));
      }),
    );
    expect(screenFor({ name: 'detail', params: { author: 'ana', id: 'i1' } }).props).toEqual({ key: 'ana/i1' });
    expect(screenFor({ name: 'person', params: { agentId: 'ana' } }).props).toEqual({ agentId: 'ana' });
  });
});
