/**
 * automerge-repo's own acceptance suite for storage adapters, run against the phone's encrypted
 * adapter: whatever automerge-repo expects of a store (composite keys, ranges, overwrites, removal,
 * large values) must still hold once keys are hashed and values sealed.
 */
import { DummyStorageAdapter } from '@automerge/automerge-repo/helpers/DummyStorageAdapter.js';
import { runStorageAdapterTests } from '@automerge/automerge-repo/helpers/tests/storage-adapter-tests.js';
import { describe } from 'vitest';
import { EncryptedStorageAdapter } from '../../../src/core/vault/index.ts';
import { seeded } from '../vault/helpers.ts';

describe('Scenario: the encrypted storage adapter passes automerge-repo\'s storage adapter acceptance tests', () => {
  runStorageAdapterTests(async () => {
    // automerge-repo's own in-memory store is the inner one: the suite then tests only our wrapping.
    const adapter = await EncryptedStorageAdapter.open(new DummyStorageAdapter(), seeded(7)(32), seeded(8));
    return { adapter };
  }, 'EncryptedStorageAdapter over DummyStorageAdapter');
});
