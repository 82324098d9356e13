/**
 * Page side of bench/signatures.ts: the phone's way of reading signed records — tweetnacl one by one
 * (verifyRecord alone) versus the browser's Ed25519 in one batch first (primeSignatures) — in Chromium.
 */
import { primeSignatures, verifyRecord } from '../../src/core/crypto/sign.ts';
import { webCryptoSignatureCheck } from '../../src/platform/ed25519.ts';

declare global {
  interface Window {
    benchSignatures(records: unknown[], naclSample: number): Promise<Record<string, unknown>>;
  }
}

window.benchSignatures = async (records, naclSample) => {
  // tweetnacl on a sample (it costs milliseconds a record); these are then cached, so skip them below.
  let t = performance.now();
  const sample = records.slice(0, naclSample);
  const naclOk = sample.filter((r) => verifyRecord(r)).length;
  const naclMsPerRecord = (performance.now() - t) / sample.length;
  const rest = records.slice(naclSample);
  t = performance.now();
  const check = await webCryptoSignatureCheck();
  const probeMs = performance.now() - t;
  if (!check) return { name: 'phone.signatures.error', value: 0, unit: 'error', message: 'no Ed25519 in WebCrypto' };
  t = performance.now();
  const primed = await primeSignatures(rest, check);
  const primeMs = performance.now() - t;
  t = performance.now();
  const readOk = rest.filter((r) => verifyRecord(r)).length;
  const readMs = performance.now() - t;
  const nativeMsPerRecord = (primeMs + readMs) / rest.length;
  return {
    name: 'phone.signatureMsPerRecord',
    value: +nativeMsPerRecord.toFixed(4),
    unit: 'ms',
    records: rest.length,
    primed,
    readOk,
    primeMs: Math.round(primeMs),
    cachedReadMs: Math.round(readMs),
    probeMs: Math.round(probeMs),
    tweetnaclMsPerRecord: +naclMsPerRecord.toFixed(2),
    tweetnaclSample: sample.length,
    tweetnaclOk: naclOk,
    speedup: +(naclMsPerRecord / nativeMsPerRecord).toFixed(1),
  };
};
