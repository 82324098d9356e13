import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { utf8 } from '../../../src/core/crypto/encoding.ts';
import {
  answerQuery,
  createQuery,
  decodeAnswer,
  decodeQuery,
  DiscoveryError,
  parseQuery,
  PublicIndex,
  publicRecords,
  RateLimiter,
  tokenize,
  type PublicRecord,
} from '../../../src/core/discovery/index.ts';
import { createIntent } from '../../../src/core/model/intent.ts';
import type { Audience, CommunityDoc } from '../../../src/core/model/types.ts';
import { createProfile, memberEntry } from '../../../src/core/model/community.ts';
import { scalarRecord } from '../../../src/core/model/scalar-strings.ts';
import { readCommunity } from '../../../src/core/model/read-community.ts';
import { thrownCode } from '../../helpers/thrown-code.ts';

// openspec/specs/discovery/spec.md
const NOW = 1_700_000_000_000;
const ORIGIN = 'dtn://island-b/';

const code = (f: () => unknown) => thrownCode(DiscoveryError, f);

const rec = (key: string, title: string, audience: Audience | string = 'public', extra: Partial<PublicRecord> = {}): PublicRecord => ({
  key,
  audience,
  title,
  text: '',
  kind: 'offer',
  category: 'tools',
  updated: NOW,
  ...extra,
});

describe('discovery: queries', () => {
  it('Scenario: a well-formed query round-trips, signed or anonymous', () => {
    const me = createIdentity();
    const signed = createQuery({ text: 'water filter', category: 'tools' }, ORIGIN, NOW, me);
    expect(signed.author).toBe(me.agentId);
    expect(decodeQuery(JSON.parse(JSON.stringify(signed)), NOW)).toEqual(signed);
    const anon = createQuery({ text: 'seeds' }, ORIGIN, NOW);
    expect(parseQuery(utf8.encode(JSON.stringify(anon)), NOW + 1000)).toEqual(anon);
  });

  it('Scenario: malformed queries are refused with typed errors', () => {
    const q = createQuery({ text: 'water filter' }, ORIGIN, NOW, createIdentity());
    expect(code(() => decodeQuery({ ...q, text: 'changed' }, NOW))).toBe('bad-signature');
    expect(code(() => decodeQuery({ ...q, text: 'x'.repeat(201), author: undefined, sig: undefined }, NOW))).toBe('too-long');
    const anon = createQuery({ text: 'filter' }, ORIGIN, NOW);
    expect(code(() => decodeQuery({ ...anon, expires: anon.created + 5 * 3600_000 }, NOW))).toBe('bad-lifetime');
    expect(code(() => decodeQuery(anon, anon.expires + 1))).toBe('expired');
    expect(code(() => decodeQuery({ ...anon, origin: 'http://evil/' }, NOW))).toBe('bad-shape');
    expect(code(() => decodeQuery({ ...anon, text: ' ' }, NOW))).toBe('bad-shape');
    expect(code(() => decodeQuery({ ...anon, extra: 1 }, NOW))).toBe('bad-shape');
    expect(code(() => parseQuery(utf8.encode('{"type":'), NOW))).toBe('bad-shape');
    expect(code(() => parseQuery(new Uint8Array(10_000), NOW))).toBe('too-long');
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(code(() => decodeQuery(v, NOW))).toBeDefined();
        expect(code(() => decodeAnswer(v))).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  it('Scenario: an answer with too many results or junk results is refused', () => {
    const a = { type: 'discovery-answer', query: 'q'.repeat(22), island: 'dtn://island-a/', islandName: 'A', created: NOW, results: [{ title: 't', kind: 'offer', category: 'c', updated: NOW }] };
    expect(decodeAnswer(a)).toEqual(a);
    expect(code(() => decodeAnswer({ ...a, results: Array(21).fill(a.results[0]) }))).toBe('too-many-results');
    expect(code(() => decodeAnswer({ ...a, results: [{ ...a.results[0], secret: 'x' }] }))).toBe('bad-shape');
  });
});

describe('discovery: the public index', () => {
  it('Scenario: text, category and area narrow the results; accents, case and plurals do not matter', () => {
    const ix = new PublicIndex();
    ix.put(rec('1', 'Ceramic water filter', 'public', { area: 'north', categoryName: 'Tools' }));
    ix.put(rec('2', 'Water barrels', 'public', { area: 'south' }));
    ix.put(rec('3', 'Café seeds', 'public', { category: 'seeds' }));
    expect(ix.search({ text: 'WATER filters' }, NOW).map((r) => r.key)).toEqual(['1']);
    expect(ix.search({ text: 'water' }, NOW).length).toBe(2);
    expect(ix.search({ text: 'water', area: 'south' }, NOW).map((r) => r.key)).toEqual(['2']);
    expect(ix.search({ text: '', category: 'tools' }, NOW).length).toBe(2);
    expect(ix.search({ text: 'filter', category: 'tools' }, NOW).length).toBe(1);
    expect(ix.search({ text: 'cafe' }, NOW).map((r) => r.key)).toEqual(['3']);
    expect(ix.search({ text: 'nothing here' }, NOW)).toEqual([]);
    expect(tokenize('Filters, FILTER; a b')).toEqual(['filter']);
  });

  it('Scenario: index queries never return non-public records (random mixes and updates)', () => {
    const audiences = ['public', 'local', 'trusted', 'private'] as const;
    fc.assert(
      fc.property(
        fc.array(fc.record({ k: fc.integer({ min: 0, max: 30 }), a: fc.constantFrom(...audiences), w: fc.constantFrom('water', 'filter', 'seed', 'tool') }), { maxLength: 80 }),
        fc.constantFrom('water', 'filter', 'seed', 'tool'),
        (ops, word) => {
          const ix = new PublicIndex();
          const last = new Map<string, string>();
          for (const o of ops) {
            ix.put(rec(String(o.k), `${o.w} thing`, o.a));
            last.set(String(o.k), o.a);
          }
          const hits = ix.search({ text: word }, NOW, 1000);
          for (const h of hits) {
            expect(h.audience).toBe('public');
            expect(last.get(h.key)).toBe('public');
          }
          const q = createQuery({ text: word }, ORIGIN, NOW);
          for (const r of answerQuery(ix, q, { id: 'dtn://island-a/', name: 'A' }, NOW)?.results ?? []) expect(r.title).toContain(word);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('Scenario: only public current intents become index records, without their notes or ids leaving in answers', () => {
    const me = createIdentity();
    const mk = (title: string, audience: Audience, extra = {}) => createIntent(me, { kind: 'offer', category: 'tools', title, description: 'secret note', audience, ...extra }, NOW);
    const intents = [mk('Water filter', 'public'), mk('Trusted filter', 'trusted'), mk('Local filter', 'local'), mk('Old filter', 'public', { expires: NOW - 1 })];
    const records = publicRecords(intents, undefined, NOW);
    expect(records.map((r) => r.title)).toEqual(['Water filter']);
    const ix = new PublicIndex();
    records.forEach((r) => ix.put(r));
    const answer = answerQuery(ix, createQuery({ text: 'filter' }, ORIGIN, NOW), { id: 'dtn://island-a/', name: 'island-a' }, NOW)!;
    expect(answer.results).toEqual([{ title: 'Water filter', kind: 'offer', category: 'tools', updated: NOW }]);
    expect(JSON.stringify(answer)).not.toContain('secret');
    expect(decodeAnswer(answer)).toEqual(answer);
  });

  it('Scenario: the author name an answer carries is the one its member signed, however the entry is stored', () => {
    const ana = createIdentity();
    const offer = createIntent(ana, { kind: 'offer', category: 'tools', title: 'Water filter', description: '' }, NOW);
    const entry = memberEntry(ana, createProfile(ana, 'Ana', NOW), 'c1', 'automerge:feed', NOW);
    const community = (m: unknown) => readCommunity({ id: 'c1', members: { [ana.agentId]: m } } as unknown as CommunityDoc);
    expect(publicRecords([offer], community(entry), NOW)[0].authorName).toBe('Ana');
    expect(publicRecords([offer], community(scalarRecord(entry)), NOW)[0].authorName).toBe('Ana');
    // A name someone changed in the doc without the member's signature is not carried.
    const renamed = { ...entry, profile: { ...entry.profile, name: 'Send money to Eve' } };
    expect(publicRecords([offer], community(renamed), NOW)[0].authorName).toBeUndefined();
  });

  it('Scenario: a record made non-public stops being found', () => {
    const ix = new PublicIndex();
    ix.put(rec('k', 'Ladder'));
    expect(ix.search({ text: 'ladder' }, NOW)).toHaveLength(1);
    expect(ix.put(rec('k', 'Ladder', 'trusted'))).toBe(false);
    expect(ix.search({ text: 'ladder' }, NOW)).toHaveLength(0);
    expect(ix.size).toBe(0);
  });

  it('Scenario: the index answers quickly over 100,000 records', () => {
    const ix = new PublicIndex();
    const words = ['water', 'filter', 'seed', 'tool', 'bike', 'ladder', 'bread', 'soap', 'rope', 'lamp'];
    for (let i = 0; i < 100_000; i++) ix.put(rec(String(i), `${words[i % 10]} ${words[Math.floor(i / 10) % 10]} item${i}`, 'public', { area: `area${Math.floor(i / 100) % 50}`, updated: NOW - i }));
    const t0 = performance.now();
    let found = 0;
    for (let i = 0; i < 50; i++) found += ix.search({ text: 'water filter', area: `area${i}` }, NOW).length;
    const ms = (performance.now() - t0) / 50;
    expect(found).toBeGreaterThan(0);
    expect(ms).toBeLessThan(50);
  });
});

describe('discovery: rate limits', () => {
  it('Scenario: a member beyond the burst is refused until the bucket refills', () => {
    const rl = new RateLimiter({ burst: 3, everyMs: 1000 }, 2);
    expect([1, 2, 3, 4].map(() => rl.take('m', NOW))).toEqual([true, true, true, false]);
    expect(rl.take('m', NOW + 1000)).toBe(true);
    expect(rl.take('other', NOW)).toBe(true);
    expect(rl.take('third', NOW)).toBe(true); // 'm' forgotten: memory stays bounded
    expect(rl.take('m', NOW + 1000)).toBe(true);
  });
});
