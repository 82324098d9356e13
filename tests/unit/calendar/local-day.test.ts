import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endOfLocalDay, localDay, startOfLocalDay } from '../../../src/core/calendar/local-day.ts';

// openspec/specs/offers-needs — dates kept as local calendar days
describe('local calendar days', () => {
  it('Scenario: an expiry picked as a day shows as that day and lasts through it, in any time zone', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-02'), max: new Date('2200-12-30'), noInvalidDate: true }), (d) => {
        const day = localDay(d.getTime());
        const end = endOfLocalDay(day);
        expect(end).toBeDefined();
        expect(localDay(end)).toBe(day); // shown as the day picked
        expect(end).toBeGreaterThanOrEqual(d.getTime()); // lasts through the whole day
        expect(localDay((end as number) + 1)).not.toBe(day); // and not a moment longer
        const start = startOfLocalDay(day) as number;
        expect(localDay(start)).toBe(day); // "available from" starts that day
        expect(localDay(start - 1)).not.toBe(day);
      }),
    );
    for (const bad of ['2026-02-31', '2026-13-01', '1 March', '', '2026-3-1']) expect(endOfLocalDay(bad)).toBeUndefined();
    expect(localDay(undefined)).toBe('');
    expect(localDay(Number.NaN)).toBe('');
  });

  it('Scenario: west and east of UTC the day picked is the day shown', () => {
    // Time zones are fixed per process: run the same check in child processes, far west and far east.
    const code = `import { endOfLocalDay, localDay, startOfLocalDay } from './src/core/calendar/local-day.ts';
      const end = endOfLocalDay('2027-03-01');
      process.stdout.write(JSON.stringify({ shown: localDay(end), next: localDay(end + 1) }));`;
    for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: path.resolve(import.meta.dirname, '../../..'), env: { ...process.env, TZ: tz }, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout), tz).toEqual({ shown: '2027-03-01', next: '2027-03-02' });
    }
  });
});
