import type { Page } from '@playwright/test';
import type { Phone } from './phone.ts';

/** Records the system notifications the page shows (through the service worker's registration, or the constructor). */
export async function recordNotifications(phone: Phone): Promise<void> {
  await phone.context.grantPermissions(['notifications']);
  await phone.page.evaluate(() => {
    const shown: Array<{ title: string; body?: string }> = [];
    (window as unknown as { shown: typeof shown }).shown = shown;
    const real = ServiceWorkerRegistration.prototype.showNotification;
    ServiceWorkerRegistration.prototype.showNotification = function (title: string, options?: NotificationOptions) {
      shown.push({ title, body: options?.body });
      return real.call(this, title, options);
    };
    window.Notification = class extends Notification {
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body });
        super(title, options);
      }
    };
  });
}

export function notificationsShown(page: Page): Promise<Array<{ title: string; body?: string }>> {
  return page.evaluate(() => (window as unknown as { shown: Array<{ title: string; body?: string }> }).shown);
}
