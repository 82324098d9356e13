/**
 * automerge-repo's own acceptance suite for storage adapters, run against the phone's encrypted
 * adapter: whatever automerge-repo expects of a store (composite keys, ranges, overwrites, removal,
 * large values) must still hold once keys are hashed and values sealed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { runStorageAdapterTests } from '@automerge/automerge-repo/helpers/tests/storage-adapter-tests.js';
import { describe } from 'vitest';
import { EncryptedStorageAdapter } from '../../../src/core/vault/index.ts';
import { seeded } from '../vault/helpers.ts';
import { MemoryStorageAdapter } from './memory-storage.ts';

describe("Scenario: the encrypted storage adapter passes automerge-repo's storage adapter acceptance tests", () => {
  runStorageAdapterTests(async () => ({
    adapter: await EncryptedStorageAdapter.open(new MemoryStorageAdapter(), seeded(7)(32), seeded(8)),
  }), 'EncryptedStorageAdapter over memory');

  // On disk too: NodeFS splits and nests key components, and the hashed components must survive that.
  runStorageAdapterTests(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spm-contract-enc-'));
    return {
      adapter: await EncryptedStorageAdapter.open(new NodeFSStorageAdapter(dir), seeded(9)(32), seeded(10)),
      teardown: () => rm(dir, { recursive: true, force: true }),
    };
  }, 'EncryptedStorageAdapter over NodeFSStorageAdapter');
});
