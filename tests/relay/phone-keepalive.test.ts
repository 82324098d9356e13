import { describe, expect, it } from 'vitest';
import { relaySuite } from '../helpers/relay-suite.ts';

// openspec/specs/island-sync — a phone busy taking in a community's docs stays connected
const { relay, member } = relaySuite();

describe('phones that are busy stay connected', () => {
  it('Scenario: a phone whose event loop is busy for 12 s keeps its connection and its sync goes on', async () => {
    const r = await relay('island');
    const p = await member(r, 'Ana');
    const disconnects: unknown[] = [];
    p.repo.networkSubsystem.on('peer-disconnected', (e) => disconnects.push(e));
    // The phone is busy (as with a burst of 10,000 offers) through more than two of the relay's
    // former 5 s keepalive rounds, so it answers no ping meanwhile.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 12_000);
    await p.post([{ kind: 'offer', category: 'food', title: 'Bread after a busy spell', description: '' }]);
    const other = await member(r, 'Ben');
    await expect.poll(() => other.titles(), { timeout: 30_000 }).toContain('Bread after a busy spell');
    expect(disconnects).toEqual([]);
  });
});
