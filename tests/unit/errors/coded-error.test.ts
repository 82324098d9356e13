import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../src/core/errors/coded-error.ts';
import { AlertInputError } from '../../../src/core/alerts/errors.ts';
import { AudienceInputError, AudienceKeyError } from '../../../src/core/audience/errors.ts';
import { DiscoveryHttpError } from '../../../src/core/discovery/client.ts';
import { DiscoveryError } from '../../../src/core/discovery/errors.ts';
import { LibraryHttpError } from '../../../src/core/library/client.ts';
import { LibraryError } from '../../../src/core/library/errors.ts';
import { EnvelopeCodecError } from '../../../src/core/messaging/codec.ts';
import { MessagingError } from '../../../src/core/messaging/types.ts';
import { SanctuaryInputError, SanctuaryKeyError } from '../../../src/core/sanctuary/errors.ts';
import { QrPayloadError } from '../../../src/core/trust/qr-payload.ts';
import { BackupError } from '../../../src/core/vault/backup.ts';
import { VaultError } from '../../../src/core/vault/errors.ts';

// Callers (the app's messages, the relay's HTTP answers) read `code`, `name` and `message` of these
// errors; all of them now share one base class, so check that each still carries all three.
const made: Array<[string, Error & { code: string }]> = [
  ['AlertInputError', new AlertInputError('bad-area', 'm')],
  ['AudienceKeyError', new AudienceKeyError('bad-key', 'm')],
  ['AudienceInputError', new AudienceInputError('no-key', 'm')],
  ['DiscoveryError', new DiscoveryError('expired', 'm')],
  ['LibraryError', new LibraryError('bad-shape', 'm')],
  ['EnvelopeCodecError', new EnvelopeCodecError('not-cbor', 'm')],
  ['MessagingError', new MessagingError('full', 'm')],
  ['SanctuaryInputError', new SanctuaryInputError('bad-entry', 'm')],
  ['AudienceKeyError', new SanctuaryKeyError('malformed', 'm')],
  ['QrPayloadError', new QrPayloadError('oversized', 'm')],
  ['BackupError', new BackupError('malformed', 'm')],
  ['VaultError', new VaultError('too-large', 'm')],
  ['DiscoveryHttpError', new DiscoveryHttpError(429, 'rate-limited', 'm')],
  ['LibraryHttpError', new LibraryHttpError(404, 'not-found', 'm')],
];

describe('module errors', () => {
  it('every module error keeps its own name, its code and its message', () => {
    for (const [name, err] of made) {
      expect(err).toBeInstanceOf(Error);
      expect(err).toBeInstanceOf(CodedError);
      expect(err.name).toBe(name);
      expect(err.message).toBe('m');
      expect(err.code).toMatch(/^[a-z-]+$/);
      expect(String(err)).toBe(`${name}: m`);
    }
    expect(new DiscoveryHttpError(429, 'rate-limited', 'm')).toMatchObject({ status: 429, code: 'rate-limited' });
    expect(new LibraryHttpError(404, 'not-found', 'm')).toMatchObject({ status: 404, code: 'not-found' });
    expect(new VaultError('too-large', 'm')).not.toBeInstanceOf(BackupError);
  });
});
