import encodeQR from 'qr';
import type { CaFingerprint } from './ca-fingerprint.ts';
import { INSTALL_TEXT, type InstallLang } from './install-page-text.ts';

export interface InstallPageInput {
  lang: InstallLang;
  /** The community CA, or undefined when the relay's certificate is not one it made. */
  ca?: { fingerprint: CaFingerprint; names: string[]; validTo: string };
  /** Where this page is (for the QR code), and where the app is once the CA is trusted. */
  pageUrl: string;
  appUrl: string;
}

/** Everything put into the page is escaped: names come from a certificate file, URLs from the configuration. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Small enough to read on a 360-pixel screen; no script, no file but itself (the phone trusts nothing yet). */
const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem;color:#1b2a1b;background:#f7faf5}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}a.button{display:inline-block;background:#2e6b35;color:#fff;padding:.8rem 1.2rem;border-radius:.5rem;text-decoration:none;font-weight:600}
.words{font-size:1.2rem;font-weight:600;letter-spacing:.02em}.qr svg{width:12rem;height:12rem}code{word-break:break-all}li{margin:.3rem 0}`;

/** The plain-HTTP page a phone opens before it trusts the community CA: what to do per platform, and the limits. */
export function renderInstallPage(p: InstallPageInput): string {
  const t = INSTALL_TEXT[p.lang];
  const other: InstallLang = p.lang === 'en' ? 'es' : 'en';
  const qr = encodeQR(p.pageUrl, 'svg', { ecc: 'medium', border: 2 });
  const body = p.ca
    ? `<p>${esc(t.intro)}</p>
<p><a class="button" href="/ca.crt" download="community-ca.crt" data-testid="download">${esc(t.download)}</a></p>
<h2>${esc(t.checkTitle)}</h2>
<p>${esc(t.checkText)}</p>
<p class="words" data-testid="words">${esc(p.ca.fingerprint.words[p.lang].join(' '))}</p>
<h2>${esc(t.androidTitle)}</h2>
<ol><li>${esc(t.android1)}</li><li>${esc(t.android2)}</li><li>${esc(t.android3)}</li></ol>
<p>${esc(t.androidLimits)}</p>
<h2>${esc(t.iosTitle)}</h2>
<ol><li>${esc(t.ios1)}</li><li>${esc(t.ios2)}</li><li>${esc(t.ios3)}</li></ol>
<p>${esc(t.iosLimits)}</p>
<h2>${esc(t.desktopTitle)}</h2>
<ul><li>${esc(t.desktopChrome)}</li><li>${esc(t.desktopFirefox)}</li></ul>
<h2>${esc(t.limitTitle)}</h2>
<p data-testid="limit">${esc(p.ca.names.length > 0 ? t.limitText.replace('{names}', p.ca.names.join(', ')) : t.limitNone)}</p>
<h2>${esc(t.removeTitle)}</h2>
<p>${esc(t.removeText)}</p>
<details><summary>${esc(t.details)}</summary>
<p>${esc(t.sha256)}:<br><code data-testid="sha256">${esc(p.ca.fingerprint.sha256)}</code></p>
<p>${esc(t.validTo)}: ${esc(p.ca.validTo.slice(0, 10))}</p></details>`
    : `<p data-testid="no-ca">${esc(t.noCa)}</p>`;
  return `<!doctype html>
<html lang="${p.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(t.title)}</title><style>${STYLE}</style></head>
<body><p><a href="?lang=${other}" hreflang="${other}">${esc(t.otherLanguage)}</a></p>
<h1>${esc(t.title)}</h1>
${body}
<h2>${esc(t.openApp)}</h2>
<p><a href="${esc(p.appUrl)}" data-testid="app-link">${esc(p.appUrl)}</a></p>
<p>${esc(t.qr)}</p>
<div class="qr" data-testid="qr" data-url="${esc(p.pageUrl)}">${qr}</div>
</body></html>
`;
}
