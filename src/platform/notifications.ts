/** Shows a system notification when the person allowed them; otherwise nothing (the banner still shows). */
export function showNotification(title: string, body: string, tag: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body, tag });
  } catch {
    // Some browsers allow notifications only from a service worker; the banner still shows.
  }
}
