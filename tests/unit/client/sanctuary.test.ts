import { describe, expect, it } from 'vitest';
import { until } from './harness.ts';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();
const DAY = 24 * 3600e3;

describe('client: sanctuary in Node', () => {
  it('Scenario: a steward sets up the sanctuary, writes an entry sealed to the tier, and members below it are refused', async () => {
    const { ana, ben } = await suite.founderAndNewcomer({ vouch: false });
    // The founder is a steward; the newcomer nobody vouched for is not.
    await expect(ben.phone.sanctuary.setUpChecked('trusted', 30)).rejects.toThrow(ben.phone.trust.gate('steward')!.reason);
    await ana.phone.sanctuary.setUpChecked('steward', 30);
    await until(() => (ana.phone.sanctuaryState.state.sanctuary?.epochs.length ?? 0) > 0, 'the steward holds the first key');
    await ana.phone.sanctuary.saveEntryChecked({ kind: 'housing', title: 'Spare room', capacity: 2, languages: ['es'], accessibility: [], area: 'north', contactMethod: 'ask Ana', notes: '', expires: Date.now() + 30 * DAY });
    await until(() => ana.phone.sanctuaryState.state.sanctuary?.entries.length === 1, 'the entry is readable by its steward');
    const entry = ana.phone.sanctuaryState.state.sanctuary!.entries[0];
    expect(entry.entry.title).toBe('Spare room');
    // Nothing of it is in the shared doc in clear.
    expect(JSON.stringify(ana.phone.docs.community!.doc())).not.toContain('Spare room');

    await until(() => ben.phone.sanctuaryState.state.sanctuary?.exists === true, 'Ben sees that a sanctuary exists');
    expect(ben.phone.sanctuaryState.state.sanctuary).toMatchObject({ entries: [], epochs: [] });
    expect(() => ben.phone.sanctuary.printChecked({ includeAddresses: false })).toThrow(ben.phone.trust.gate('print-sanctuary')!.reason);
    const sheet = ana.phone.sanctuary.printChecked({ includeAddresses: false });
    expect(JSON.stringify(sheet)).toContain('Spare room');
  });

  it('Scenario: a steward’s sanctuary set-up right after a start, before the docs are open, waits for them and is kept', async () => {
    const { repo, ana } = await suite.founderAndNewcomer({ vouch: false });
    ana.phone.stop();
    let compiled!: () => void;
    const again = suite.phone(repo, ana.local, undefined, undefined, new Promise<void>((r) => (compiled = r)));
    const booted = again.phone.boot();
    await until(() => again.phone.session.state.state.phase === 'ready', 'the list is shown');
    const setUp = again.phone.sanctuary.setUpChecked('steward', 30);
    compiled();
    await setUp;
    await booted;
    await until(() => (again.phone.sanctuaryState.state.sanctuary?.epochs.length ?? 0) > 0, 'the steward holds the first key');
    expect(again.phone.sanctuaryState.state.sanctuary?.exists).toBe(true);
  });

  it('Scenario: a sanctuary entry saved right after a start, before the docs are open, waits for them and is kept', async () => {
    const { repo, ana } = await suite.founderAndNewcomer({ vouch: false });
    await ana.phone.sanctuary.setUpChecked('steward', 30);
    await until(() => (ana.phone.sanctuaryState.state.sanctuary?.epochs.length ?? 0) > 0, 'the steward holds the first key');
    ana.phone.stop();
    let compiled!: () => void;
    const again = suite.phone(repo, ana.local, undefined, undefined, new Promise<void>((r) => (compiled = r)));
    const booted = again.phone.boot();
    await until(() => again.phone.session.state.state.phase === 'ready', 'the list is shown');
    const saved = again.phone.sanctuary.saveEntryChecked({ kind: 'housing', title: 'Back room', capacity: 1, languages: ['en'], accessibility: [], area: 'south', contactMethod: 'ask Ana', notes: '', expires: Date.now() + 30 * DAY });
    compiled();
    await saved;
    await booted;
    await until(() => again.phone.sanctuaryState.state.sanctuary?.entries.some((e) => e.entry.title === 'Back room') === true, 'the entry is readable by its steward');
  });
});
