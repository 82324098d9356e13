import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import {
  connectTcpcl,
  listenTcpcl,
  TcpclSessionEndedError,
  type ProgressInfo,
  type TcpclSession,
} from '../../relay/dtn/tcpcl/index.ts';
import { deferred, digests, pseudoRandomBytes } from './tcpcl-helpers.ts';
import { cleanupAfterEach } from '../helpers/cleanups.ts';

const cleanups = cleanupAfterEach();

const CHILD = join(import.meta.dirname, 'tcpcl-child-peer.ts');
const BIG = 8 * 1024 * 1024;

function connect(port: number): Promise<TcpclSession> {
  return connectTcpcl({ nodeId: 'dtn://relay-a/', host: '127.0.0.1', port, onBundle: async () => undefined });
}

interface Child {
  proc: ChildProcess;
  port: number;
  /** Resolves when the child printed the given line. */
  saw(line: string): Promise<void>;
}

async function spawnChild(deliveries: string, mode = ''): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, deliveries, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => void proc.kill('SIGKILL'));
  const lines = createInterface({ input: proc.stdout! });
  const waiting = new Map<string, () => void>();
  const port = deferred<number>();
  lines.on('line', (line) => {
    if (line.startsWith('{')) port.resolve((JSON.parse(line) as { port: number }).port);
    waiting.get(line)?.();
  });
  proc.once('exit', (code) => port.reject(new Error(`child exited early (${code})`)));
  return {
    proc,
    port: await port.promise,
    saw: (line) => new Promise<void>((resolve) => waiting.set(line, resolve)),
  };
}

describe('TCPCLv4 sessions: peer failure mid-transfer', () => {
  it('Scenario: the receiver drops the connection halfway; the sender rejects, resends on a new session, delivered exactly once', async () => {
    const delivered: Uint8Array[] = [];
    let dropFirst = true;
    const listener = await listenTcpcl({
      nodeId: 'dtn://relay-b/',
      segmentMru: 64 * 1024,
      onBundle: async (b) => void delivered.push(b),
      onSession: (s) =>
        s.on('progress', (p: ProgressInfo) => {
          if (dropFirst && p.direction === 'in' && p.totalBytes && p.bytes * 2 >= p.totalBytes) {
            dropFirst = false;
            s.destroy();
          }
        }),
    });
    cleanups.push(() => listener.close());
    const bundle = pseudoRandomBytes(BIG, 42);

    const first = await connect(listener.port);
    const err = await first.sendBundle(bundle).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TcpclSessionEndedError);
    expect(first.isDown).toBe(true);
    expect(delivered).toEqual([]);

    const second = await connect(listener.port);
    cleanups.push(() => second.close());
    await second.sendBundle(bundle);
    expect(digests(delivered)).toEqual(digests([bundle]));
  });

  it('Scenario: the receiving process is killed with SIGKILL mid-transfer; the sender rejects and a resend to a fresh process is delivered once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tcpcl-kill-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const deliveries = join(dir, 'deliveries.txt');
    const bundle = pseudoRandomBytes(BIG, 43);

    const doomed = await spawnChild(deliveries, 'freeze-at-half');
    const session = await connect(doomed.port);
    const half = doomed.saw('HALF');
    const sending = session.sendBundle(bundle).catch((e: unknown) => e);
    await half;
    doomed.proc.kill('SIGKILL');
    expect(await sending).toBeInstanceOf(TcpclSessionEndedError);
    await expect(readFile(deliveries, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });

    const fresh = await spawnChild(deliveries);
    const again = await connect(fresh.port);
    cleanups.push(() => again.close());
    await again.sendBundle(bundle);
    const lines = (await readFile(deliveries, 'utf8')).trim().split('\n');
    expect(lines).toEqual(digests([bundle]).map((d) => d.replace(':', ' ')));
  });

  it('Scenario: the sending process dies mid-transfer; the receiver never delivers the partial bundle', async () => {
    const delivered: Uint8Array[] = [];
    const serverDown = deferred();
    const halfway = deferred();
    const listener = await listenTcpcl({
      nodeId: 'dtn://relay-b/',
      onBundle: async (b) => void delivered.push(b),
      onSession: (s) => {
        s.on('progress', (p: ProgressInfo) => p.totalBytes && p.bytes * 2 >= p.totalBytes && halfway.resolve());
        s.once('down', () => serverDown.resolve());
      },
    });
    cleanups.push(() => listener.close());
    const sender = await connect(listener.port);
    const sending = sender.sendBundle(pseudoRandomBytes(BIG, 44)).catch((e: unknown) => e);
    await halfway.promise;
    sender.destroy();
    await serverDown.promise;
    expect(await sending).toBeInstanceOf(TcpclSessionEndedError);
    expect(delivered).toEqual([]);
  });
});
