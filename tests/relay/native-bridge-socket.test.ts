// The bridge service runs as a real child process (node --import tsx native-bridge/main.ts) but
// with a STAND-IN batctl (fake-batctl.sh) replaying recordings: this machine has no batman-adv
// kernel module.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BridgeSocketSource } from '../../relay/contacts/bridge-socket.ts';
import type { ContactEvent } from '../../src/core/protocol/contact-event.ts';
import { FAKE_BATCTL } from '../unit/native-bridge/fixtures.ts';
import { endChild } from '../helpers/child.ts';

const B = 'mac:02:5a:00:00:00:0b';
let dir: string;
let sockPath: string;
let source: BridgeSocketSource;
let child: ChildProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nb-sock-'));
  sockPath = path.join(dir, 'bridge.sock');
  source = new BridgeSocketSource(sockPath);
  await source.start();
});
afterEach(async () => {
  if (child) await endChild(child);
  child = undefined;
  await source.stop();
  await rm(dir, { recursive: true, force: true });
});

function startBridge(): ChildProcess {
  const scenarioFile = path.join(dir, 'scenario');
  return spawn(
    process.execPath,
    ['--import', 'tsx', 'native-bridge/main.ts', '--relay-socket', sockPath, '--batctl', FAKE_BATCTL, '--poll-ms', '30', '--down-after-ms', '150', '--beacon-port', '0'],
    { cwd: path.resolve(import.meta.dirname, '../..'), env: { ...process.env, FAKE_BATCTL_SCENARIO_FILE: scenarioFile, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

function nextContact(kind: 'up' | 'down'): Promise<ContactEvent> {
  return new Promise((resolve) => {
    const fn = (e: ContactEvent) => {
      if (e.kind === kind) resolve(e);
    };
    source.on('contact', fn);
  });
}

/** Starts the bridge with one batman-adv neighbour in view; resolves once the relay got its contact-up. */
async function bridgeWithOneNodeUp(): Promise<{ bridge: ChildProcess; up: ContactEvent }> {
  await writeFile(path.join(dir, 'scenario'), 'one-node');
  const up = nextContact('up');
  const bridge = (child = startBridge());
  return { bridge, up: await up };
}

describe('bridge service → relay over a Unix socket (JSON lines)', () => {
  it('Scenario: contact events reach the relay as JSON lines', async () => {
    expect((await bridgeWithOneNodeUp()).up).toMatchObject({ kind: 'up', peer: B, source: 'batman', linkQuality: 238 });
    const down = nextContact('down');
    await writeFile(path.join(dir, 'scenario'), 'empty');
    expect(await down).toMatchObject({ kind: 'down', peer: B, source: 'batman' });
  });

  it('Scenario: relay reconnecting receives the current contacts', async () => {
    await bridgeWithOneNodeUp();
    // Relay restarts: the bridge's connection drops (its contacts are declared down) and the
    // bridge reconnects and replays what is up.
    const down = nextContact('down');
    await source.stop();
    source = new BridgeSocketSource(sockPath);
    const again = nextContact('up');
    await source.start();
    expect(await down).toMatchObject({ kind: 'down', peer: B });
    expect(await again).toMatchObject({ kind: 'up', peer: B });
  });

  it('Scenario: a bridge that dies takes its contacts down with it', async () => {
    const { bridge } = await bridgeWithOneNodeUp();
    const down = nextContact('down');
    await endChild(bridge, 'SIGKILL');
    expect(await down).toMatchObject({ kind: 'down', peer: B });
  });

  it('Scenario: malformed lines from the socket are dropped', async () => {
    const rejected: string[] = [];
    source.on('rejected', (e) => rejected.push(e.message));
    const good = nextContact('up');
    const c = connect(sockPath);
    await once(c, 'connect');
    c.write('not json\n{"kind":"up","peer":"evil","source":"batman","at":1}\n[1]\n');
    c.write(JSON.stringify({ kind: 'up', peer: 'dtn://relay-b/', source: 'batman', at: 1, address: { host: '10.0.0.2', port: 4556 } }) + '\n');
    expect(await good).toMatchObject({ peer: 'dtn://relay-b/', address: { host: '10.0.0.2', port: 4556 } });
    expect(rejected).toEqual(['not JSON', 'bad peer', 'not an object']);
    const closed = once(c, 'close');
    c.write('x'.repeat(5000));
    await closed; // an endless line is cut off, not buffered
    expect(rejected).toContain('line too long');
  });
});
