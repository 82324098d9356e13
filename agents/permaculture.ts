/**
 * PermaculturePlanner: seasonal planting and guild suggestions from the local plant table
 * (agents/plant-table.ts). The month comes from `now` (UTC), the hemisphere from settings
 * (`hemisphere: 'north' | 'south'` or a `latitude`). A plant is suggested only when it is in season and
 * the community cares about it: someone offers its seeds or plants (supply), or someone asks for it
 * (demand). Score = season 40 % + supply 30 % + demand 30 %. Annuals get 'sow'; perennial trees and
 * shrubs get 'guild' with companions by role.
 */
import { Budget } from './lib/budget.ts';
import { memberNames, nameOf } from './lib/names.ts';
import { list, word } from './lib/words.ts';
import { byId } from './lib/order.ts';
import { fact, finish, propose } from './lib/proposal.ts';
import { choiceSetting, intSetting, realSetting, weightsFromObject } from './lib/settings.ts';
import { titleWords } from './lib/text.ts';
import { DAY } from './lib/time.ts';
import { visibleIntents } from './lib/visibility.ts';
import { PLANTS, PLANT_BY_ID, type Plant } from './plant-table.ts';
import type { Agent, AgentInput, AgentProposal, Fact } from './types.ts';
import type { Intent } from '../src/core/model/types.ts';

const NAME = 'PermaculturePlanner';
const K = 'agents.permaculture';
export const PLANTING_DEFAULT_WEIGHTS = { season: 0.4, supply: 0.3, demand: 0.3 };
const PLANT_CATEGORIES = ['seeds', 'garden', 'plants'];
const SEASONS = ['winter', 'winter', 'spring', 'spring', 'spring', 'summer', 'summer', 'summer', 'autumn', 'autumn', 'autumn', 'winter'];
/** Intents named per proposal: enough to act on. */
const MAX_INTENTS = 10;

export type Hemisphere = 'north' | 'south';

export function hemisphereOf(input: AgentInput): Hemisphere {
  const lat = realSetting(input, 'latitude', Number.NaN, -90, 90);
  if (!Number.isNaN(lat)) return lat < 0 ? 'south' : 'north';
  return choiceSetting(input, 'hemisphere', ['north', 'south'] as const, 'north');
}

/** The month as the plant table counts it (1–12): in the south, six months on from the calendar. */
export function tableMonth(now: number, h: Hemisphere): number {
  const m = new Date(now).getUTCMonth() + 1;
  return h === 'south' ? ((m + 5) % 12) + 1 : m;
}

/** Which plants an intent's title names. A multi-word alias needs all its words. */
const ALIASES = PLANTS.map((pl) => ({ pl, aliases: pl.aliases.map((a) => titleWords(a)) }));

function plantsNamed(title: string): Plant[] {
  const ws = new Set(titleWords(title));
  return ALIASES.filter((x) => x.aliases.some((a) => a.every((w) => ws.has(w)))).map((x) => x.pl);
}

interface Interest {
  supply: Intent[];
  demand: Intent[];
}

function interests(intents: Intent[], budget: Budget, plantCats: Set<string>): Map<string, Interest> {
  const out = new Map<string, Interest>();
  for (const i of intents) {
    if (!budget.spend()) break;
    const isSupply = i.kind === 'offer' && plantCats.has(i.resourceConformsTo);
    if (i.kind === 'offer' && !isSupply) continue;
    for (const pl of plantsNamed(i.name)) {
      let x = out.get(pl.id);
      if (!x) out.set(pl.id, (x = { supply: [], demand: [] }));
      (isSupply ? x.supply : x.demand).push(i);
    }
  }
  return out;
}

/** Plants as one parameter: a list of plant words, or "none in the table". */
function plants(ids: string[]): string {
  return ids.length ? list(ids.map((id) => (PLANT_BY_ID.has(id) ? word(`agents.plant.${id}`) : id))) : word('agents.word.noPlants');
}

function sowFacts(pl: Plant, month: number): Fact[] {
  const inSeason = pl.companions.filter((c) => PLANT_BY_ID.get(c)?.months.includes(month));
  return [
    fact(`${K}.companions`, 'Grows well with: {plants}', { plants: plants(pl.companions) }),
    fact(`${K}.companionsNow`, 'Also in season now: {plants}', { plants: plants(inSeason) }),
    fact(`${K}.avoid`, 'Keep apart from: {plants}', { plants: plants(pl.avoid) }),
  ];
}

/** A guild around a tree or shrub: the companions the table lists, grouped by what they do for it. */
function guildFacts(pl: Plant): Fact[] {
  const roles = ['nitrogen-fixer', 'accumulator', 'pollinator', 'pest-repellent'] as const;
  const out: Fact[] = [];
  for (const r of roles) {
    const members = pl.companions.filter((c) => PLANT_BY_ID.get(c)?.roles.includes(r));
    if (members.length > 0) out.push(fact(`${K}.guild.${r}`, `${r.replace('-', ' ')}: {plants}`, { plants: plants(members) }));
  }
  return out;
}

export const permaculture: Agent = {
  name: NAME,
  run(input) {
    const w = weightsFromObject(input, PLANTING_DEFAULT_WEIGHTS);
    const h = hemisphereOf(input);
    const month = tableMonth(input.now, h);
    const season = word(`agents.season.${SEASONS[month - 1]}`);
    const ttl = realSetting(input, 'ttlDays', 14, 1, 90);
    const full = intSetting(input, 'fullInterest', 3, 1, 100);
    const cats = Array.isArray(input.settings?.plantCategories) ? (input.settings.plantCategories as unknown[]).filter((c): c is string => typeof c === 'string') : PLANT_CATEGORIES;
    const budget = new Budget(input);
    const names = memberNames(input.members);
    const found = interests(visibleIntents(input).sort(byId), budget, new Set(cats));
    const monthKey = new Date(input.now).toISOString().slice(0, 7);
    const out: AgentProposal[] = [];
    for (const pl of PLANTS) {
      const x = found.get(pl.id);
      if (!x || !pl.months.includes(month)) continue;
      const supply = Math.min(1, x.supply.length / full);
      const demand = Math.min(1, x.demand.length / full);
      const guild = pl.perennial && (pl.layer === 'canopy' || pl.layer === 'shrub');
      const kind = guild ? 'guild' : 'sow';
      const named = [...x.supply, ...x.demand].slice(0, MAX_INTENTS);
      const firstOffer = x.supply[0];
      const firstNeed = x.demand[0];
      out.push(
        propose(NAME, {
          kind,
          subjects: [`plant:${pl.id}`, `month:${monthKey}`, ...named.map((i) => i.id).sort()],
          summaryKey: `${K}.${kind}.summary`,
          summaryTemplate: guild ? 'Plant a guild around {plant} this {season}' : 'Sow {plant} this {season}',
          summaryParams: { plant: word(`agents.plant.${pl.id}`), season },
          explanation: [
            fact(`${K}.season`, '{season} in the {hemisphere}ern hemisphere: a month to plant {plant}', { season, hemisphere: word(`agents.hemisphere.${h}`), plant: word(`agents.plant.${pl.id}`) }, w.season),
            firstOffer
              ? fact(`${K}.supply`, '{count} offers of it, e.g. "{title}" from {who}', { count: x.supply.length, title: firstOffer.name, who: nameOf(names, firstOffer.author) }, w.supply)
              : fact(`${K}.noSupply`, 'Nobody offers seeds or plants of it yet', {}, w.supply),
            firstNeed
              ? fact(`${K}.demand`, '{count} posts ask for it, e.g. "{title}" from {who}', { count: x.demand.length, title: firstNeed.name, who: nameOf(names, firstNeed.author) }, w.demand)
              : fact(`${K}.noDemand`, 'Nobody has asked for it yet', {}, w.demand),
            ...(guild ? guildFacts(pl) : sowFacts(pl, month)),
          ],
          score: w.season + w.supply * supply + w.demand * demand,
          expires: input.now + ttl * DAY,
        }),
      );
    }
    return finish(input, out);
  },
};
