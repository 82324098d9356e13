// Child-process TCPCL receiver for the kill -9 test. Argv: <deliveries file> [freeze-at-half]
// Prints {"port":N} when listening; each delivered bundle appends "<sha256> <length>".
// With freeze-at-half it prints HALF once half of a transfer arrived and then blocks its
// event loop, so the parent can SIGKILL it at a deterministic point mid-transfer.
import { createHash } from 'node:crypto';
import { appendFileSync, writeSync } from 'node:fs';
import { listenTcpcl, type ProgressInfo } from '../../relay/dtn/tcpcl/index.ts';

const [file, mode] = process.argv.slice(2);
const listener = await listenTcpcl({
  nodeId: 'dtn://child/',
  segmentMru: 64 * 1024,
  onBundle: async (bytes) => {
    appendFileSync(file, `${createHash('sha256').update(bytes).digest('hex')} ${bytes.length}\n`);
  },
  onSession: (session) => {
    session.on('progress', (p: ProgressInfo) => {
      if (mode !== 'freeze-at-half' || p.direction !== 'in' || !p.totalBytes) return;
      if (p.bytes * 2 < p.totalBytes) return;
      writeSync(1, 'HALF\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    });
  },
});
writeSync(1, `${JSON.stringify({ port: listener.port })}\n`);
