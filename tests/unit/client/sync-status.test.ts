import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../src/client/memory-store.ts';
import { SyncStatus } from '../../../src/client/sync-status.ts';
import { until } from './harness.ts';
import { memoryRelay } from './memory-relay.ts';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();

/** A SyncStatus over in-memory settings, a device whose online state the test flips, and no docs. */
function status(relay = memoryRelay()) {
  const local = memoryStore();
  let onlineChange: (online: boolean) => void = () => undefined;
  const device = { online: () => false, onOnlineChange: (fn: (o: boolean) => void) => void (onlineChange = fn), onActivity: () => undefined };
  const s = new SyncStatus(local.settings, { base: 'http://relay.invalid', fetch: relay.fetch }, device, () => ({ handles: [] }));
  return { s, local, goOnline: (o: boolean) => onlineChange(o) };
}

describe('client: what the status bar says about sync, in Node', () => {
  it('Scenario: every write waits until a relay takes it, and the count of waiting writes survives a restart', async () => {
    const { s, local } = status();
    await s.load();
    expect(s.state.state.pending).toBe(0);
    await s.bump();
    await s.bump();
    expect(s.state.state.pending).toBe(2);
    const again = new SyncStatus(local.settings, { base: '', fetch }, { online: () => true, onOnlineChange: () => undefined, onActivity: () => undefined }, () => ({ handles: [] }));
    await again.load();
    expect(again.state.state.pending).toBe(2);
  });

  it('Scenario: the bar follows the device going offline and online, and the relay link going up and down', async () => {
    const relay = memoryRelay();
    const { s, goOnline } = status(relay);
    expect(s.state.state).toMatchObject({ online: false, relayConnected: false });
    goOnline(true);
    expect(s.state.state.online).toBe(true);
    s.linkUp();
    expect(s.connected()).toBe(true);
    await until(() => relay.requests > 0, 'it asks the relay about bridge contacts while linked');
    s.linkDown();
    expect(s.state.state.relayConnected).toBe(false);
    s.stop();
  });

  it('Scenario: a phone that posted offline says how many writes wait; its own repo holding them is not enough', async () => {
    const { ben } = await suite.founderAndNewcomer();
    const before = ben.phone.sync.state.state.pending;
    await ben.phone.intents.post({ kind: 'offer', category: 'food', title: 'Soup', description: '' });
    await ben.phone.intents.post({ kind: 'need', category: 'tools', title: 'Saw', description: '' });
    ben.phone.sync.check(); // no relay peer: nothing can have been acknowledged
    expect(ben.phone.sync.state.state.pending).toBe(before + 2);
    expect(ben.phone.sync.state.state.relayConnected).toBe(false);
  });
});
