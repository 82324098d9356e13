import { describe, expect, it } from 'vitest';
import { matchmaker } from '../../../agents/matchmaker.ts';
import { DAY } from '../../../agents/lib/time.ts';
import { NOW, gateHiding, input, intent, member, response } from '../../helpers/agents/communities.ts';
import { proposalId } from '../../../agents/lib/proposal.ts';

const ana = (intents: Parameters<typeof intent>[1][]) => member('ana', { name: 'Ana', intents: intents.map((s) => intent('ana', s)) });
const ben = (intents: Parameters<typeof intent>[1][]) => member('ben', { name: 'Ben', intents: intents.map((s) => intent('ben', s)) });

const ladder = { id: 'o-ladder', kind: 'offer' as const, name: 'Ladder', resourceConformsTo: 'tools', atLocation: 'north' };
const needLadder = { id: 'n-ladder', kind: 'need' as const, name: 'Need a ladder', resourceConformsTo: 'tools', atLocation: 'north' };

describe('MutualAidMatchmaker', () => {
  it('Scenario: a matching offer and need in the same area are proposed with every fact and weight', () => {
    const out = matchmaker.run(input([ana([ladder]), ben([needLadder])]));
    expect(out).toHaveLength(1);
    const p = out[0];
    expect(p.kind).toBe('match');
    expect(p.subjects).toEqual(['o-ladder', 'n-ladder']);
    expect(p.id).toBe(proposalId('MutualAidMatchmaker', 'match', ['o-ladder', 'n-ladder']));
    expect(p.score).toBeCloseTo(1, 10);
    expect(p.summary).toBe('Ana offers "Ladder", which could meet "Need a ladder" for Ben');
    expect(p.summaryKey).toBe('agents.matchmaker.summary');
    expect(p.explanation.map((f) => [f.key, f.weight, f.text])).toEqual([
      ['agents.matchmaker.category', 0.4, 'Same category: Tools'],
      ['agents.matchmaker.location.same', 0.3, 'Both are in north'],
      ['agents.matchmaker.time.open', 0.2, 'Neither side limits when'],
      ['agents.matchmaker.quantity.any', 0.1, 'The need names no amount'],
      ['agents.matchmaker.score', undefined, 'Match score 1 of 1'],
    ]);
    expect(p.expires).toBe(NOW + 3 * DAY);
  });

  it('Scenario: different areas lose the location share; an unstated area gets half of it', () => {
    const far = matchmaker.run(input([ana([ladder]), ben([{ ...needLadder, atLocation: 'south' }])]));
    expect(far[0].score).toBeCloseTo(0.7, 10);
    expect(far[0].explanation[1].text).toBe('Different areas: north and south');
    const unknown = matchmaker.run(input([ana([ladder]), ben([{ ...needLadder, atLocation: undefined }])]));
    expect(unknown[0].score).toBeCloseTo(0.85, 10);
    expect(unknown[0].explanation[1].key).toBe('agents.matchmaker.location.unknown');
  });

  it('Scenario: times days apart and a partial quantity lower the score by their weights', () => {
    const out = matchmaker.run(
      input([
        ana([{ ...ladder, resourceQuantity: { hasNumericalValue: 2, hasUnit: 'kg' }, hasBeginning: NOW, hasEnd: NOW + DAY }]),
        ben([{ ...needLadder, resourceQuantity: { hasNumericalValue: 4, hasUnit: 'KG' }, hasBeginning: NOW + DAY + 3.5 * DAY }]),
      ]),
    );
    // time: 3.5 of 7 tolerance days apart → 0.5; quantity 2 of 4 → 0.5
    expect(out[0].score).toBeCloseTo(0.4 + 0.3 + 0.2 * 0.5 + 0.1 * 0.5, 10);
    expect(out[0].explanation[2].text).toBe('Their times are 3.5 days apart');
    expect(out[0].explanation[3].text).toBe('Offers 2 KG of the 4 KG needed');
    expect(out[0].expires).toBe(NOW + DAY);
  });

  it('Scenario: a person’s own offer is never matched with their own need', () => {
    expect(matchmaker.run(input([ana([ladder, needLadder])]))).toEqual([]);
  });

  it('Scenario: only offers and needs of the same category are paired', () => {
    expect(matchmaker.run(input([ana([ladder]), ben([{ ...needLadder, resourceConformsTo: 'food' }])]))).toEqual([]);
  });

  it('Scenario: community weights change the score; bad weights fall back to 40/30/20/10', () => {
    const community = [ana([ladder]), ben([{ ...needLadder, atLocation: 'south' }])];
    const custom = matchmaker.run(input(community, { settings: { weights: { category: 1, location: 1, time: 0, quantity: 0 } } }));
    expect(custom[0].score).toBeCloseTo(0.5, 10);
    expect(custom[0].explanation.map((f) => f.weight)).toEqual([0.5, 0.5, 0, 0, undefined]);
    const bad: unknown[] = [
      { category: -1, location: 1, time: 1, quantity: 1 },
      { category: 'x', location: 1, time: 1, quantity: 1 },
      { category: 0, location: 0, time: 0, quantity: 0 },
      { category: 1 },
      [1, 2, 3, 4],
      'heavy',
      { category: Infinity, location: 1, time: 1, quantity: 1 },
    ];
    for (const weights of bad) {
      const out = matchmaker.run(input(community, { settings: { weights, minScore: 'high', candidatesPerOffer: -3 } }));
      expect(out[0].score).toBeCloseTo(0.7, 10);
    }
  });

  it('Scenario: a need the viewer may not see is never matched', () => {
    const hiddenNeed = { ...needLadder, audience: 'trusted' as const };
    const out = matchmaker.run(input([ana([ladder]), ben([hiddenNeed])], { viewer: 'ana', canSee: gateHiding([['ben', 'trusted']]) }));
    expect(out).toEqual([]);
  });

  it('Scenario: a declined match is not proposed again', () => {
    const community = [ana([ladder]), ben([needLadder])];
    const id = matchmaker.run(input(community))[0].id;
    expect(matchmaker.run(input(community, { declined: new Set([id]) }))).toEqual([]);
  });

  it('Scenario: a need already answered by a response is left alone', () => {
    const b = ben([needLadder]);
    const answered = { ...b, proposals: [response('ana', 'r1', 'n-ladder')] };
    expect(matchmaker.run(input([ana([ladder]), answered]))).toEqual([]);
  });

  it('Scenario: candidates are pruned by category, so a budget of one step still finds the only same-category need', () => {
    const noise = Array.from({ length: 200 }, (_, k) => ({ id: `n${k}`, kind: 'need' as const, resourceConformsTo: 'food' }));
    const out = matchmaker.run(input([ana([ladder]), ben([...noise, needLadder])], { budget: 1 }));
    expect(out.map((p) => p.subjects)).toEqual([['o-ladder', 'n-ladder']]);
    expect(matchmaker.run(input([ana([ladder]), ben([needLadder])], { budget: 0 }))).toEqual([]);
  });

  it('Scenario: an offer scores its own area first and at most candidatesPerOffer needs', () => {
    const far = Array.from({ length: 50 }, (_, k) => ({ ...needLadder, id: `far${k}`, atLocation: 'south', created: NOW - 10 * DAY }));
    const out = matchmaker.run(input([ana([ladder]), ben([...far, needLadder])], { settings: { candidatesPerOffer: 1 } }));
    expect(out.map((p) => p.subjects[1])).toEqual(['n-ladder']);
  });

  it('Scenario: the best offers per need are kept and the viewer’s own matches survive the cap', () => {
    const needs = Array.from({ length: 5 }, (_, k) => ({ ...needLadder, id: `n${k}` }));
    const offers = Array.from({ length: 5 }, (_, k) => ({ ...ladder, id: `o${k}` }));
    const others = [member('cy', { intents: offers.map((o) => intent('cy', o)) }), ben(needs)];
    const viewer = member('vi', { intents: [intent('vi', { ...needLadder, id: 'mine', atLocation: 'east' })] });
    const out = matchmaker.run(input([viewer, ...others], { viewer: 'vi', settings: { maxProposals: 2, perNeed: 1, perOffer: 5 } }));
    expect(out.filter((p) => p.subjects[1] === 'mine')).toHaveLength(1);
    expect(out.filter((p) => p.subjects[1] !== 'mine')).toHaveLength(2);
  });

  it('Scenario: under a tight budget the viewer’s own needs are searched first', () => {
    const others = [member('cy', { intents: [intent('cy', { ...needLadder, id: 'n-cy', created: NOW - 9 * DAY })] })];
    const viewer = member('vi', { intents: [intent('vi', { ...needLadder, id: 'mine' })] });
    const out = matchmaker.run(input([ana([ladder]), ...others, viewer], { viewer: 'vi', budget: 1 }));
    expect(out.map((p) => p.subjects)).toEqual([['o-ladder', 'mine']]);
  });

  it('Scenario: withdrawn, expired and past-window intents are not matched', () => {
    for (const change of [{ status: 'withdrawn' as const }, { expires: NOW }, { hasEnd: NOW - 1 }]) {
      expect(matchmaker.run(input([ana([ladder]), ben([{ ...needLadder, ...change }])]))).toEqual([]);
    }
  });
});
