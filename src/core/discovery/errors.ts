export type DiscoveryErrorCode = 'bad-shape' | 'bad-signature' | 'too-long' | 'bad-lifetime' | 'expired' | 'too-many-results';

export class DiscoveryError extends Error {
  override name = 'DiscoveryError';
  constructor(
    readonly code: DiscoveryErrorCode,
    message: string,
  ) {
    super(message);
  }
}
