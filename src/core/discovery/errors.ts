import { CodedError } from '../errors/coded-error.ts';

export type DiscoveryErrorCode = 'bad-shape' | 'bad-signature' | 'too-long' | 'bad-lifetime' | 'expired' | 'too-many-results';

export class DiscoveryError extends CodedError<DiscoveryErrorCode> {
  override name = 'DiscoveryError';
}
