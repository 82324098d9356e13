/**
 * Dates people pick (an offer's expiry, a sanctuary entry's "valid until") are calendar days where the
 * person is, not instants in UTC. Stored as UTC midnight, "1 March" showed as 28 February west of UTC and
 * the post expired a day early; stored as the end of the chosen local day, it shows as the day picked and
 * lasts through it. Uses the phone's own time zone (JavaScript's local Date), which is the person's.
 */

/** The `yyyy-mm-dd` a date input shows for the instant `ms`, in local time ('' for none). */
export function localDay(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(d.getFullYear()).padStart(4, '0')}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The last millisecond of the local calendar day `yyyy-mm-dd`, or undefined when it is not such a day. */
export function endOfLocalDay(day: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const end = new Date(y, mo - 1, d, 23, 59, 59, 999);
  // new Date rolls 31 February over into March: such a day does not exist.
  if (end.getFullYear() !== y || end.getMonth() !== mo - 1 || end.getDate() !== d) return undefined;
  return end.getTime();
}

/** The first millisecond of the local calendar day `yyyy-mm-dd` ("available from"), or undefined. */
export function startOfLocalDay(day: string): number | undefined {
  const end = endOfLocalDay(day);
  if (end === undefined) return undefined;
  const d = new Date(end);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}
