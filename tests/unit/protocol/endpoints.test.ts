import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGroupEid, parseEid } from '../../../src/core/dtn/eid.ts';
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
  isDiscoveryQuery,
  isLibraryManifest,
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
/** The form relays wrote before group endpoints followed RFC 9171: `dtn://~<group>/<service>`. */
const legacy = (eid: string) => eid.replace(/^dtn:\/\/([^/]+)\/~/, 'dtn://~$1/');

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

  it('Scenario: group endpoints are RFC 9171 non-singleton endpoints, and the old form is still read', () => {
    fc.assert(
      fc.property(group, agent, hash, (c, a, h) => {
        const built = [changesEndpoint(c), alertEndpoint(c), inboxEndpoint(a), libraryChunkEndpoint(h), LIBRARY_MANIFEST_ENDPOINT, DISCOVERY_QUERY_ENDPOINT];
        for (const eid of built) {
          const parsed = parseEid(eid);
          // §4.2.5.1.1: the demux starts with '~'; the node name carries none.
          expect(parsed).toMatchObject({ scheme: 'dtn', none: false });
          if (parsed.scheme === 'dtn' && !parsed.none) expect([parsed.node.startsWith('~'), parsed.service.startsWith('~')]).toEqual([false, true]);
          expect(isGroupEid(eid)).toBe(true);
        }
        // Bundles stored or sent by relays before the change name the same endpoints the old way.
        const old = built.map(legacy);
        expect([communityOfChanges(old[0]), communityOfAlerts(old[1]), agentOfInbox(old[2]), chunkOfEndpoint(old[3])]).toEqual([c, c, a, h]);
        expect([isLibraryManifest(old[4]), isDiscoveryQuery(old[5]), isLibraryManifest(built[4]), isDiscoveryQuery(built[5])]).toEqual([true, true, true, true]);
        expect(old.map(communityOfChanges)).toEqual([c, undefined, undefined, undefined, undefined, undefined]);
      }),
    );
    expect(changesEndpoint('c1')).toBe('dtn://c1/~changes');
    expect(inboxEndpoint('A'.repeat(43))).toBe(`dtn://${'A'.repeat(43)}/~inbox`);
    expect([DISCOVERY_QUERY_ENDPOINT, LIBRARY_MANIFEST_ENDPOINT, libraryChunkEndpoint('h')]).toEqual(['dtn://discovery/~query', 'dtn://library/~manifest', 'dtn://library/~chunk/h']);
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
        // Claimed only if built from the answer it is that text, in the RFC form or the legacy one.
        const c = communityOfChanges(s);
        if (c !== undefined) expect([changesEndpoint(c), legacy(changesEndpoint(c))]).toContain(s);
        const al = communityOfAlerts(s);
        if (al !== undefined) expect([alertEndpoint(al), legacy(alertEndpoint(al))]).toContain(s);
        const a = agentOfInbox(s);
        if (a !== undefined) expect([inboxEndpoint(a), legacy(inboxEndpoint(a))]).toContain(s);
      }),
    );
    expect(communityOfChanges('dtn://~a/b/changes')).toBeUndefined();
    expect(communityOfChanges('dtn://a/~b/~changes')).toBeUndefined();
    expect(communityOfChanges('dtn://~a/~changes')).toBeUndefined();
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
