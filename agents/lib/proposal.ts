/** Building what agents return: stable ids, facts in plain words, and the final filtering and order. */
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64Url, utf8 } from '../../src/core/crypto/encoding.ts';
import type { AgentInput, AgentName, AgentProposal, Fact } from '../types.ts';
import { cmp } from './order.ts';
import { ENGLISH, say } from './words.ts';

/** Same agent, kind and subjects → same id, so a declined proposal stays declined across runs. */
export function proposalId(agent: AgentName, kind: string, subjects: readonly string[]): string {
  return toBase64Url(sha256(utf8.encode(JSON.stringify([agent, kind, subjects]))).subarray(0, 16));
}

/** Fills `{name}` placeholders; the same template text doubles as the English fallback of an i18n key. */
export function render(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(say(params[k], ENGLISH)) : m));
}

export function fact(key: string, template: string, params: Record<string, string | number> = {}, weight?: number): Fact {
  const f: Fact = { key, params, text: render(template, params) };
  if (weight !== undefined) f.weight = weight;
  return f;
}

/** Scores and numbers in facts are shown to two places: more would only be noise to a reader. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export interface Draft {
  kind: string;
  subjects: string[];
  summaryKey: string;
  summaryTemplate: string;
  summaryParams: Record<string, string | number>;
  explanation: Fact[];
  score: number;
  expires: number;
}

export function propose(agent: AgentName, d: Draft): AgentProposal {
  return {
    id: proposalId(agent, d.kind, d.subjects),
    agent,
    kind: d.kind,
    subjects: d.subjects,
    summary: render(d.summaryTemplate, d.summaryParams),
    summaryKey: d.summaryKey,
    summaryParams: d.summaryParams,
    explanation: d.explanation,
    score: Math.max(0, Math.min(1, d.score)),
    expires: d.expires,
  };
}

/**
 * One proposal per id, the best scoring kept (ties: the first). Ids repeat only when records repeat an
 * id (a copied intent or decision id in another feed); declining must still remove exactly one proposal.
 */
export function unique(proposals: readonly AgentProposal[]): AgentProposal[] {
  const best = new Map<string, AgentProposal>();
  for (const p of proposals) {
    const had = best.get(p.id);
    if (!had || p.score > had.score) best.set(p.id, p);
  }
  return [...best.values()];
}

/** Drops declined and stale proposals, then orders best first with a stable tie-break on id. */
export function finish(input: AgentInput, proposals: AgentProposal[]): AgentProposal[] {
  return proposals.filter((p) => !input.declined?.has(p.id) && p.expires > input.now).sort((a, b) => b.score - a.score || cmp(a.id, b.id));
}
