import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, capExpiry, capPriority, highestPriorityFor, MAX_RECEIVED_LIFETIME_MS, type Provenance } from '../../relay/dtn/received-policy.ts';
import { planEviction, type Sized } from '../../relay/dtn/store/evict.ts';
import type { BundleMeta, Priority } from '../../relay/dtn/store/index.ts';
import { communityOfAlerts } from '../../src/core/protocol/endpoints.ts';

const priority = fc.constantFrom<Priority>(0, 1, 2, 3);
const provenance = fc.record<Provenance>({ authenticated: fc.boolean(), alertFromRaiser: fc.boolean() });
const destination = fc.oneof(fc.string(), fc.constantFrom('dtn://~c0mmunity_1/alerts', 'dtn://~c0mmunity_1/changes', 'dtn://~library/chunk/abc', 'dtn://~ana/inbox'));
const RELAY: Provenance = { authenticated: true, alertFromRaiser: false };
const RAISER: Provenance = { authenticated: true, alertFromRaiser: true };

describe('received bundles: declared priority and lifetime are capped by policy', () => {
  it('Scenario: a received bundle is never kept above the priority the project gives its kind', () => {
    expect(highestPriorityFor('dtn://~c0mmunity_1/alerts', RAISER)).toBe(0);
    expect(highestPriorityFor('dtn://~c0mmunity_1/changes', RELAY)).toBe(2);
    expect(highestPriorityFor('dtn://~library/chunk/abc', RELAY)).toBe(3);
    expect(highestPriorityFor('dtn://nowhere/x', RELAY)).toBe(2);
    expect(highestPriorityFor('ipn:977.1', RELAY)).toBe(2);
    fc.assert(
      fc.property(priority, destination, provenance, (declared, dest, from) => {
        const kept = capPriority(declared, dest, from);
        expect(kept).toBeGreaterThanOrEqual(declared); // never raised
        expect(kept).toBeGreaterThanOrEqual(highestPriorityFor(dest, from)); // never above its kind
        if (declared >= highestPriorityFor(dest, from)) expect(kept).toBe(declared);
      }),
    );
  });

  it('Scenario: a bundle from a peer that proved nothing is kept at low priority whatever it claims and wherever it goes, unless it is an alert signed by a member allowed to raise one', () => {
    fc.assert(
      fc.property(priority, destination, fc.boolean(), (declared, dest, alertFromRaiser) => {
        const realAlert = alertFromRaiser && communityOfAlerts(dest) !== undefined;
        // A member's signed alert is emergency whoever carried it (a plain-TCPCL bridge between islands).
        expect(capPriority(declared, dest, { authenticated: false, alertFromRaiser })).toBe(realAlert ? declared : 3);
        expect(capPriority(declared, dest)).toBe(3); // unknown provenance is anonymous
      }),
    );
    expect(capPriority(3, 'dtn://~c1/alerts', { authenticated: false, alertFromRaiser: true })).toBe(3);
    expect(capPriority(0, 'dtn://~c1/alerts', { authenticated: false, alertFromRaiser: true })).toBe(0);
    expect(ANONYMOUS).toEqual({ authenticated: false, alertFromRaiser: false });
  });

  it('Scenario: something a community relay hands over for an alerts endpoint that is not a signed alert by a member allowed to raise alerts is kept at normal priority, not emergency', () => {
    fc.assert(
      fc.property(priority, fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), (declared, community) => {
        const alerts = `dtn://~${community}/alerts`;
        expect(capPriority(declared, alerts, RELAY)).toBe(Math.max(declared, 2));
        expect(capPriority(declared, alerts, RAISER)).toBe(declared);
      }),
    );
  });

  it('Scenario: a real alert whose author this relay cannot judge yet goes ahead of change-sets but never at emergency, whoever carried it', () => {
    fc.assert(
      fc.property(priority, fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.boolean(), (declared, community, authenticated) => {
        const unjudged = { authenticated, alertFromRaiser: false, alertUnjudged: true };
        // A bridge that serves no community, or an island the raiser's entry has not reached yet.
        expect(capPriority(declared, `dtn://~${community}/alerts`, unjudged)).toBe(Math.max(declared, 1));
        // Anything else an unjudged flag might ride on is not an alert: it gains nothing.
        expect(capPriority(declared, `dtn://~${community}/changes`, unjudged)).toBe(Math.max(declared, authenticated ? 2 : 3));
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

/** A held bundle: anonymous (a stranger's), received from a community relay or a member, or the island's own. */
const held = fc
  .record({ priority, from: fc.constantFrom('anonymous', 'received', 'local'), createdAt: fc.nat({ max: 1000 }), fileBytes: fc.integer({ min: 1, max: 100 }) })
  .map(({ priority: p, from, createdAt, fileBytes }): Omit<Sized, 'meta'> & { meta: Omit<BundleMeta, 'id'> } => ({
    fileBytes,
    meta: { source: 'dtn://x/', destination: 'dtn://y/z', priority: p, audience: 'public', createdAt, expiresAt: 10 ** 9, size: fileBytes, ...(from === 'anonymous' ? { anonymous: true } : from === 'local' ? { local: true } : {}) },
  }));
const store = fc.array(held, { minLength: 1, maxLength: 40 }).map((es) => es.map((e, i): Sized => ({ fileBytes: e.fileBytes, meta: { ...e.meta, id: `b${i}` } })));

function evict(entries: Sized[], incoming: Sized): Sized[] | undefined {
  const used = entries.reduce((n, e) => n + e.fileBytes, 0);
  return planEviction({ entries, used, incoming, high: used, low: Math.floor(used / 2), isExpired: () => false });
}

describe('received bundles: who brought them decides what is evicted first', () => {
  it('Scenario: a peer that proved nothing flooding a full store makes room only among other anonymous bundles, never a community relay’s, a member’s or the island’s own', () => {
    fc.assert(
      fc.property(store, held, (entries, incoming) => {
        const flood: Sized = { fileBytes: incoming.fileBytes, meta: { ...incoming.meta, id: 'flood', anonymous: true, local: undefined } };
        for (const v of evict(entries, flood) ?? []) expect(v.meta.anonymous).toBe(true);
      }),
    );
  });

  it('Scenario: room made for an authenticated bundle takes every anonymous bundle before any authenticated one, and the island’s own data keeps its protection', () => {
    fc.assert(
      fc.property(store, held, (entries, incoming) => {
        const from: Sized = { fileBytes: incoming.fileBytes, meta: { ...incoming.meta, id: 'in', anonymous: undefined } };
        const victims = evict(entries, from) ?? [];
        if (victims.some((v) => !v.meta.anonymous)) for (const e of entries.filter((x) => x.meta.anonymous)) expect(victims).toContain(e);
        // Received data never evicts the island's own at equal or lower priority number (store/evict.ts).
        if (!from.meta.local) for (const v of victims.filter((x) => x.meta.local)) expect(v.meta.priority).toBeGreaterThan(from.meta.priority);
      }),
    );
  });
});
