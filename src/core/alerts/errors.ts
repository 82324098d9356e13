import { CodedError } from '../errors/coded-error.ts';

export type AlertInputCode = 'bad-kind' | 'bad-urgency' | 'bad-area' | 'bad-text' | 'text-too-long' | 'bad-expiry' | 'bad-act';

/** The local member asked to create something invalid (peer records are ignored with reasons instead). */
export class AlertInputError extends CodedError<AlertInputCode> {
  override name = 'AlertInputError';
}
