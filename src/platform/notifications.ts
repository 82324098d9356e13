/**
 * Shows a system notification when the person allowed them; otherwise nothing (the banner still shows).
 * Through the service worker's registration: Android Chrome throws on `new Notification()` ("Illegal
 * constructor. Use ServiceWorkerRegistration.showNotification() instead"). The constructor is left
 * only for a page with no service worker (a desktop browser in development). Failures reject, so the
 * alerts screen can say that notifications do not work here.
 */
export async function showNotification(title: string, body: string, tag: string, hash: string): Promise<void> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const sw = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined;
  // getRegistration first: `ready` never settles on a page no service worker controls.
  if (sw && (await sw.getRegistration())) {
    const registration = await sw.ready;
    // `data.hash`: where a tap opens the app (public/notification-click.js); a route, never content.
    await registration.showNotification(title, { body, tag, data: { hash } });
    return;
  }
  const shown = new Notification(title, { body, tag });
  shown.onclick = () => {
    window.focus();
    location.hash = hash;
  };
}

/**
 * Whether the person is looking at the app now. A message notification then only repeats what the
 * unread badge already shows; it is for when the app is open in the background (another app, or the
 * screen off). Alerts notify either way: they are urgent.
 */
export function appInView(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'visible';
}
