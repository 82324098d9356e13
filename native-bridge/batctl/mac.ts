const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
export const MAC_PATTERN = '[0-9a-f]{2}(?::[0-9a-f]{2}){5}';

export function isMac(s: unknown): s is string {
  return typeof s === 'string' && MAC_RE.test(s);
}
