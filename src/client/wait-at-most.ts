/**
 * Waits for `promise` or `ms`, whichever comes first, and leaves no timer behind. A write made right
 * after a start waits for the docs this way: long enough for them to open, never forever when a doc
 * cannot be found (the write then fails with its own clear error).
 */
export async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
