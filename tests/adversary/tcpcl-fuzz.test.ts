// Many random and mutated TCPCL session streams against ONE live relay process over loopback; after
// them the relay is alive, its status answers, an honest TCPCL session still hands over a bundle and
// honest phones still sync. The count is SPM_FUZZ_STREAMS: the default is what fits in about a minute
// on a loaded 2-core machine (measured 200-500 streams/s at load average ~20; a full 100,000-stream
// run passed in 220 s). SPM_FUZZ_SEED picks another reproducible run.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createBundle, encodeBundle } from '../../src/core/dtn/index.ts';
import { connectTcpcl } from '../../relay/dtn/tcpcl/index.ts';
import { relaySuite } from '../helpers/relay-suite.ts';
import { alive, honestPhonesSync, status } from './hostile.ts';
import { stream } from './tcpcl-streams.ts';

const suite = relaySuite();
const STREAMS = Number(process.env.SPM_FUZZ_STREAMS ?? 10_000);
const SEED = Number(process.env.SPM_FUZZ_SEED ?? 15);
/** Connections open at once. */
const PARALLEL = 64;
/**
 * A connection the relay has not closed this long after our last byte is dropped by us: a valid prefix
 * (a handshake, then silence) is a session the relay rightly keeps, and the bytes are long processed.
 */
const LINGER_MS = 250;

/** Sends one stream on its own connection, half-closes, and resolves when the relay closes it (or after LINGER_MS). */
function send(port: number, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, LINGER_MS);
    socket.on('error', done);
    socket.on('close', done);
    socket.resume(); // read and drop what the relay answers, so it never waits on us
    socket.once('connect', () => {
      // Two writes at a random cut, so frames also arrive split across reads.
      const cut = bytes.length ? (bytes[0] * 7919) % bytes.length : 0;
      socket.write(bytes.subarray(0, cut));
      socket.end(bytes.subarray(cut));
    });
  });
}

describe('adversary: TCPCL fuzz', () => {
  it(`Scenario: ${STREAMS} random and mutated TCPCL session streams leave the relay alive and serving`, async () => {
    const r = await suite.relay('island');
    const port = (await status(r)).dtn.tcpclPort;
    const started = Date.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < STREAMS) {
        const i = next++;
        await send(port, stream(SEED, i));
        if (r.child.exitCode !== null) throw new Error(`relay exited after stream ${i} (seed ${SEED}):\n${r.logs.slice(-20).join('\n')}`);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const ms = Date.now() - started;
    console.log(JSON.stringify({ fuzz: 'tcpcl-streams', streams: STREAMS, seed: SEED, ms, perSecond: Math.round((STREAMS / ms) * 1000) }));

    await alive(r);
    // An honest neighbour still gets a session and its bundle acknowledged.
    const honest = await connectTcpcl({ nodeId: 'dtn://honest/', host: '127.0.0.1', port, onBundle: async () => undefined });
    const b = createBundle({ source: 'dtn://honest/', destination: 'dtn://~honest/changes', payload: new Uint8Array([1, 2, 3]), lifetimeMs: 3600e3 });
    await honest.sendBundle(encodeBundle(b));
    await expect.poll(async () => (await status(r)).dtn.contacts.map((c) => c.peer), { timeout: 10_000 }).toContain('dtn://honest/');
    await honest.close();
    await honestPhonesSync(suite, r, 'After the storm');
  }, Math.max(180_000, STREAMS * 10));
});
