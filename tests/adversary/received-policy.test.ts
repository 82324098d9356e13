import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capExpiry, capPriority, highestPriorityFor, MAX_RECEIVED_LIFETIME_MS } from '../../relay/dtn/received-policy.ts';
import type { Priority } from '../../relay/dtn/store/index.ts';

const priority = fc.constantFrom<Priority>(0, 1, 2, 3);

describe('received bundles: declared priority and lifetime are capped by policy', () => {
  it('Scenario: a received bundle is never kept above the priority the project gives its kind', () => {
    expect(highestPriorityFor('dtn://~c0mmunity_1/alerts')).toBe(0);
    expect(highestPriorityFor('dtn://~c0mmunity_1/changes')).toBe(2);
    expect(highestPriorityFor('dtn://~library/chunk/abc')).toBe(3);
    expect(highestPriorityFor('dtn://nowhere/x')).toBe(2);
    expect(highestPriorityFor('ipn:977.1')).toBe(2);
    fc.assert(
      fc.property(priority, fc.string(), (declared, destination) => {
        const kept = capPriority(declared, destination);
        expect(kept).toBeGreaterThanOrEqual(declared); // never raised
        expect(kept).toBeGreaterThanOrEqual(highestPriorityFor(destination)); // never above its kind
        if (declared >= highestPriorityFor(destination)) expect(kept).toBe(declared);
      }),
    );
  });

  it('Scenario: a received bundle is kept no longer than thirty days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: 0, max: 2 ** 45 }), (declared, now) => {
        const kept = capExpiry(declared, now);
        expect(kept).toBeLessThanOrEqual(declared);
        expect(kept).toBeLessThanOrEqual(now + MAX_RECEIVED_LIFETIME_MS);
        if (declared <= now + MAX_RECEIVED_LIFETIME_MS) expect(kept).toBe(declared);
      }),
    );
  });
});
