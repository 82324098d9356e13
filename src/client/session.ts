import type { Identity } from '../core/crypto/keys.ts';
import { deadManDue, idleLockDue } from '../core/vault/index.ts';
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
}

const IDLE_CHECK_MS = 15_000;

/**
 * The phone's lock and who is using it: the PIN (and duress PIN), the idle lock, the dead-man switch,
 * the key backup and the panic wipe. The identity lives here once unlocked or joined.
 */
export class Session {
  readonly state = new Store<SessionState>({ phase: 'loading', me: null, lockKind: 'none', idleMinutes: 5, deadManHours: null, decoy: false, error: null });
  me?: Identity;
  private lastActivity = Date.now();
  private idleTimer?: ReturnType<typeof setInterval>;

  constructor(
    readonly vault: PhoneVault,
    private readonly settings: SettingsTable,
    private readonly page: PageControl,
    private readonly device: DeviceSignals,
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

  /** The PIN itself: the real PIN opens the phone; 'duress' means the caller must show the decoy. */
  async unlock(pin: string): Promise<Exclude<UnlockOutcome, 'wrong'>> {
    const outcome = await this.vault.unlock(pin);
    if (outcome === 'wrong') throw new UserError('lock.wrong');
    return outcome;
  }

  async noteUnlock(): Promise<void> {
    await this.settings.set('lastUnlock', Date.now());
  }

  /** Panic wipe. Keys first (from then on every sealed byte is noise); the rest on a clean page load. */
  async wipe(): Promise<void> {
    await this.vault.destroyKeys();
    this.page.reloadIntoWipe();
  }

  /** Locks now (a PIN phone): reloading drops the data key from memory; the PIN screen comes back. */
  lockNow(): void {
    this.page.reload();
  }

  async readBackup(text: string, passphrase: string): Promise<Identity> {
    const { importBackup, BackupError } = await import('../core/vault/index.ts');
    try {
      return await importBackup(text, passphrase);
    } catch (err) {
      throw new UserError(err instanceof BackupError ? `backup.${err.code}` : 'backup.malformed');
    }
  }

  /** Key backup: the secret keys sealed under a passphrase (scrypt), as text short enough for a QR code. */
  async exportBackup(passphrase: string): Promise<string> {
    if (passphrase.length < 8) throw new UserError('backup.short');
    if (!this.me) throw new UserError('error.notReady');
    const { exportBackup, PHONE_SCRYPT } = await import('../core/vault/index.ts');
    return exportBackup(this.me, passphrase, PHONE_SCRYPT);
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

  async setPin(pin: string, duressPin: string): Promise<void> {
    if (pin.trim().length < 4) throw new UserError('lock.tooShort');
    if (duressPin && duressPin === pin) throw new UserError('lock.same');
    await this.vault.setPin(pin, duressPin || null);
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
      if (s.lockKind === 'pin' && idleLockDue(this.lastActivity, Date.now(), s.idleMinutes)) this.lockNow();
    }, IDLE_CHECK_MS);
  }

  stop(): void {
    clearInterval(this.idleTimer);
  }
}
