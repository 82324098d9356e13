import { kidsOf } from '../audience/keyring.ts';
import { asObject } from '../audience/shape.ts';
import type { Keyring } from './types.ts';

/**
 * The envelopes a rotation to `epoch` retires (ids): the older ones (they name who held the old keys,
 * which the new envelopes carry on to everyone entitled), but never one carrying a key the new chain
 * does not — a key only a former organiser handed out is read-only, so it is not carried on, and an
 * entry a steward sealed with it meanwhile would open for nobody entitled once its envelopes went.
 */
export function retiredEnvelopes(envelopes: Iterable<readonly [string, unknown]>, epoch: number, chain: Keyring): string[] {
  const carried = kidsOf(chain);
  const out: string[] = [];
  for (const [id, env] of envelopes) {
    const e = asObject(env);
    if (!e || (typeof e.epoch === 'number' && e.epoch >= epoch)) continue;
    const kids = Array.isArray(e.kids) ? e.kids : [];
    if (kids.every((k) => typeof k === 'string' && carried.has(k))) out.push(id);
  }
  return out;
}
