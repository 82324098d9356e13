import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { acceptedEncodings } from '../../../relay/precompressed.ts';

describe('Accept-Encoding', () => {
  it('Scenario: the relay picks the best encoding the client accepts', () => {
    expect(acceptedEncodings('gzip, deflate, br')).toEqual(['br', 'gzip']);
    expect(acceptedEncodings('gzip')).toEqual(['gzip']);
    expect(acceptedEncodings('br;q=0, gzip')).toEqual(['gzip']);
    expect(acceptedEncodings('br;q=0.2, gzip;q=0.8')).toEqual(['gzip', 'br']);
    expect(acceptedEncodings('*')).toEqual(['br', 'gzip']);
    expect(acceptedEncodings('*, gzip;q=0')).toEqual(['br']);
    expect(acceptedEncodings('identity')).toEqual([]);
    expect(acceptedEncodings(undefined)).toEqual([]);
    expect(acceptedEncodings('BR')).toEqual(['br']);
  });

  it('Scenario: any header, however malformed, yields a list of known encodings and never throws', () => {
    const token = fc.constantFrom('br', 'gzip', 'x-gzip', '*', 'identity', 'deflate', '', ';', 'q=', 'br;q=0', 'gzip;q=1.0', 'br;q=2', 'br;q=-1');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(token).map((t) => t.join(', '))), (header) => {
        const out = acceptedEncodings(header);
        expect(new Set(out).size).toBe(out.length);
        for (const e of out) expect(['br', 'gzip']).toContain(e);
      }),
    );
  });
});
