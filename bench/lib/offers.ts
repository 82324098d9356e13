/**
 * Realistic signed offers for benchmarks: varied categories, areas, titles, notes, quantities and
 * times spread over the last weeks, each signed by its author exactly as the app signs them.
 * Text varies from a seeded generator so runs are comparable; ids and signatures are real (made with
 * node:crypto, checked against the app's signer: tweetnacl took about a minute for 10,000).
 */
import type { Identity } from '../../src/core/crypto/keys.ts';
import { draftIntent } from '../../src/core/model/intent.ts';
import { intentSigner } from './bridge-offers.ts';
import type { Intent } from '../../src/core/model/types.ts';
import { rng } from '../../tests/helpers/prng.ts';

const CATEGORIES = ['food', 'tools', 'clothing', 'housing', 'transport', 'skills', 'medical', 'childcare', 'other'];
const AREAS = ['north', 'south', 'east', 'west', 'centre', undefined];
const THINGS = ['tomatoes', 'a ladder', 'winter coats', 'a spare room', 'bike repairs', 'sourdough starter', 'first-aid kits', 'babysitting', 'seed potatoes', 'a drill', 'jam jars', 'lifts to the market'];
const NOTES = [
  'Pick up any evening after six, ring the bell twice.',
  'Happy to bring it round if you are nearby.',
  'Grown without pesticides on the allotment by the river.',
  'Some wear but works fine. Please return within a week.',
  '',
];
const UNITS = ['kg', 'pieces', 'hours', 'boxes'];


const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** `n` open offers by `author`, `updated` spread over the 30 days before `now` (all distinct). */
export function makeOffers(author: Identity, n: number, now: number, seed = 1): Intent[] {
  const r = rng(seed);
  const signed = intentSigner(author);
  const spacing = Math.max(1, Math.floor((30 * 86_400_000) / Math.max(1, n)));
  return Array.from({ length: n }, (_, i) => {
    const thing = pick(r, THINGS);
    const withQuantity = r() < 0.6;
    return signed(draftIntent(
      author.agentId,
      {
        kind: 'offer',
        category: pick(r, CATEGORIES),
        title: `Offering ${thing} #${i + 1}`,
        description: pick(r, NOTES),
        quantity: withQuantity ? { hasNumericalValue: 1 + Math.floor(r() * 20), hasUnit: pick(r, UNITS) } : undefined,
        area: pick(r, AREAS),
        expires: r() < 0.3 ? now + 60 * 86_400_000 : undefined,
      },
      now - (n - i) * spacing,
    ));
  });
}
