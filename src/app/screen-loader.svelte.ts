import { loadModule } from '../platform/load-module.ts';
import { partsArrived, reloadOnceForMissingPart } from '../platform/part-reload.ts';
import { UserError } from '../client/errors.ts';
import { SCREENS, type AnyScreen, type ScreenName } from './routes.ts';

export type { ScreenName } from './routes.ts';

const idle = (f: () => void): void => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(f, { timeout: 2000 });
  else setTimeout(f, 200);
};

/**
 * Fetches each screen's code (the route table's dynamic imports) the first time it is needed, so the first
 * download is the shell; the service worker keeps every chunk for offline use after that.
 */
class ScreenLoader {
  /** Screens whose code has arrived: App renders one of these synchronously, with no loading state. */
  loaded = $state.raw<Partial<Record<ScreenName, AnyScreen>>>({});
  /** Screens whose code could not be fetched (offline before the service worker cached it). */
  failed = $state.raw<Partial<Record<ScreenName, true>>>({});
  private pending = new Map<ScreenName, Promise<void>>();

  /** Fetches a screen's code once; a visit after a failure tries again. */
  load(name: ScreenName): Promise<void> {
    if (this.loaded[name]) return Promise.resolve();
    if (this.failed[name]) {
      const { [name]: _, ...others } = this.failed;
      this.failed = others;
    }
    return this.fetch(name).then(
      // The page has what it needs to be used: a later failure may reload it once again.
      () => partsArrived(),
      (err: unknown) => {
        console.warn(`screen ${name} could not be loaded`, err);
        // As for the client's code at start (main.ts): a browser that keeps a failed import failed for the
        // page's life is helped only by a fresh page. Once: the mark stays until a screen has arrived.
        if (err instanceof UserError && err.message === 'error.appPartMissing' && reloadOnceForMissingPart()) return;
        this.failed = { ...this.failed, [name]: true };
      },
    );
  }

  private fetch(name: ScreenName): Promise<void> {
    let p = this.pending.get(name);
    if (!p) {
      p = loadModule(() => SCREENS[name].screen())
        .then((m) => void (this.loaded = { ...this.loaded, [name]: m.default }))
        .finally(() => this.pending.delete(name));
      this.pending.set(name, p);
    }
    return p;
  }

  /** Fetches the screens likely to follow `name` when the phone is idle; a failure waits for a real visit. */
  preloadAfter(name: ScreenName): void {
    const next = ((SCREENS[name].next ?? []) as readonly ScreenName[]).filter((n) => !this.loaded[n] && !this.pending.has(n));
    if (next.length) idle(() => next.forEach((n) => void this.fetch(n).catch(() => undefined)));
  }
}

export const screens = new ScreenLoader();
