/**
 * Follows the service worker's word after a tap on a notification while the app is open: it names the
 * route to show (public/notification-click.js). Only messages from this app's own service worker count.
 */
export function followNotificationTaps(open: (hash: string) => void): void {
  const sw = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined;
  sw?.addEventListener('message', (event: MessageEvent) => {
    if (!(event.source instanceof ServiceWorker)) return;
    const data = event.data as { type?: unknown; hash?: unknown } | null;
    if (data?.type === 'spm-open-route' && typeof data.hash === 'string' && data.hash.startsWith('#/')) open(data.hash);
  });
}
