import { inputProblem, type IntentInput } from '../core/model/intent.ts';
import { LIMITS, text } from '../core/model/validate.ts';
import { dayProblem } from '../core/calendar/day-parts.ts';

/** The post form's fields that can be wrong, in the order they appear on screen. */
export const FORM_FIELDS = ['title', 'description', 'category', 'quantity', 'unit', 'from', 'until', 'expires'] as const;
export type FormField = (typeof FORM_FIELDS)[number];
/** The form's date fields, as their `yyyy-mm-dd` values (core/calendar/day-parts.ts). */
export type DayField = 'from' | 'until' | 'expires';

/** What the form holds before it is an IntentInput: the quantity as typed. */
export interface FormValues {
  input: IntentInput;
  /** The quantity box as typed ('' when empty). */
  quantityText: string;
  /** The date fields as chosen: a half-chosen or impossible day is the field's problem, never "no date". */
  days?: Partial<Record<DayField, string>>;
}

/**
 * Every problem of the post form, by field, so each error can sit next to its field with its name and
 * focus can go to the first one. The record's own check (inputProblem) still runs on submit: anything it
 * finds that no field owns is reported under the form as a whole.
 */
export function fieldProblems(v: FormValues): Partial<Record<FormField, string>> {
  const out: Partial<Record<FormField, string>> = {};
  const { input } = v;
  const title = text(input.title, LIMITS.title);
  if (title) out.title = title;
  const description = text(input.description, LIMITS.note, false);
  if (description) out.description = description;
  if (!input.category) out.category = 'form.chooseCategory';
  if (v.quantityText.trim() !== '') {
    const n = Number(v.quantityText);
    if (!Number.isFinite(n) || n <= 0 || n > LIMITS.quantity) out.quantity = 'error.badQuantity';
    else {
      const unit = text(input.quantity?.hasUnit ?? '', LIMITS.unit);
      if (unit) out.unit = unit;
    }
  }
  for (const f of ['from', 'until', 'expires'] as const) {
    const problem = dayProblem(v.days?.[f] ?? '');
    if (problem) out[f] = problem;
  }
  if (!out.until && input.availableFrom !== undefined && input.availableUntil !== undefined && input.availableUntil < input.availableFrom) out.until = 'error.endBeforeStart';
  return out;
}

/** The first problem no field owns (the record's own check), once every field is fine. */
export function formProblem(v: FormValues): string | null {
  return Object.keys(fieldProblems(v)).length ? null : inputProblem(v.input);
}
