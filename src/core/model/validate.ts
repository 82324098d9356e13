/** Small, total validators: each returns an error key (translatable) or null. */
export type Problem = string | null;

export const LIMITS = { title: 120, note: 2000, unit: 24, name: 60, quantity: 1e9 } as const;

export function text(v: unknown, max: number, required = true): Problem {
  if (typeof v !== 'string') return 'error.notText';
  if (required && v.trim() === '') return 'error.required';
  if (v.length > max) return 'error.tooLong';
  return null;
}

export function optionalTime(v: unknown): Problem {
  if (v === undefined) return null;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? null : 'error.badTime';
}

export function time(v: unknown): Problem {
  return v === undefined ? 'error.badTime' : optionalTime(v);
}

export function firstProblem(...problems: Problem[]): Problem {
  return problems.find((p) => p !== null) ?? null;
}
