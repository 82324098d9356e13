/** Small pieces every agent shares: stable ids, facts, visibility and the final ordering. */
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64Url, utf8 } from '../src/core/crypto/encoding.ts';
import type { Intent } from '../src/core/model/types.ts';
import type { AgentInput, AgentName, AgentProposal, Fact } from './types.ts';

/** Same agent, kind and subjects → same id, so a declined proposal stays declined across runs. */
export function proposalId(agent: AgentName, kind: string, subjects: readonly string[]): string {
  return toBase64Url(sha256(utf8.encode(JSON.stringify([agent, kind, subjects]))).subarray(0, 16));
}

/** Fills `{name}` placeholders; the same template text doubles as the English fallback of an i18n key. */
export function render(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function fact(key: string, template: string, params: Record<string, string | number> = {}, weight?: number): Fact {
  const f: Fact = { key, params, text: render(template, params) };
  if (weight !== undefined) f.weight = weight;
  return f;
}

/** Open intents the viewer may see, not expired at `now`. */
export function visibleIntents(input: AgentInput): Intent[] {
  const out: Intent[] = [];
  for (const m of input.members) {
    for (const i of m.intents) {
      if (i.status !== 'open') continue;
      if (i.expires !== undefined && i.expires <= input.now) continue;
      if (!input.canSee(i.author, i.audience)) continue;
      out.push(i);
    }
  }
  return out;
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

/** Drops declined and stale proposals, then orders best first with a stable tie-break on id. */
export function finish(input: AgentInput, proposals: AgentProposal[]): AgentProposal[] {
  return proposals
    .filter((p) => !input.declined?.has(p.id) && p.expires > input.now)
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A setting read with a default and a type check: community settings are shared data, never trusted. */
export function numberSetting(input: AgentInput, key: string, fallback: number): number {
  const v = input.settings?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
