import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isValidEid } from '../../src/core/dtn/index.ts';
import { defaultDataDir } from '../config.ts';
import { adminJson, adminRequest, AdminError } from './admin-client.ts';
import { adminSocketPath } from './admin-socket.ts';
import { MAX_RECV_WAIT_MS, MAX_SEND_BYTES } from './admin-service.ts';
import { addCaCommands } from '../ca/ca-cli.ts';
import { addFirstOrganiserCommand } from './first-organiser-cli.ts';
import { CaError } from '../ca/community-ca.ts';

/**
 * The operator commands, like dtn7's dtnsend / dtnrecv / dtnquery, run as `solarpunk-relay <command>`;
 * `ca` (the community certificate authority) and `first-organiser` work on the data directory's files, relay running or not.
 */
export const ADMIN_COMMANDS = new Set(['send', 'recv', 'query', 'ca', 'first-organiser']);

interface BundleRow {
  id: string;
  source: string;
  destination: string;
  size: number;
  priority: number;
  expiresAt: number;
  /** brought by a hop that proved nothing about itself: kept as bulk, evicted first */
  anonymous?: boolean;
}

interface PeersAnswer {
  node: string;
  routing: { peers: Array<{ peer: string; scheme: string; why: string }> };
  contacts: Array<{ peer: string; routing: string; bundlesIn: number; bundlesOut: number; pending: number | null; tls: boolean }>;
  peersSeen: string[];
}

function eid(v: string): string {
  if (!isValidEid(v) || v === 'dtn:none') throw new InvalidArgumentError('expected an endpoint ID such as dtn://node/service or ipn:977.1');
  return v;
}

function int(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

/** Output goes through `out` (stdout) and `err` (stderr) so tests and the process share one path. */
export interface CliIo {
  out: (s: string | Uint8Array) => void;
  err: (s: string) => void;
}

const processIo: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** A readable file name for a bundle id (`dtn://a/ 123 0` → `dtn_a_123_0`). */
function fileNameOf(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 200) || 'bundle';
}

function buildCli(io: CliIo, done: (p: Promise<void>) => void): Command {
  const socketOf = (o: { dataDir: string }) => adminSocketPath(path.resolve(o.dataDir));
  const program = new Command('solarpunk-relay')
    .description('Operator commands, reached through the relay’s data directory')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();
  program
    .command('send')
    .description('hand a file to the running relay as one bundle to an endpoint ("-" reads stdin)')
    .requiredOption('--to <eid>', 'destination endpoint ID (dtn://node/service or ipn:node.service)', eid)
    .argument('<file>', 'the file to send')
    .option('--priority <n>', '0 emergency, 1 perishable, 2 normal, 3 low', int(0, 3), 2)
    .option('--lifetime-ms <n>', 'how long the bundle lives (default by priority)', int(1000, 365 * 24 * 3600e3))
    .option('--data-dir <dir>', 'the relay’s data directory', defaultDataDir())
    .option('--json', 'print the answer as JSON')
    .action((file: string, o: { to: string; priority: number; lifetimeMs?: number; dataDir: string; json?: boolean }) =>
      done(
        (async () => {
          const bytes = file === '-' ? await readStdin() : await readFile(file).catch((e: NodeJS.ErrnoException) => Promise.reject(new AdminError(`cannot read ${file}: ${e.code ?? e.message}`)));
          if (bytes.length > MAX_SEND_BYTES) throw new AdminError(`${file} is larger than ${MAX_SEND_BYTES} bytes, the most one bundle carries here`);
          const q = new URLSearchParams({ to: o.to, priority: String(o.priority), ...(o.lifetimeMs ? { 'lifetime-ms': String(o.lifetimeMs) } : {}) });
          const a = await adminJson<{ id: string; to: string; bytes: number }>(socketOf(o), 'POST', `/send?${q}`, bytes);
          io.out(o.json ? `${JSON.stringify(a)}\n` : `sent ${a.bytes} bytes to ${a.to} as bundle ${a.id}\n`);
        })(),
      ),
    );
  program
    .command('recv')
    .description('print (or save with --out) the payloads of the stored bundles for an endpoint')
    .requiredOption('--endpoint <eid>', 'the endpoint ID whose bundles to show', eid)
    .option('--out <dir>', 'save each payload as a file in this directory instead of printing it')
    .option('--wait <ms>', `when none are stored yet, wait up to this long for one to arrive (at most ${MAX_RECV_WAIT_MS})`, int(0, MAX_RECV_WAIT_MS), 0)
    .option('--data-dir <dir>', 'the relay’s data directory', defaultDataDir())
    .option('--json', 'with --out: list the saved files as JSON')
    .action((o: { endpoint: string; out?: string; wait: number; dataDir: string; json?: boolean }) =>
      done(
        (async () => {
          const socket = socketOf(o);
          const { bundles } = await adminJson<{ bundles: BundleRow[] }>(socket, 'GET', `/bundles?${new URLSearchParams({ endpoint: o.endpoint, ...(o.wait ? { wait: String(o.wait) } : {}) })}`);
          if (bundles.length === 0) io.err(`no bundles for ${o.endpoint}\n`);
          const saved: Array<{ id: string; file: string; bytes: number }> = [];
          if (o.out) await mkdir(o.out, { recursive: true });
          for (const b of bundles) {
            const r = await adminRequest(socket, 'GET', `/payload?${new URLSearchParams({ id: b.id })}`);
            if (r.status !== 200) {
              io.err(`bundle ${b.id}: not readable (${r.status})\n`);
              continue;
            }
            if (!o.out) {
              io.out(r.body);
              continue;
            }
            const file = path.join(o.out, fileNameOf(b.id));
            await writeFile(file, r.body);
            saved.push({ id: b.id, file, bytes: r.body.length });
          }
          if (o.out) io.out(o.json ? `${JSON.stringify(saved)}\n` : saved.map((s) => `${s.file}\t${s.bytes} bytes\t${s.id}\n`).join(''));
        })(),
      ),
    );
  program
    .command('query')
    .description('list the peers (with the routing used for each) or the stored bundles')
    .argument('<what>', 'peers or bundles')
    .option('--endpoint <eid>', 'bundles: only those for this endpoint', eid)
    .option('--data-dir <dir>', 'the relay’s data directory', defaultDataDir())
    .option('--json', 'print the answer as JSON')
    .action((what: string, o: { endpoint?: string; dataDir: string; json?: boolean }) =>
      done(
        (async () => {
          const socket = socketOf(o);
          if (what === 'peers') {
            const a = await adminJson<PeersAnswer>(socket, 'GET', '/peers');
            if (o.json) return io.out(`${JSON.stringify(a)}\n`);
            io.out(`node ${a.node}\n`);
            if (a.contacts.length === 0) io.out('no peers in contact\n');
            for (const c of a.contacts) {
              const why = a.routing.peers.find((p) => p.peer === c.peer)?.why ?? '';
              io.out(`${c.peer || '(empty node ID)'}\t${c.routing} (${why})\tin ${c.bundlesIn}\tout ${c.bundlesOut}\tpending ${c.pending ?? '?'}${c.tls ? '\ttls' : ''}\n`);
            }
            io.out(`seen: ${a.peersSeen.map((p) => p || '(empty node ID)').join(', ') || 'none'}\n`);
            return;
          }
          if (what === 'bundles') {
            const q = o.endpoint ? `?${new URLSearchParams({ endpoint: o.endpoint })}` : '';
            const a = await adminJson<{ bundles: BundleRow[] }>(socket, 'GET', `/bundles${q}`);
            if (o.json) return io.out(`${JSON.stringify(a)}\n`);
            for (const b of a.bundles) io.out(`${b.id}\t→ ${b.destination}\t${b.size} bytes\tpriority ${b.priority}\texpires ${new Date(b.expiresAt).toISOString()}${b.anonymous ? '\tanonymous' : ''}\n`);
            io.out(`${a.bundles.length} bundle${a.bundles.length === 1 ? '' : 's'}\n`);
            return;
          }
          throw new AdminError(`query what? "peers" or "bundles" (got ${what.slice(0, 20)})`);
        })(),
      ),
    );
  addCaCommands(program, io, done);
  addFirstOrganiserCommand(program, io, done);
  return program;
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_SEND_BYTES) throw new AdminError(`stdin holds more than ${MAX_SEND_BYTES} bytes, the most one bundle carries here`);
    chunks.push(c);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Runs one operator command; resolves with the exit code (0 done, 1 refused or failed, 2 usage). */
export async function runAdminCommand(argv: string[], io: CliIo = processIo): Promise<number> {
  let running: Promise<void> | undefined;
  try {
    // `done` returns nothing: a promise handed back to commander would be dropped by its parse() and a
    // failing command would end the process as an unhandled rejection before its message is printed.
    buildCli(io, (p) => {
      running = p;
    }).parse(argv, { from: 'user' });
    await running;
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    io.err(`${err instanceof AdminError || err instanceof CaError ? err.message : String(err)}\n`);
    return 1;
  }
}
