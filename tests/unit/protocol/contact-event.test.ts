import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContactEventError, MAX_CONTACT_LINE, parseContactEvent, type ContactEvent } from '../../../src/core/protocol/contact-event.ts';

// openspec/specs/native-bridge — the bridge → relay contact line, one format both sides import
const peer = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/).map((n) => `dtn://${n}/`),
  fc.array(fc.stringMatching(/^[0-9a-f]{2}$/), { minLength: 6, maxLength: 6 }).map((b) => `mac:${b.join(':')}`),
);
const event: fc.Arbitrary<ContactEvent> = fc.record(
  {
    kind: fc.constantFrom('up' as const, 'down' as const),
    peer,
    address: fc.record({ host: fc.string({ minLength: 1, maxLength: 255 }), port: fc.integer({ min: 1, max: 65535 }) }),
    source: fc.constantFrom('static' as const, 'beacon' as const, 'batman' as const),
    linkQuality: fc.integer({ min: 0, max: 255 }),
    at: fc.integer({ min: 0 }),
  },
  { requiredKeys: ['kind', 'peer', 'source', 'at'] },
);

describe('contact events', () => {
  it('Scenario: a contact event the bridge writes is read back the same by the relay', () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(parseContactEvent(JSON.stringify(e))).toEqual(e);
      }),
    );
  });

  it('Scenario: a hostile contact line is refused with a ContactEventError and nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue().map((v) => JSON.stringify(v))), (line) => {
        try {
          parseContactEvent(line);
        } catch (err) {
          expect(err).toBeInstanceOf(ContactEventError);
        }
      }),
      { numRuns: 500 },
    );
    expect(() => parseContactEvent('x'.repeat(MAX_CONTACT_LINE + 1))).toThrow(ContactEventError);
    expect(() => parseContactEvent(JSON.stringify({ kind: 'up', peer: 'dtn://a/', source: 'batman', at: 1, address: { host: 'h', port: 0 } }))).toThrow(/bad port/);
  });
});
