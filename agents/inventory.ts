/**
 * InventoryAgent: the community's inventory is what its visible open offers hold, per category —
 * lendable things held in common (action 'use') and things to give (other actions) — against the open
 * needs for them. It flags low stock (more needs waiting than offers) and duplicates (the same author
 * posting the same thing twice).
 */
import { Budget } from './lib/budget.ts';
import { categoryName } from './lib/community.ts';
import { memberNames, nameOf } from './lib/names.ts';
import { byCreated } from './lib/order.ts';
import { fact, finish, propose, round2 } from './lib/proposal.ts';
import { intSetting, realSetting, weightsFromObject } from './lib/settings.ts';
import { titleWords } from './lib/text.ts';
import { DAY } from './lib/time.ts';
import { visibleIntents } from './lib/visibility.ts';
import type { Agent, AgentInput, AgentProposal } from './types.ts';
import type { Intent } from '../src/core/model/types.ts';

const NAME = 'InventoryAgent';
const K = 'agents.inventory';
export const LOW_STOCK_DEFAULT_WEIGHTS = { shortfall: 0.7, demand: 0.3 };
/** Needs named in a low-stock proposal: enough to act on, small enough to read. */
const MAX_NEEDS_LISTED = 20;

export interface StockLine {
  category: string;
  /** Lendable things held in common (offers with action 'use'). */
  shared: number;
  /** Things offered to give or work offered. */
  given: number;
  /** Open needs waiting. */
  needs: number;
  needIds: string[];
}

/** The inventory as the viewer sees it, by category id in alphabetical order. */
export function inventory(input: AgentInput, intents: Intent[] = visibleIntents(input)): StockLine[] {
  const lines = new Map<string, StockLine>();
  for (const i of [...intents].sort(byCreated)) {
    let l = lines.get(i.resourceConformsTo);
    if (!l) lines.set(i.resourceConformsTo, (l = { category: i.resourceConformsTo, shared: 0, given: 0, needs: 0, needIds: [] }));
    if (i.kind === 'need') {
      l.needs++;
      l.needIds.push(i.id);
    } else if (i.action === 'use') l.shared++;
    else l.given++;
  }
  return [...lines.values()].sort((a, b) => (a.category < b.category ? -1 : 1));
}

function similarity(a: Intent, b: Intent): number {
  const wa = new Set(titleWords(a.name));
  const wb = new Set(titleWords(b.name));
  if (wa.size === 0 || wb.size === 0) return a.name.trim().toLowerCase() === b.name.trim().toLowerCase() ? 1 : 0;
  let both = 0;
  for (const x of wa) if (wb.has(x)) both++;
  return both / (wa.size + wb.size - both);
}

function lowStock(input: AgentInput, w: typeof LOW_STOCK_DEFAULT_WEIGHTS, l: StockLine): AgentProposal {
  const supply = l.shared + l.given;
  const shortfall = (l.needs - supply) / l.needs;
  const category = categoryName(input, l.category);
  return propose(NAME, {
    kind: 'low-stock',
    subjects: [`category:${l.category}`, ...l.needIds.slice(0, MAX_NEEDS_LISTED).sort()],
    summaryKey: `${K}.lowStock.summary`,
    summaryTemplate: '{category} is running low: {needs} needs wait and {supply} offers are open',
    summaryParams: { category, needs: l.needs, supply },
    explanation: [
      fact(`${K}.lowStock.shortfall`, '{short} more needs than offers in {category}', { short: l.needs - supply, category }, w.shortfall),
      fact(`${K}.lowStock.demand`, '{needs} open needs in {category}', { needs: l.needs, category }, w.demand),
      fact(`${K}.lowStock.stock`, 'Held in common to lend: {shared}; offered to give: {given}', { shared: l.shared, given: l.given }),
    ],
    score: w.shortfall * shortfall + w.demand * Math.min(1, l.needs / 10),
    expires: input.now + DAY,
  });
}

function duplicate(input: AgentInput, names: Map<string, string>, a: Intent, b: Intent, sim: number): AgentProposal {
  const [x, y] = a.id < b.id ? [a, b] : [b, a];
  return propose(NAME, {
    kind: 'duplicate',
    subjects: [x.id, y.id],
    summaryKey: `${K}.duplicate.summary`,
    summaryTemplate: '{author} may have posted "{name}" twice',
    summaryParams: { author: nameOf(names, a.author), name: a.name },
    explanation: [
      fact(`${K}.duplicate.same`, 'Same author, same kind and same category ({category})', { category: categoryName(input, a.resourceConformsTo) }),
      fact(`${K}.duplicate.names`, 'Titles "{a}" and "{b}" share {percent}% of their words', { a: x.name, b: y.name, percent: Math.round(sim * 100) }),
    ],
    score: 0.5 + 0.5 * sim,
    expires: input.now + 7 * DAY,
  });
}

export const inventoryAgent: Agent = {
  name: NAME,
  run(input) {
    const w = weightsFromObject(input, LOW_STOCK_DEFAULT_WEIGHTS);
    const minNeeds = intSetting(input, 'minNeeds', 2, 1, 1000);
    const minSimilarity = realSetting(input, 'minSimilarity', 0.8, 0.1, 1);
    const budget = new Budget(input);
    const names = memberNames(input.members);
    const visible = visibleIntents(input);
    const out: AgentProposal[] = [];
    for (const l of inventory(input, visible)) {
      if (!budget.spend()) return finish(input, out);
      if (l.needs >= minNeeds && l.needs > l.shared + l.given) out.push(lowStock(input, w, l));
    }
    // Duplicates can only be within one author's posts of one kind and category.
    const groups = new Map<string, Intent[]>();
    for (const i of visible) {
      const key = `${i.author}\u0000${i.kind}\u0000${i.resourceConformsTo}`;
      const g = groups.get(key) ?? [];
      if (g.length === 0) groups.set(key, g);
      g.push(i);
    }
    for (const key of [...groups.keys()].sort()) {
      const g = groups.get(key)!.sort(byCreated);
      for (let i = 0; i < g.length; i++)
        for (let j = i + 1; j < g.length; j++) {
          if (!budget.spend()) return finish(input, out);
          const sim = round2(similarity(g[i], g[j]));
          if (sim >= minSimilarity) out.push(duplicate(input, names, g[i], g[j], sim));
        }
    }
    return finish(input, out);
  },
};
