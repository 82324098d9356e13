import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createBundle, encodeBundle } from '../../src/core/dtn/index.ts';
import { connectTcpcl, type TcpclSession } from '../../relay/dtn/tcpcl/index.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { islandIdle } from '../helpers/islands.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';

// openspec/specs/relay-dtn/spec.md — custody across a peer that vanishes mid-transfer
const started: RelayProcess[] = [];
afterEach(async () => {
  for (const r of started.splice(0)) await r.cleanup();
});

async function relayAt(dataDir?: string): Promise<RelayProcess> {
  const r = await startRelayProcess({ dataDir, args: ['--node-name', 'relay-r', '--keepalive', '2'] });
  started.push(r);
  return r;
}

function sender(port: number): Promise<TcpclSession> {
  return connectTcpcl({ nodeId: 'dtn://sender/', host: '127.0.0.1', port, onBundle: async () => undefined });
}

describe('transfer cut halfway', () => {
  it('Scenario: a transfer cut halfway by killing the receiving relay completes on the next contact with no duplicate and no loss', async () => {
    const first = await relayAt();
    const big = createBundle({ source: 'dtn://sender/', destination: 'dtn://~elsewhere/changes', payload: new Uint8Array(randomBytes(12 * 1024 * 1024)), lifetimeMs: 3600e3, priority: 3 });
    const bytes = encodeBundle(big);
    const s1 = await sender((await dtnStatus(first.url)).tcpclPort);
    let killedAt = 0;
    s1.on('progress', (p) => {
      if (!killedAt && p.direction === 'out' && p.bytes > bytes.length / 4) {
        killedAt = p.bytes;
        first.child.kill('SIGKILL');
      }
    });
    const before = (await dtnStatus(first.url)).store.count;
    await expect(s1.sendBundle(bytes)).rejects.toThrow();
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(bytes.length);
    await first.stop();

    // Same node, same disk, next contact: nothing partial was kept; the sender sends again. (The relay
    // may emit its own change-sets meanwhile, so the base is taken once it is idle.)
    const again = await relayAt(first.dataDir);
    await islandIdle(again.url);
    const base = (await dtnStatus(again.url)).store;
    expect(base.count).toBeGreaterThanOrEqual(before);
    expect(base.bytes).toBeLessThan(bytes.length / 4); // no piece of the cut transfer survived
    const s2 = await sender((await dtnStatus(again.url)).tcpclPort);
    await s2.sendBundle(bytes);
    const after = (await dtnStatus(again.url)).store;
    expect(after.count).toBe(base.count + 1);
    expect(after.bytes).toBeGreaterThanOrEqual(base.bytes + bytes.length);
    // A sender that never saw the acknowledgement may send it once more: it is dropped by bundle id.
    await s2.sendBundle(bytes);
    await s2.close();
    expect((await dtnStatus(again.url)).store.count).toBe(base.count + 1);
  });
});
