import type { DeviceSignals } from '../client/ports.ts';

/** The browser's online/offline events and the person's touches, keys and scrolls. */
export const browserDevice: DeviceSignals = {
  online: () => (typeof navigator === 'undefined' ? true : navigator.onLine),
  onOnlineChange: (fn) => {
    addEventListener('online', () => fn(true));
    addEventListener('offline', () => fn(false));
  },
  onActivity: (fn) => {
    for (const e of ['pointerdown', 'keydown', 'scroll']) addEventListener(e, fn, { passive: true });
  },
};
