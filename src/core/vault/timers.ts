const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * Dead man's switch: true once `hours` have passed since the last successful unlock, and the
 * platform should then wipe. A non-finite time (a corrupted record) gives false: the wipe cannot be
 * undone, and a storage bug must not destroy someone's data. A clock set back simply delays it.
 */
export function deadManDue(lastUnlock: number, now: number, hours = 72): boolean {
  if (!Number.isFinite(lastUnlock) || !Number.isFinite(now) || !(hours > 0)) return false;
  return now - lastUnlock >= hours * HOUR;
}

/**
 * Idle lock: true once `minutes` have passed without activity. Fails closed: a non-finite time locks,
 * because locking costs only a PIN entry. A clock that jumped backwards also locks.
 */
export function idleLockDue(lastActivity: number, now: number, minutes: number): boolean {
  if (!Number.isFinite(lastActivity) || !Number.isFinite(now) || !Number.isFinite(minutes)) return true;
  return now < lastActivity || now - lastActivity >= Math.max(0, minutes) * MINUTE;
}
