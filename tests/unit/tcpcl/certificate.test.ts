import fc from 'fast-check';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isValidNodeId, makeNodeCertificate, nodeIdsIn } from '../../../relay/dtn/tcpcl/index.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');

/** Node IDs as relays and other DTN nodes name themselves: dtn://name/ and ipn:n.m. */
const nodeId = fc.oneof(
  fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,40}$/).map((n) => `dtn://${n}/`),
  fc.tuple(fc.nat(), fc.nat()).map(([n, s]) => `ipn:${n}.${s}`),
);

describe('TCPCL node certificate', () => {
  it('Scenario: a node certificate names its Node ID, carries its key and verifies with it', () => {
    fc.assert(
      fc.property(nodeId, (id) => {
        const cert = new X509Certificate(makeNodeCertificate(privateKey, id));
        expect(nodeIdsIn(cert.raw)).toEqual([id]);
        expect(cert.publicKey.export({ format: 'jwk' }).x).toBe(publicKey.export({ format: 'jwk' }).x);
        expect(cert.verify(publicKey)).toBe(true);
        expect(isValidNodeId(id)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('Scenario: bytes that are no certificate name no Node ID', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        expect(nodeIdsIn(bytes)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
