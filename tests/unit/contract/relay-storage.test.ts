/**
 * automerge-repo's own acceptance suite for storage adapters, run against the store the relay gives its
 * Repo (relay/repo.ts: DocStorage, which writes nodefs's layout under <data>/repo and reads with
 * NodeFSStorageAdapter) and against NodeFSStorageAdapter itself, constructed for real in a temp dir.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { runStorageAdapterTests } from '@automerge/automerge-repo/helpers/tests/storage-adapter-tests.js';
import { describe } from 'vitest';
import { DocStorage } from '../../../relay/doc-storage.ts';

describe('Scenario: the relay\'s document store passes automerge-repo\'s storage adapter acceptance tests', () => {
  runStorageAdapterTests(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spm-contract-fs-'));
    return {
      adapter: new NodeFSStorageAdapter(path.join(dir, 'repo')),
      teardown: () => rm(dir, { recursive: true, force: true }),
    };
  }, 'NodeFSStorageAdapter in a temp dir');
});

describe('Scenario: the relay\'s document store passes automerge-repo\'s storage adapter acceptance tests', () => {
  runStorageAdapterTests(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spm-contract-doc-'));
    const quiet = { warn: () => undefined, info: () => undefined };
    return {
      adapter: new DocStorage(path.join(dir, 'repo'), { logger: quiet }),
      teardown: () => rm(dir, { recursive: true, force: true }),
    };
  }, 'DocStorage (the relay\'s) in a temp dir');
});
