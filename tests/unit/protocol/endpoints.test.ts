import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEid } from '../../../src/core/dtn/eid.ts';
import {
  agentOfInbox,
  alertEndpoint,
  changesEndpoint,
  chunkOfEndpoint,
  communityOfAlerts,
  communityOfChanges,
  DISCOVERY_QUERY_ENDPOINT,
  discoveryAnswerEndpoint,
  inboxEndpoint,
  LIBRARY_MANIFEST_ENDPOINT,
  libraryChunkEndpoint,
  nodeEndpoint,
  routingEndpoint,
  syncEndpoint,
} from '../../../src/core/protocol/endpoints.ts';
import { LIFETIME_MS, PAYLOAD_LIFETIME_MS, PAYLOAD_PRIORITY, Priority } from '../../../src/core/protocol/priority.ts';

// openspec/changes/protocol-module — every DTN endpoint a relay uses, built and recognised in one place
const group = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const agent = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);
const hash = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);

describe('DTN endpoints', () => {
  it('Scenario: each group endpoint is recognised as its own kind and as no other', () => {
    fc.assert(
      fc.property(group, agent, hash, (c, a, h) => {
        const all = [changesEndpoint(c), alertEndpoint(c), inboxEndpoint(a), libraryChunkEndpoint(h), LIBRARY_MANIFEST_ENDPOINT, DISCOVERY_QUERY_ENDPOINT];
        for (const eid of all) expect(() => parseEid(eid)).not.toThrow();
        expect(all.map(communityOfChanges)).toEqual([c, undefined, undefined, undefined, undefined, undefined]);
        expect(all.map(communityOfAlerts)).toEqual([undefined, c, undefined, undefined, undefined, undefined]);
        expect(all.map(agentOfInbox)).toEqual([undefined, undefined, a, undefined, undefined, undefined]);
        expect(all.map(chunkOfEndpoint)).toEqual([undefined, undefined, undefined, h, undefined, undefined]);
      }),
    );
  });

  it('Scenario: node services hang off the node id and are never mistaken for group endpoints', () => {
    const node = nodeEndpoint('island-a');
    expect(node).toBe('dtn://island-a/');
    for (const eid of [routingEndpoint(node), syncEndpoint(node), discoveryAnswerEndpoint(node)]) {
      expect(parseEid(eid)).toMatchObject({ node: 'island-a' });
      expect([communityOfChanges(eid), communityOfAlerts(eid), agentOfInbox(eid), chunkOfEndpoint(eid)]).toEqual([undefined, undefined, undefined, undefined]);
    }
    expect(new Set([routingEndpoint(node), syncEndpoint(node), discoveryAnswerEndpoint(node)]).size).toBe(3);
  });

  it('Scenario: a hostile endpoint text is refused by every recogniser', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const c = communityOfChanges(s);
        if (c !== undefined) expect(changesEndpoint(c)).toBe(s);
        const al = communityOfAlerts(s);
        if (al !== undefined) expect(alertEndpoint(al)).toBe(s);
        const a = agentOfInbox(s);
        if (a !== undefined) expect(inboxEndpoint(a)).toBe(s);
      }),
    );
    expect(communityOfChanges('dtn://~a/b/changes')).toBeUndefined();
    expect(communityOfAlerts(`dtn://~${'x'.repeat(65)}/alerts`)).toBeUndefined();
    expect(agentOfInbox('dtn://~short/inbox')).toBeUndefined();
  });

  it('Scenario: alerts go first and library bulk goes last, each payload with its lifetime', () => {
    expect(PAYLOAD_PRIORITY.alert).toBe(Priority.Emergency);
    expect(PAYLOAD_PRIORITY.library).toBe(Priority.Low);
    for (const p of Object.values(PAYLOAD_PRIORITY)) expect(p).toBeGreaterThanOrEqual(PAYLOAD_PRIORITY.alert);
    for (const p of Object.values(PAYLOAD_PRIORITY)) expect(p).toBeLessThanOrEqual(PAYLOAD_PRIORITY.library);
    expect(PAYLOAD_LIFETIME_MS['change-set']).toBe(LIFETIME_MS[Priority.Normal]);
    expect(PAYLOAD_LIFETIME_MS.direct).toBeLessThan(PAYLOAD_LIFETIME_MS.message);
  });
});
