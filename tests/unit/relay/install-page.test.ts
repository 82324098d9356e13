import fc from 'fast-check';
import jsQR from 'jsqr';
import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { communityCaIn } from '../../../relay/ca/chain-ca.ts';
import { issueRelayCertificate, makeCommunityCa } from '../../../relay/ca/community-ca.ts';
import { renderInstallPage } from '../../../relay/ca/install-page.ts';
import { installLang } from '../../../relay/ca/install-page-text.ts';
import { FINGERPRINT_WORDS_ES } from '../../../src/core/trust/fingerprint.ts';

// openspec/changes/relay-ca — the page a phone opens before it trusts the community CA.
const ca = makeCommunityCa({ name: 'mesh.lan', ip: '10.42.0.1' });
const relay = issueRelayCertificate(ca, { name: 'mesh.lan', ip: '10.42.0.1' });

/**
 * The QR code's SVG drawn as pixels and read by a QR scanner. The `qr` package writes one unit square
 * per dark module: `M x y h1v1…Z` starts a row, then `m dx dy h1v1…Z` moves from the last square's corner.
 */
function scanSvg(svg: string): string | undefined {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const scale = 4;
  const px = size * scale;
  const data = new Uint8ClampedArray(px * px * 4).fill(255);
  let [cx, cy] = [0, 0];
  for (const [, move, x, y] of svg.matchAll(/([Mm])(-?\d+) (-?\d+)h1v1/g)) {
    [cx, cy] = move === 'M' ? [Number(x), Number(y)] : [cx + Number(x), cy + Number(y)];
    for (let dy = 0; dy < scale; dy++)
      for (let dx = 0; dx < scale; dx++) {
        const i = ((cy * scale + dy) * px + cx * scale + dx) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
  }
  return jsQR(data, px, px)?.data;
}

describe('certificate install page', () => {
  it('Scenario: the CA at the end of the relay chain is found, with the fingerprint of its bytes', () => {
    const served = communityCaIn(relay.chainPem);
    const caCert = new X509Certificate(ca.certPem);
    expect(served?.der.equals(caCert.raw)).toBe(true);
    const hex = createHash('sha256').update(caCert.raw).digest('hex').toUpperCase().match(/../g)!.join(':');
    expect(served?.fingerprint.sha256).toBe(hex);
    expect(served?.names).toEqual(['mesh.lan', '10.42.0.1']);
    // A lone certificate, or a chain whose last certificate did not sign the one before it, has no CA to offer.
    expect(communityCaIn(relay.certPem)).toBeUndefined();
    expect(communityCaIn(relay.certPem + makeCommunityCa({ name: 'mesh.lan' }).certPem)).toBeUndefined();
    expect(communityCaIn('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toBeUndefined();
  });

  it('Scenario: the Spanish page shows the words to compare, the limits and a QR code for its own address', () => {
    const served = communityCaIn(relay.chainPem)!;
    const html = renderInstallPage({ lang: 'es', ca: served, pageUrl: 'http://mesh.lan/install', appUrl: 'https://mesh.lan' });
    expect(html).toContain('<html lang="es">');
    expect(html).toContain(served.fingerprint.words.es.join(' '));
    expect(served.fingerprint.words.es.every((w) => FINGERPRINT_WORDS_ES.includes(w))).toBe(true);
    expect(html).toContain('Ajustes de confianza de certificados');
    expect(html).toContain('Este certificado solo sirve para mesh.lan, 10.42.0.1');
    expect(html).toContain('href="/ca.crt"');
    expect(html).not.toMatch(/<script/i);
    expect(scanSvg(/<svg[\s\S]*<\/svg>/.exec(html)![0])).toBe('http://mesh.lan/install');
    // Without a CA of its own the hub says nothing needs installing.
    expect(renderInstallPage({ lang: 'en', pageUrl: 'http://mesh.lan/install', appUrl: 'https://mesh.lan' })).toContain('no certificate of its own');
  });

  it('Scenario: the page language follows ?lang, else the browser’s first English or Spanish, and never fails on a header', () => {
    expect(installLang(null, 'es-MX,en;q=0.5')).toBe('es');
    expect(installLang(null, 'en-US,es;q=0.9')).toBe('en');
    expect(installLang(null, 'fr-FR, es;q=0.1')).toBe('es');
    expect(installLang(null, 'en;q=0.2, es;q=0.8')).toBe('es');
    expect(installLang('en', 'es')).toBe('en');
    fc.assert(fc.property(fc.option(fc.string()), fc.option(fc.string(), { nil: undefined }), (q, h) => ['en', 'es'].includes(installLang(q, h))));
  });
});
