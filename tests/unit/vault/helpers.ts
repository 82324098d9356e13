import type { ScryptParams } from '../../../src/core/vault/index.ts';
import { rng } from '../../helpers/prng.ts';

/** Deterministic bytes for tests (never for real keys). */
export function seeded(seed: number): (n: number) => Uint8Array {
  const next = rng(seed);
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
}

/** Cheap parameters so that tests run fast; the real default is PHONE_SCRYPT. */
export const FAST: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
