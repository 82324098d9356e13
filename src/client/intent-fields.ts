import { inputProblem, type IntentInput } from '../core/model/intent.ts';
import { LIMITS, text } from '../core/model/validate.ts';

/** The post form's fields that can be wrong, in the order they appear on screen. */
export const FORM_FIELDS = ['title', 'description', 'category', 'quantity', 'unit', 'until'] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** What the form holds before it is an IntentInput: the quantity as typed. */
export interface FormValues {
  input: IntentInput;
  /** The quantity box as typed ('' when empty). */
  quantityText: string;
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
  if (input.availableFrom !== undefined && input.availableUntil !== undefined && input.availableUntil < input.availableFrom) out.until = 'error.endBeforeStart';
  return out;
}

/** The first problem no field owns (the record's own check), once every field is fine. */
export function formProblem(v: FormValues): string | null {
  return Object.keys(fieldProblems(v)).length ? null : inputProblem(v.input);
}
