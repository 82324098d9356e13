/**
 * The browser's own install offer (Chromium's `beforeinstallprompt`): kept until the person taps
 * "Install", because the browser only shows it in answer to a tap. Other browsers never fire it; the
 * install help then shows their steps instead.
 */
interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

let deferred: InstallPromptEvent | null = null;

/** Starts listening; `changed(true)` when the offer can be shown, `changed(false)` once it is used or installed. */
export function watchInstallPrompt(changed: (available: boolean, installed: boolean) => void): void {
  addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    deferred = e as InstallPromptEvent;
    changed(true, false);
  });
  addEventListener('appinstalled', () => {
    deferred = null;
    changed(false, true);
  });
}

/** Shows the browser's install dialog; resolves whether the person accepted. */
export async function promptInstall(): Promise<boolean> {
  const e = deferred;
  if (!e) return false;
  deferred = null;
  await e.prompt();
  return (await e.userChoice).outcome === 'accepted';
}
