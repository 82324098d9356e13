import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { buildRelay, RELAY_BUNDLE } from '../../scripts/build-relay.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RelayProcess {
  url: string;
  port: number;
  /** The plain-HTTP certificate install address, when started with --install-port. */
  installUrl?: string;
  dataDir: string;
  child: ChildProcess;
  /** stderr log lines (JSON), for assertions about what the relay logged. */
  logs: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  cleanup(): Promise<void>;
}

export interface RelayOptions {
  dataDir?: string;
  port?: number;
  args?: string[];
  env?: Record<string, string>;
  /** Run inside this network namespace (ip netns exec). */
  netns?: string;
  /** Address tests use to reach it (default 127.0.0.1). */
  host?: string;
}

/** How long a relay may take to listen: 0.7 s on a quiet machine, a few seconds at load 16 on 2 cores. */
const RELAY_START_MS = 90_000;

let built: Promise<string> | undefined;

/** The bundled relay (plain Node, as `npm start` runs it); built here only if no global setup did. */
function relayBundle(): Promise<string> {
  built ??= existsSync(RELAY_BUNDLE) ? Promise.resolve(RELAY_BUNDLE) : buildRelay();
  return built;
}

/** A real relay process on loopback; resolves when it prints its listening line. */
export async function startRelayProcess(opts: RelayOptions = {}): Promise<RelayProcess> {
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'spm-relay-')));
  const extra = opts.args ?? [];
  // Every test relay gets its own free TCPCL port unless the test chooses one.
  const tcpcl = extra.includes('--tcpcl-port') ? [] : ['--tcpcl-port', '0'];
  // Most tests have phones join without an invite (as on an open island); tests of invite-only sync say so.
  const policy = extra.includes('--join-policy') ? [] : ['--join-policy', 'open'];
  const listenHost = opts.netns ? '0.0.0.0' : '127.0.0.1';
  const args = [await relayBundle(), '--host', listenHost, '--port', String(opts.port ?? 0), '--data-dir', dataDir, ...tcpcl, ...policy, ...extra];
  const [cmd, argv] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'debug', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (l) => logs.push(l));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Bounded: a relay that neither listens nor exits would otherwise hold its test until the runner's
  // limit, which reports only that time ran out (how stop 39 failed, cause unknown).
  let notListening: NodeJS.Timeout | undefined;
  const listening = await new Promise<{ listening: string; port: number; install?: string }>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`relay exited with ${code} before listening:\n${logs.join('\n')}`)));
    notListening = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`relay did not listen within ${RELAY_START_MS / 1000} s (killed); its log:\n${logs.join('\n')}`));
    }, RELAY_START_MS);
  }).finally(() => clearTimeout(notListening));
  // A relay must never exit because of input: one that ends by itself while its test still runs says so,
  // with the end of its log (a test that then fails only sees "connection refused"). Tests that kill a
  // relay on purpose do it with a signal, which is not reported.
  let stopping = false;
  void exited.then((code) => {
    if (!stopping && code !== null) process.stderr.write(`relay ${listening.listening} (pid ${child.pid}) exited by itself with code ${code}; its last log lines:\n${logs.slice(-40).join('\n')}\n`);
  });
  return {
    url: listening.listening.replace(/\/\/[^:/]+:/, `//${opts.host ?? '127.0.0.1'}:`),
    port: listening.port,
    ...(listening.install ? { installUrl: listening.install } : {}),
    dataDir,
    child,
    logs,
    async stop(signal = 'SIGTERM') {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    async cleanup() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
