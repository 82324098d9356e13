/**
 * Agent settings read with a default and a type check: community settings are shared data, never
 * trusted, so a wrong type or an out-of-range value falls back to the documented default.
 */
import type { AgentInput } from '../types.ts';

/** A real number inside [min, max], else the fallback. */
export function realSetting(input: AgentInput, key: string, fallback: number, min: number, max: number): number {
  const v = input.settings?.[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : fallback;
}

/** A whole number inside [min, max], else the fallback. */
export function intSetting(input: AgentInput, key: string, fallback: number, min: number, max: number): number {
  const v = input.settings?.[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fallback;
}

/** One of `allowed`, else the fallback. */
export function choiceSetting<T extends string>(input: AgentInput, key: string, allowed: readonly T[], fallback: T): T {
  const v = input.settings?.[key];
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

/** A list of short strings (≤ 64 entries of ≤ 64 characters), else the fallback. */
export function stringListSetting(input: AgentInput, key: string, fallback: readonly string[]): readonly string[] {
  const v = input.settings?.[key];
  if (!Array.isArray(v) || v.length > 64) return fallback;
  return v.every((s) => typeof s === 'string' && s.length <= 64) ? (v as string[]) : fallback;
}

/**
 * Weights of a weighted-sum score from the object `settings.weights`, all or nothing: every named part
 * a finite number ≥ 0 and the sum > 0, else the defaults as a whole. Normalised to sum to 1.
 */
export function weightsFromObject<K extends string>(input: AgentInput, defaults: Record<K, number>): Record<K, number> {
  const raw = input.settings?.weights;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return defaults;
  const keys = Object.keys(defaults) as K[];
  const out = {} as Record<K, number>;
  let sum = 0;
  for (const k of keys) {
    const v = (raw as Record<string, unknown>)[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return defaults;
    out[k] = v;
    sum += v;
  }
  if (!(sum > 0) || !Number.isFinite(sum)) return defaults;
  for (const k of keys) out[k] = out[k] / sum;
  return out;
}

/**
 * Weights of a weighted-sum score from one setting per part (`weight.<part>` by default), part by
 * part: a missing or bad part falls back to its default; all parts zero falls back to the defaults.
 * Normalised to sum to 1.
 */
export function weightsFromKeys<K extends string>(input: AgentInput, defaults: Readonly<Record<K, number>>, prefix = 'weight.'): Record<K, number> {
  const keys = Object.keys(defaults) as K[];
  const raw = {} as Record<K, number>;
  for (const k of keys) raw[k] = realSetting(input, prefix + k, defaults[k], 0, 1e6);
  const sum = keys.reduce((s, k) => s + raw[k], 0);
  const base = sum > 0 ? raw : defaults;
  const total = keys.reduce((s, k) => s + base[k], 0);
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = base[k] / total;
  return out;
}
