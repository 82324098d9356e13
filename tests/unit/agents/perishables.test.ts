import { describe, expect, it } from 'vitest';
import { perishables } from '../../../agents/perishables.ts';
import { DAY, HOUR } from '../../../agents/lib/time.ts';
import { NOW, event, gateHiding, input, intent, member } from '../../helpers/agents/communities.ts';

const bread = { id: 'o-bread', kind: 'offer' as const, name: 'Fresh bread', resourceConformsTo: 'food', atLocation: 'north', expires: NOW + 12 * HOUR };

function community(extra: { hideDee?: boolean } = {}) {
  const ana = member('ana', { name: 'Ana', intents: [intent('ana', bread)] });
  const ben = member('ben', { name: 'Ben', intents: [intent('ben', { id: 'n-ben', kind: 'need', name: 'Any food', resourceConformsTo: 'food', atLocation: 'north' })] });
  const cy = member('cy', { name: 'Cy', intents: [intent('cy', { id: 'n-cy', kind: 'need', name: 'Bread please', resourceConformsTo: 'food', atLocation: 'south' })] });
  const dee = member('dee', {
    name: 'Dee',
    intents: [intent('dee', { id: 'o-dee', kind: 'offer', name: 'Hammer', resourceConformsTo: 'tools', atLocation: 'north' })],
    events: [event('dee', { id: 'e1', receiver: 'dee', provider: 'ana', resourceConformsTo: 'food', hasPointInTime: NOW - 5 * DAY })],
  });
  return input([ana, ben, cy, dee], extra.hideDee ? { canSee: gateHiding([['dee', 'trusted']]) } : {});
}

describe('PerishablesDispatcher', () => {
  it('Scenario: bread that spoils in 12 hours is offered to nearby askers first, then past takers, then farther askers', () => {
    const out = perishables.run(community());
    expect(out.map((p) => [p.kind, p.subjects, Math.round(p.score * 1000) / 1000])).toEqual([
      ['pickup', ['o-bread', 'n-ben'], 0.9],
      ['pickup', ['o-bread', 'dee'], 0.75],
      ['pickup', ['o-bread', 'n-cy'], 0.6],
    ]);
    const ben = out[0];
    expect(ben.summary).toBe('Ben could pick up "Fresh bread" from Ana before it spoils (2026-05-16 00:00 UTC)');
    expect(ben.explanation.map((f) => [f.key, f.weight, f.text])).toEqual([
      ['agents.perishables.urgency', 0.4, 'Spoils in 12 hours'],
      ['agents.perishables.location.same', 0.3, 'Both in north'],
      ['agents.perishables.fit.need', 0.3, 'Ben asked for Food: "Any food"'],
      ['agents.perishables.urgencyScore', undefined, 'Urgency 0.75 of 1'],
    ]);
    expect(ben.expires).toBe(NOW + 12 * HOUR);
    expect(out[1].explanation[2].text).toBe('Dee took Food before');
  });

  it('Scenario: a past taker known only from an event the viewer may not see is not proposed', () => {
    expect(perishables.run(community({ hideDee: true })).map((p) => p.subjects[1])).toEqual(['n-ben', 'n-cy']);
  });

  it('Scenario: perishable food with no expiry spoils a shelf life after it was posted', () => {
    const old = intent('ana', { ...bread, expires: undefined, created: NOW - 60 * HOUR });
    const out = perishables.run(input([member('ana', { intents: [old] }), member('ben', { intents: [intent('ben', { id: 'n', kind: 'need', resourceConformsTo: 'food' })] })]));
    expect(out).toHaveLength(1);
    expect(out[0].expires).toBe(NOW + 12 * HOUR);
  });

  it('Scenario: goods that keep, or spoil beyond the horizon, are left to the matchmaker', () => {
    const need = member('ben', { intents: [intent('ben', { id: 'n', kind: 'need', resourceConformsTo: 'tools' }), intent('ben', { id: 'n2', kind: 'need', resourceConformsTo: 'food' })] });
    const keeps = intent('ana', { id: 'o', kind: 'offer', resourceConformsTo: 'tools' });
    const later = intent('ana', { ...bread, expires: NOW + 5 * DAY });
    expect(perishables.run(input([member('ana', { intents: [keeps, later] }), need]))).toEqual([]);
    const soon = intent('ana', { id: 'o2', kind: 'offer', resourceConformsTo: 'tools', expires: NOW + 10 * HOUR });
    expect(perishables.run(input([member('ana', { intents: [soon] }), need])).map((p) => p.subjects)).toEqual([['o2', 'n']]);
  });

  it('Scenario: a need that starts only after the food has spoiled cannot take it', () => {
    const late = intent('ben', { id: 'n', kind: 'need', resourceConformsTo: 'food', hasBeginning: NOW + 2 * DAY });
    expect(perishables.run(input([member('ana', { intents: [intent('ana', bread)] }), member('ben', { intents: [late] })]))).toEqual([]);
  });

  it('Scenario: at most perOffer takers per offer, and the budget stops the scan', () => {
    expect(perishables.run({ ...community(), settings: { perOffer: 1 } }).map((p) => p.subjects[1])).toEqual(['n-ben']);
    expect(perishables.run({ ...community(), budget: 0 })).toEqual([]);
  });
});
