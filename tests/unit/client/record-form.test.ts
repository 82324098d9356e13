import { isImmutableString } from '@automerge/automerge/slim';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { createHubRecord } from '../../../src/core/model/hub-record.ts';
import type { CommunityDoc } from '../../../src/core/model/types.ts';
import { RecordForm } from '../../../src/client/record-form.ts';

// openspec/specs/write-rights "Public records are written as scalars once every hub reads them": the phone's side.
afterEach(() => vi.useRealTimers());

const hubA = createIdentity();
const hubB = createIdentity();
const community = { id: 'c1', hubs: { [hubA.agentId]: createHubRecord(hubA.signSecretKey, hubA.agentId, 'c1', 1) } } as unknown as CommunityDoc;
const offer = { type: 'intent', name: 'Leeks', sig: 'x'.repeat(86) };
const asScalars = (r: typeof offer) => isImmutableString(r.name) && isImmutableString(r.sig);

function form(hubKey: () => Promise<string | undefined>) {
  return new RecordForm({ community: () => community, signed: () => ({ id: 'c1', settings: { relays: [hubA.agentId] } }), hubKey });
}

describe('how a phone stores the public records it writes', () => {
  it('Scenario: text until the phone knows its hub, scalars once it does and every hub read them, text again at a hub that has not said so', async () => {
    let hub = hubA.agentId;
    vi.useFakeTimers({ toFake: ['Date'] });
    const f = form(async () => hub);
    expect(asScalars(f.stored(offer))).toBe(false); // its hub not known yet: text, and the write does not wait
    await f.learnHub();
    expect(asScalars(f.stored(offer))).toBe(true);
    expect(offer.name).toBe('Leeks'); // the record handed in is left as it was
    // Carried to another island, the same address answers with a hub of the version before.
    hub = hubB.agentId;
    expect(asScalars(f.stored(offer))).toBe(true); // the answer is trusted for a while
    vi.setSystemTime(Date.now() + 11 * 60_000);
    f.stored(offer);
    await f.learnHub();
    expect(asScalars(f.stored(offer))).toBe(false);
  });

  it('Scenario: a hub that cannot be reached leaves the phone writing text, and the write never fails', async () => {
    const f = form(() => Promise.reject(new Error('offline')));
    await f.learnHub();
    expect(asScalars(f.stored(offer))).toBe(false);
    const g = form(() => {
      throw new Error('no relay configured');
    });
    await g.learnHub();
    expect(asScalars(g.stored(offer))).toBe(false);
  });
});
