import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hysteresis, type Transition } from '../../../native-bridge/hysteresis.ts';

interface Poll {
  dt: number;
  seen: boolean[];
}

const IDS = ['a', 'b', 'c'];
const polls = fc.array(
  fc.record({ dt: fc.integer({ min: 200, max: 4000 }), seen: fc.array(fc.boolean(), { minLength: IDS.length, maxLength: IDS.length }) }),
  { maxLength: 200 },
);
const thresholds = fc.record({ upAfterPolls: fc.integer({ min: 1, max: 5 }), downAfterMs: fc.integer({ min: 0, max: 20_000 }) });

function run(h: Hysteresis, trace: Poll[]): Array<Transition & { poll: number; now: number }> {
  let now = 0;
  const out: Array<Transition & { poll: number; now: number }> = [];
  trace.forEach((p, poll) => {
    now += p.dt;
    const seen = IDS.filter((_, i) => p.seen[i]).map((id) => ({ id }));
    for (const t of h.step(seen, now)) out.push({ ...t, poll, now });
  });
  return out;
}

/** Maximal runs of at least n consecutive sightings: the "stable periods" that may justify an up. */
function stableRuns(seen: boolean[], n: number): number {
  let runs = 0;
  let len = 0;
  for (const s of [...seen, false]) {
    if (s) len++;
    else {
      if (len >= n) runs++;
      len = 0;
    }
  }
  return runs;
}

describe('contact hysteresis', () => {
  it('Scenario: flapping neighbour causes no contact storm (events bounded by stable periods, up/down alternate)', () => {
    fc.assert(
      fc.property(thresholds, polls, (th, trace) => {
        const events = run(new Hysteresis(th), trace);
        IDS.forEach((id, i) => {
          const mine = events.filter((e) => e.id === id);
          mine.forEach((e, k) => expect(e.kind).toBe(k % 2 === 0 ? 'up' : 'down'));
          const ups = mine.filter((e) => e.kind === 'up').length;
          expect(ups).toBeLessThanOrEqual(stableRuns(trace.map((p) => p.seen[i]), th.upAfterPolls));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('Scenario: node up after N consecutive polls (and down only after T ms unseen)', () => {
    fc.assert(
      fc.property(thresholds, polls, (th, trace) => {
        const events = run(new Hysteresis(th), trace);
        let now = 0;
        const times = trace.map((p) => (now += p.dt));
        for (const e of events) {
          const i = IDS.indexOf(e.id);
          if (e.kind === 'up') {
            for (let k = e.poll - th.upAfterPolls + 1; k <= e.poll; k++) expect(trace[k].seen[i]).toBe(true);
          } else {
            expect(trace[e.poll].seen[i]).toBe(false);
            let last = e.poll;
            while (last >= 0 && !trace[last].seen[i]) last--;
            expect(e.now - times[last]).toBeGreaterThanOrEqual(th.downAfterMs);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('Scenario: flapping neighbour causes no contact storm (faster than both thresholds: zero or one event)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 1 }), (n, len, phase) => {
        // Seen every other poll: never n>=2 in a row, so never up.
        const h = new Hysteresis({ upAfterPolls: n, downAfterMs: 10_000 });
        let ev = 0;
        for (let k = 0; k < len; k++) ev += h.step((k + phase) % 2 ? [{ id: 'x' }] : [], k * 1000).length;
        expect(ev).toBe(0);
        // Up once, then gaps shorter than T: stays up, no further events.
        const g = new Hysteresis({ upAfterPolls: 2, downAfterMs: 10_000 });
        const all: Transition[] = [];
        for (let k = 0; k < len + 2; k++) all.push(...g.step(k < 2 || k % 3 === 0 ? [{ id: 'x' }] : [], k * 1000));
        expect(all).toEqual([{ kind: 'up', id: 'x', linkQuality: undefined }]);
      }),
    );
  });

  it('Scenario: node down after T seconds unseen', () => {
    const h = new Hysteresis({ upAfterPolls: 2, downAfterMs: 10_000 });
    expect(h.step([{ id: 'x', linkQuality: 200 }], 0)).toEqual([]);
    expect(h.step([{ id: 'x', linkQuality: 210 }], 2000)).toEqual([{ kind: 'up', id: 'x', linkQuality: 210 }]);
    expect(h.step([], 4000)).toEqual([]);
    expect(h.step([], 11_999)).toEqual([]);
    expect(h.step([], 12_000)).toEqual([{ kind: 'down', id: 'x' }]);
    expect(h.upNow()).toEqual([]);
  });

  it('Scenario: tracked nodes are bounded', () => {
    const h = new Hysteresis({ upAfterPolls: 1, downAfterMs: 0, maxTracked: 10 });
    const ids = Array.from({ length: 100 }, (_, i) => ({ id: `n${i}` }));
    expect(h.step(ids, 0)).toHaveLength(10);
    expect(() => new Hysteresis({ upAfterPolls: 0, downAfterMs: 1 })).toThrow(RangeError);
  });
});
