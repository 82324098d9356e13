// A relay process with hand-written raw TCPCLv4 neighbours (standard-neighbour.ts) on loopback, and what
// the routing tests ask of it: shared by dtn-routing.test.ts and dtn-routing-operator.test.ts (split so
// the two halves run side by side: one file was the relay project's longest, 208 s in CI).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { communityOfChanges } from '../../src/core/protocol/endpoints.ts';
import { dtnStatus } from './dtn-status.ts';
import { operatorJson } from './operator-cli.ts';
import type { RelayProcess } from './relay-process.ts';
import { relaySuite } from './relay-suite.ts';
import { StandardNeighbour } from './standard-neighbour.ts';

/** A row of `query bundles`. */
export interface BundleRow {
  id: string;
  destination: string;
}

/** Call at the top level of a test file: relays, neighbours and temp files are cleaned up after each test. */
export function standardNeighbourSuite() {
  const suite = relaySuite();
  const neighbours: StandardNeighbour[] = [];
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const n of neighbours.splice(0)) n.close();
    for (const c of closers.splice(0)) await c();
  });

  /** The change-set bundles the relay holds (as `query bundles` lists them), once it has made at least one. */
  async function changeSets(r: RelayProcess): Promise<string[]> {
    let rows: BundleRow[] = [];
    await expect
      .poll(async () => {
        rows = (await operatorJson<{ bundles: BundleRow[] }>(r, ['query', 'bundles'])).bundles.filter((b) => communityOfChanges(b.destination) !== undefined);
        return rows.length;
      }, { timeout: 30_000 })
      .toBeGreaterThan(0);
    return rows.map((b) => b.id).sort();
  }

  async function dial(r: RelayProcess, nodeId: string): Promise<StandardNeighbour> {
    const n = await StandardNeighbour.dial((await dtnStatus(r.url)).tcpclPort, nodeId);
    neighbours.push(n);
    return n;
  }

  /** The relay says it has handed `peer` everything its routing offers it (acknowledged). */
  async function drained(r: RelayProcess, peer: string): Promise<void> {
    await expect.poll(async () => (await dtnStatus(r.url)).contacts.find((c) => c.peer === peer)?.pending, { timeout: 30_000 }).toBe(0);
  }

  async function schemeOf(r: RelayProcess, peer: string): Promise<string | undefined> {
    return (await dtnStatus(r.url)).routing.peers.find((p) => p.peer === peer)?.scheme;
  }

  async function tempFile(bytes: Uint8Array): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spm-send-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'file.bin');
    await writeFile(file, bytes);
    return file;
  }

  return { suite, neighbours, closers, changeSets, dial, drained, schemeOf, tempFile };
}
