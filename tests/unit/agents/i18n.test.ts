/**
 * Every sentence and word an agent says is in the app's dictionaries, English and Spanish: the keys in
 * the agents' source (literal and the few built from a choice), the keys of what every agent returns
 * over generated communities, and the words inside their parameters (agents/lib/words.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGENTS } from '../../../agents/index.ts';
import { contentWords } from '../../../agents/lib/text.ts';
import { ENGLISH, WORDS, list, say, sayAll, time, token, tokenOf, word, type Speaker } from '../../../agents/lib/words.ts';
import { AGENT_NAMES, type AgentInput, type AgentProposal } from '../../../agents/types.ts';
import { en } from '../../../src/app/i18n/en.ts';
import { es } from '../../../src/app/i18n/es.ts';
import { message } from '../../../src/app/i18n/message.ts';
import { ROOT } from '../../helpers/relay-process.ts';
import { generate, input } from '../../helpers/agents/communities.ts';
import { worldArb } from '../../helpers/agents/world.ts';

const dictionaries = { en: en as Record<string, string>, es: es as Record<string, string> };
const AGENT_DIR = path.join(ROOT, 'agents');

/** The keys an agent file names: `${K}.x` with its K, where `${…}` inside is any one segment. */
function sourceKeys(): Array<{ file: string; pattern: RegExp; key: string }> {
  const out: Array<{ file: string; pattern: RegExp; key: string }> = [];
  for (const file of readdirSync(AGENT_DIR).filter((f) => f.endsWith('.ts'))) {
    const src = readFileSync(path.join(AGENT_DIR, file), 'utf8');
    const k = /const K = '([^']+)'/.exec(src)?.[1];
    if (!k) continue;
    for (const m of src.matchAll(/`\$\{K\}\.([^`]+)`/g)) {
      const key = `${k}.${m[1]}`;
      const source = key.split(/\$\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[\\w-]+');
      out.push({ file, key, pattern: new RegExp(`^${source}$`) });
    }
  }
  return out;
}

function keysOf(p: AgentProposal): string[] {
  return [p.summaryKey, ...p.explanation.map((f) => f.key)];
}

function paramsOf(p: AgentProposal): Array<Record<string, string | number>> {
  return [p.summaryParams, ...p.explanation.map((f) => f.params)];
}

/** The Spanish reader's speaker, as the app's (src/app/i18n/agent-words.ts) but without Svelte. */
const spanish: Speaker = {
  word: (key) => message(es, en, 'es', key),
  list: (items) => new Intl.ListFormat('es', { type: 'conjunction' }).format(items),
  time: (ms) => new Intl.DateTimeFormat('es', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(ms),
  category: (_id, name) => name,
  area: (_id, name) => name,
  community: (name) => name,
};

function checkProposals(out: readonly AgentProposal[]): void {
  for (const p of out) {
    for (const key of keysOf(p)) for (const [lang, d] of Object.entries(dictionaries)) expect(d[key], `${p.agent} ${key} in ${lang}`).toBeDefined();
    for (const params of paramsOf(p)) {
      for (const v of Object.values(params)) {
        const t = tokenOf(v);
        if (t && 'word' in t) for (const d of Object.values(dictionaries)) expect(d[t.word], t.word).toBeDefined();
      }
    }
    // The Spanish sentence is whole: no placeholder left, no token shown raw.
    const said = [p.summaryKey, ...p.explanation.map((f) => f.key)].map((key, k) => message(es, en, 'es', key, sayAll(paramsOf(p)[k], spanish)));
    for (const s of said) expect(s).not.toMatch(/\{\w+\}|\u001f/);
  }
}

describe('agents speak through the dictionaries', () => {
  it('Scenario: every key an agent names in its source is in English and Spanish', () => {
    const keys = sourceKeys();
    expect(keys.length).toBeGreaterThan(80);
    for (const { file, key, pattern } of keys) {
      for (const [lang, d] of Object.entries(dictionaries)) expect(Object.keys(d).some((k) => pattern.test(k)), `${file}: ${key} in ${lang}`).toBe(true);
    }
    for (const key of Object.keys(WORDS)) for (const [lang, d] of Object.entries(dictionaries)) expect(d[key], `${key} in ${lang}`).toBeDefined();
  });

  it('Scenario: every agent\'s output keys exist in en and es, over generated communities', () => {
    const names = new Set<string>();
    fc.assert(
      fc.property(worldArb, ({ input: inp }) => {
        for (const agent of AGENTS) {
          const out = agent.run(inp);
          for (const p of out) names.add(p.agent);
          checkProposals(out);
        }
      }),
      { numRuns: 6 },
    );
    for (let seed = 1; seed <= 4; seed++) {
      const inp = input(generate(seed, { members: 8, offers: 25, needs: 25, events: 15 }), { viewer: 'm0' });
      for (const agent of AGENTS) {
        const out = agent.run(inp);
        for (const p of out) names.add(p.agent);
        checkProposals(out);
      }
    }
    // Most agents had something to say, so the check covered their sentences.
    expect(names.size).toBeGreaterThanOrEqual(8);
  });

  it('Scenario: a parameter token reads as plain English in the fact text and as Spanish in the app', () => {
    const params = { who: word('agents.word.someone'), people: list(['Ana', 'Beto', word('agents.word.you')]), when: time(Date.UTC(2026, 0, 2, 9)), place: token({ area: 'north', name: 'North side' }) };
    expect(sayAll(params, ENGLISH)).toEqual({ who: 'someone', people: 'Ana, Beto and you', when: '2026-01-02 09:00 UTC', place: 'North side' });
    const es2 = sayAll(params, spanish);
    expect(es2.who).toBe('alguien');
    expect(es2.people).toBe('Ana, Beto y tú');
    expect(String(es2.when)).toMatch(/2 ene 2026/);
    // What a member typed is never read as a token unless it is a well-formed one, and a word only from WORDS.
    fc.assert(fc.property(fc.string(), (s) => {
      expect(typeof say(s, spanish)).toBe("string");
    }));
    expect(say('\u001f{"word":"error.generic"}', spanish)).toBe('\u001f{"word":"error.generic"}');
    expect(say('\u001f{not json', spanish)).toBe('\u001f{not json');
  });
});

/** Words that are the same in both languages, so finding one in Spanish is no sign of English left over. */
const SAME_IN_BOTH = new Set(['ideal', 'general']);
const wordsOf = (text: string): string[] => text.replace(/\{\w+\}/g, ' ').toLowerCase().match(/[\p{L}’']{3,}/gu) ?? [];

/** What members and organisers wrote inside a sentence's parameters (titles, names, category names): not the app's words. */
const DATA: Speaker = { word: () => '', list: (items) => items.join(' '), time: () => '', category: (_id, name) => name, area: (_id, name) => name, community: (name) => name };

/** The English words a Spanish reader must not see in this sentence: its template's and its word tokens'. */
function englishWords(key: string, params: Record<string, string | number>): Set<string> {
  const tokens = Object.values(params).flatMap((v) => {
    const t = tokenOf(v);
    if (!t) return [];
    if ('word' in t) return [WORDS[t.word]];
    if ('list' in t) return t.list.map((x) => tokenOf(x)).flatMap((x) => (x && 'word' in x ? [WORDS[x.word]] : []));
    return [];
  });
  return new Set([dictionaries.en[key] ?? '', ...tokens].flatMap(wordsOf));
}

/**
 * Every word anywhere in an input's records and community (titles, names, notes, ids): what people wrote,
 * also as the agents read it (contentWords strips plurals: "tomatoes" is theirs as "tomato").
 */
function writtenWords(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') for (const w of [...wordsOf(value), ...contentWords(value)]) into.add(w);
  else if (Array.isArray(value)) for (const v of value) writtenWords(v, into);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) writtenWords(v, into);
}

/** Every agent's proposals over generated communities (each agent has something to say in some of them), and what people wrote there. */
function proposalsByAgent(): { byAgent: Map<string, AgentProposal[]>; written: Set<string> } {
  const byAgent = new Map<string, AgentProposal[]>();
  const written = new Set<string>();
  const run = (inp: AgentInput) => {
    writtenWords([inp.community, inp.members], written);
    for (const agent of AGENTS) for (const p of agent.run(inp)) byAgent.set(p.agent, [...(byAgent.get(p.agent) ?? []), p]);
  };
  for (let seed = 1; seed <= 4; seed++) run(input(generate(seed, { members: 8, offers: 25, needs: 25, events: 15 }), { viewer: 'm0' }));
  for (const { input: inp } of fc.sample(worldArb, { numRuns: 12, seed: 7 })) run(inp);
  return { byAgent, written };
}

describe('agents speak Spanish to a Spanish reader', () => {
  it('Scenario: every agent\'s suggestions rendered in Spanish carry no English template words', () => {
    const { byAgent, written } = proposalsByAgent();
    expect([...byAgent.keys()].sort()).toEqual([...AGENT_NAMES].sort());
    for (const [agent, proposals] of byAgent) {
      for (const p of proposals) {
        const sentences = [{ key: p.summaryKey, params: p.summaryParams }, ...p.explanation.map((f) => ({ key: f.key, params: f.params }))];
        for (const { key, params } of sentences) {
          const spanishText = message(es, en, 'es', key, sayAll(params, spanish));
          // A parameter's words count as written only when people wrote them: an English phrase an agent
          // passes as plain text (not a word token) is caught here.
          const data = new Set(Object.values(sayAll(params, DATA)).flatMap((v) => wordsOf(String(v))).filter((w) => written.has(w)));
          const english = new Set([...englishWords(key, params), ...Object.values(sayAll(params, DATA)).flatMap((v) => wordsOf(String(v))).filter((w) => !written.has(w))]);
          const left = wordsOf(spanishText).filter((w) => english.has(w) && !data.has(w) && !SAME_IN_BOTH.has(w));
          expect(left, `${agent} ${key}: "${spanishText}"`).toEqual([]);
        }
      }
    }
  });

  it('Scenario: every sentence and word the agents can say has a Spanish text with no English word of its own', () => {
    const keys = Object.keys(dictionaries.en).filter((k) => k.startsWith('agents.'));
    expect(keys.length).toBeGreaterThan(150);
    for (const key of keys) {
      const spanishText = dictionaries.es[key];
      expect(spanishText, key).toBeDefined();
      const english = new Set(wordsOf(dictionaries.en[key]));
      expect(wordsOf(spanishText).filter((w) => english.has(w) && !SAME_IN_BOTH.has(w)), `${key}: "${spanishText}"`).toEqual([]);
    }
  });
});
