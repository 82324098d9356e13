import type { Identity } from '../core/crypto/keys.ts';
import type { RestoredPerson, Standing } from '../core/vault/standing-backup.ts';
import type { DecoyProfile } from '../core/vault/decoy.ts';
import { deadManDue, idleLockDue, parsePinFailures, pinWaitMs, wipeAfterWrongDue, type PinFailures } from '../core/vault/index.ts';
import { UserError } from './errors.ts';
import type { SettingsTable } from './local-store.ts';
import type { DeviceSignals, PageControl } from './ports.ts';
import { Store } from './store.ts';
import type { LockKind, PhoneVault, UnlockOutcome } from './vault.ts';

export type Phase = 'loading' | 'welcome' | 'locked' | 'ready' | 'error';

export interface SessionState {
  phase: Phase;
  me: { agentId: string; name: string } | null;
  /** How the data key is kept: a PIN, a device key (no PIN), or nothing yet. */
  lockKind: LockKind;
  idleMinutes: number;
  deadManHours: number | null;
  /** After the duress PIN: a decoy that shows only public posts. Never shown on screen. */
  decoy: boolean;
  /** An i18n key when the phone could not start. */
  error: string | null;
  /** Opt-in: wipe after this many wrong PINs in a row (0: never). */
  wipeAfterWrong: number;
  /** Opt-in: a long press on the status line starts a wipe (with a countdown to undo). */
  panicGesture: boolean;
}

const IDLE_CHECK_MS = 15_000;
/** Kept in the clear: the PIN screen must read them before anything is unlocked. */
const PIN_FAILURES = 'pinFailures';
const WIPE_AFTER_WRONG = 'wipeAfterWrong';
const PANIC_GESTURE = 'panicGesture';

/**
 * The phone's lock and who is using it: the PIN (and duress PIN), the idle lock, the dead-man switch,
 * the key backup and the panic wipe. The identity lives here once unlocked or joined.
 */
export class Session {
  readonly state = new Store<SessionState>({ phase: 'loading', me: null, lockKind: 'none', idleMinutes: 5, deadManHours: null, decoy: false, error: null, wipeAfterWrong: 0, panicGesture: false });
  me?: Identity;
  private lastActivity = Date.now();
  private idleTimer?: ReturnType<typeof setInterval>;

  constructor(
    readonly vault: PhoneVault,
    private readonly settings: SettingsTable,
    private readonly page: PageControl,
    private readonly device: DeviceSignals,
    /** Writes out what the docs hold only in memory (PhoneDocs.settle): a reload would drop it. */
    private readonly settle: () => Promise<void> = async () => undefined,
  ) {}

  /** Sets the phase (and the error key, when it failed to start). */
  enter(phase: Phase, error: string | null = null): void {
    this.state.set(error ? { phase, error } : { phase });
  }

  setMe(me: Identity, name: string): void {
    this.me = me;
    this.state.set({ me: { agentId: me.agentId, name } });
  }

  async deadManSwitchDue(): Promise<boolean> {
    const hours = await this.settings.get<number>('deadManHours');
    const last = await this.settings.get<number>('lastUnlock');
    return !!hours && last !== undefined && deadManDue(last, Date.now(), hours);
  }

  /**
   * The PIN itself: the real PIN opens the phone; 'duress' means the caller must show the decoy. Wrong
   * PINs are counted on disk (readable without the key, so a reload does not reset them): after a few,
   * each try waits longer, and with "wipe after N" opted in the Nth wrong PIN wipes the phone.
   */
  async unlock(pin: string): Promise<Exclude<UnlockOutcome, 'wrong'>> {
    const failures = await this.pinFailures();
    const wait = pinWaitMs(failures, Date.now());
    if (wait > 0) throw new UserError('lock.wait', { n: Math.ceil(wait / 1000) });
    const outcome = await this.vault.unlock(pin);
    if (outcome !== 'wrong') {
      await this.settings.delete([PIN_FAILURES]);
      return outcome;
    }
    const next: PinFailures = { count: failures.count + 1, last: Date.now() };
    await this.settings.set(PIN_FAILURES, next);
    if (wipeAfterWrongDue(next, (await this.settings.get<number>(WIPE_AFTER_WRONG)) ?? 0)) {
      await this.wipe();
      throw new UserError('lock.wrong');
    }
    const after = pinWaitMs(next, Date.now());
    if (after > 0) throw new UserError('lock.wrongWait', { n: Math.ceil(after / 1000) });
    throw new UserError('lock.wrong');
  }

  async pinFailures(): Promise<PinFailures> {
    return parsePinFailures(await this.settings.get<unknown>(PIN_FAILURES), Date.now());
  }

  /** The safety settings kept in the clear (they act before, or without, an unlock). */
  async loadSafety(): Promise<void> {
    const [gesture, wrong] = await Promise.all([this.settings.get<boolean>(PANIC_GESTURE), this.settings.get<number>(WIPE_AFTER_WRONG)]);
    this.state.set({ panicGesture: gesture === true, wipeAfterWrong: typeof wrong === 'number' && wrong > 0 ? wrong : 0 });
  }

  async setPanicGesture(on: boolean): Promise<void> {
    if (on) await this.settings.set(PANIC_GESTURE, true);
    else await this.settings.delete([PANIC_GESTURE]);
    this.state.set({ panicGesture: on });
  }

  /** Opt-in: wipe the phone after this many wrong PINs in a row (0: never). */
  async setWipeAfterWrong(n: number): Promise<void> {
    if (n > 0) await this.settings.set(WIPE_AFTER_WRONG, n);
    else await this.settings.delete([WIPE_AFTER_WRONG]);
    this.state.set({ wipeAfterWrong: n > 0 ? n : 0 });
  }

  async noteUnlock(): Promise<void> {
    await this.settings.set('lastUnlock', Date.now());
  }

  /** Panic wipe. Keys first (from then on every sealed byte is noise); the rest on a clean page load. */
  async wipe(): Promise<void> {
    await this.vault.destroyKeys();
    this.page.reloadIntoWipe();
  }

  /**
   * Locks now (a PIN phone): reloading drops the data key from memory; the PIN screen comes back. A post
   * made a moment before Lock is written out first, or the reload would lose it.
   */
  lockNow(): Promise<void> {
    return this.settle().catch(() => undefined).then(() => this.page.reload());
  }

  /** Either kind of backup: keys only (`spmk1:`) or keys with where the person stands (`spmk2:`). */
  async readBackup(text: string, passphrase: string): Promise<RestoredPerson> {
    const { importStandingBackup, BackupError } = await import('../core/vault/index.ts');
    try {
      return await importStandingBackup(text, passphrase);
    } catch (err) {
      throw new UserError(err instanceof BackupError ? `backup.${err.code}` : 'backup.malformed');
    }
  }

  /**
   * Backup: the secret keys and where I stand (community, anchors, founder) sealed under a passphrase
   * (scrypt), as text short enough for a QR code.
   */
  async exportBackup(passphrase: string, standing: Standing = { communityUrl: null, anchors: [], founder: false }): Promise<string> {
    if (passphrase.length < 8) throw new UserError('backup.short');
    if (!this.me) throw new UserError('error.notReady');
    const { exportStandingBackup, PHONE_SCRYPT } = await import('../core/vault/index.ts');
    return exportStandingBackup(this.me, standing, passphrase, PHONE_SCRYPT);
  }

  async setDeadMan(hours: number | null): Promise<void> {
    if (hours) await this.settings.set('deadManHours', hours);
    else await this.settings.delete(['deadManHours']);
    this.state.set({ deadManHours: hours });
  }

  async setIdleMinutes(minutes: number): Promise<void> {
    await this.settings.set('idleMinutes', minutes);
    this.state.set({ idleMinutes: minutes });
  }

  /** `decoy`: what the duress PIN's decoy shows in place of this person (their name, the community's). */
  async setPin(pin: string, duressPin: string, decoy: DecoyProfile = { name: this.state.state.me?.name ?? '', communityName: '' }): Promise<void> {
    if (pin.trim().length < 4) throw new UserError('lock.tooShort');
    if (duressPin && duressPin.trim().length < 4) throw new UserError('lock.tooShort');
    if (duressPin && duressPin === pin) throw new UserError('lock.same');
    await this.vault.setPin(pin, duressPin || null, decoy);
    this.state.set({ lockKind: 'pin' });
  }

  /** A new phone's lock: a PIN (and duress PIN) when given, otherwise a device key. */
  async createLock(pin: string, duressPin: string): Promise<void> {
    await this.vault.create(pin || null, duressPin || null);
    this.state.set({ lockKind: pin ? 'pin' : 'device' });
    await this.noteUnlock();
  }

  /** A PIN phone locks itself after the chosen idle time. */
  watchIdle(): void {
    if (this.idleTimer) return;
    this.device.onActivity(() => (this.lastActivity = Date.now()));
    void this.settings.get<number>('idleMinutes').then((m) => this.state.set({ idleMinutes: m ?? 5 }));
    void this.settings.get<number>('deadManHours').then((h) => this.state.set({ deadManHours: h ?? null }));
    this.idleTimer = setInterval(() => {
      const s = this.state.state;
      if (s.lockKind === 'pin' && idleLockDue(this.lastActivity, Date.now(), s.idleMinutes)) void this.lockNow();
    }, IDLE_CHECK_MS);
  }

  stop(): void {
    clearInterval(this.idleTimer);
  }
}
