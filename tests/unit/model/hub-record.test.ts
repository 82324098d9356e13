import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { useSignatureCheck } from '../../../src/core/crypto/sign.ts';
import { createHubRecord, scalarsReadEverywhere } from '../../../src/core/model/hub-record.ts';
import { scalarRecord } from '../../../src/core/model/scalar-strings.ts';
import type { CommunityDoc } from '../../../src/core/model/types.ts';
import { nodeSignatureCheck } from '../../../relay/ed25519.ts';

// openspec/specs/write-rights "Public records are written as scalars once every hub reads them"
beforeAll(() => useSignatureCheck(nodeSignatureCheck()));
afterAll(() => useSignatureCheck(undefined));

const a = createIdentity();
const b = createIdentity();
const record = (hub: typeof a, community = 'c1') => createHubRecord(hub.signSecretKey, hub.agentId, community, 1_700_000_000_000);
const doc = (hubs: CommunityDoc['hubs']): Partial<CommunityDoc> => ({ hubs });

describe('when phones may store public records as scalars', () => {
  it('Scenario: only once every hub the community names, and the phone’s own, signed that it reads them', () => {
    const both = doc({ [a.agentId]: record(a), [b.agentId]: record(b) });
    expect(scalarsReadEverywhere(both, [a.agentId, b.agentId], a.agentId, 'c1')).toBe(true);
    expect(scalarsReadEverywhere(both, [], b.agentId, 'c1')).toBe(true); // a community that names no hub: the phone's own decides
    // A hub of the version before says nothing: text.
    expect(scalarsReadEverywhere(doc({ [a.agentId]: record(a) }), [a.agentId, b.agentId], a.agentId, 'c1')).toBe(false);
    expect(scalarsReadEverywhere(doc({ [a.agentId]: record(a) }), [a.agentId], b.agentId, 'c1')).toBe(false);
    // Its own hub unknown (offline since the app started): text.
    expect(scalarsReadEverywhere(both, [a.agentId], undefined, 'c1')).toBe(false);
  });

  it('Scenario: a hub record someone else signed, for another community, or altered does not count', () => {
    const forged = { ...record(b), author: a.agentId };
    expect(scalarsReadEverywhere(doc({ [a.agentId]: forged }), [a.agentId], a.agentId, 'c1')).toBe(false);
    expect(scalarsReadEverywhere(doc({ [a.agentId]: record(a, 'c2') }), [a.agentId], a.agentId, 'c1')).toBe(false);
    expect(scalarsReadEverywhere(doc({ [a.agentId]: { ...record(a), reads: [] } }), [a.agentId], a.agentId, 'c1')).toBe(false);
    // Filed under another hub's key: not that hub's word.
    expect(scalarsReadEverywhere(doc({ [b.agentId]: record(a) }), [b.agentId], b.agentId, 'c1')).toBe(false);
    // Stored as scalars itself, it still counts (a hub of a later version may write it so).
    expect(scalarsReadEverywhere(doc({ [a.agentId]: scalarRecord(record(a)) }), [a.agentId], a.agentId, 'c1')).toBe(true);
  });
});
