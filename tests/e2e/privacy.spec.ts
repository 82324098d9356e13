import { expect, test, type Page } from './fixtures.ts';
import { relayPerTest } from './relay-per-test.ts';
import { browse, card, join, openPhone, post, waitForServiceWorker, tapNav } from './phone.ts';

// openspec/specs/panic/spec.md and private-messaging/spec.md — on the phone
const relay = relayPerTest();

/**
 * Everything in every IndexedDB database of this origin, as text: strings as they are, bytes as Latin-1,
 * so any plaintext stored anywhere shows up.
 */
async function rawIndexedDb(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts: string[] = [];
    const text = (v: unknown): void => {
      if (v === null || v === undefined) return;
      if (typeof v === 'string') parts.push(v);
      else if (typeof v === 'number' || typeof v === 'boolean') parts.push(String(v));
      else if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
        const bytes = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
        let s = '';
        for (const b of bytes) s += String.fromCharCode(b);
        parts.push(s);
      } else if (Array.isArray(v)) v.forEach(text);
      else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) (parts.push(k), text(x));
    };
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const tx = db.transaction(store, 'readonly');
        const [keys, values] = await Promise.all(
          ['getAllKeys', 'getAll'].map((m) => new Promise<unknown[]>((res) => {
            const r = (tx.objectStore(store) as unknown as Record<string, () => IDBRequest<unknown[]>>)[m]();
            r.onsuccess = () => res(r.result);
          })),
        );
        text(keys);
        text(values);
      }
      db.close();
    }
    return parts.join('\n');
  });
}

async function messageTo(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('nav-people').click();
  await page.getByTestId('member-row').filter({ hasText: name }).click();
  await page.getByTestId('message-person').click();
  await page.getByTestId('compose').fill(text);
  await page.getByTestId('send').click();
  await expect(page.getByTestId('message').filter({ hasText: text }).getByTestId('message-status')).toHaveText('sent');
}

async function unlock(page: Page, pin: string): Promise<void> {
  await page.getByTestId('pin').fill(pin);
  await page.getByTestId('unlock').click();
}

test('Scenario: after lock the raw IndexedDB holds no plaintext of private posts, messages or keys; the duress PIN opens a decoy and shreds the real data', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  const beto = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana', '', { pin: '2468', duress: '1357' });
  await join(beto.page, 'Beto');
  await post(ana.page, { kind: 'offer', title: 'Spare bicycle' });
  await post(ana.page, { kind: 'offer', title: 'Insulin fridge space', audience: 'trusted' });
  await messageTo(ana.page, 'Beto', 'The blue door is the safe one');
  await expect(beto.page.getByTestId('nav-unread')).toHaveText('1', { timeout: 30_000 });

  await ana.page.getByTestId('lock-now').click();
  await expect(ana.page.getByTestId('lock-form')).toBeVisible();
  const raw = await rawIndexedDb(ana.page);
  expect(raw).toContain('Spare bicycle'); // public posts stay readable for the first paint: the dump sees the index
  for (const secret of ['Insulin fridge', 'blue door', 'signSecretKey', 'boxSecretKey', 'Beto', '"anchors"']) expect(raw).not.toContain(secret);

  // The real PIN opens everything.
  await unlock(ana.page, '2468');
  await expect(ana.page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await browse(ana.page);
  await expect(card(ana.page, 'Insulin fridge space')).toBeVisible();

  // Forced to unlock: the duress PIN shows the app with public posts only, nothing else.
  await ana.page.getByTestId('lock-now').click();
  await unlock(ana.page, '1357');
  await expect(ana.page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await browse(ana.page);
  await expect(card(ana.page, 'Spare bicycle')).toBeVisible();
  await expect(card(ana.page, 'Insulin fridge space')).toHaveCount(0);
  await ana.page.getByTestId('nav-messages').click();
  await expect(ana.page.getByTestId('conversation')).toHaveCount(0);
  await ana.page.getByTestId('nav-people').click();
  await expect(ana.page.getByTestId('how-to-get-vouched')).toBeVisible(); // a newcomer's view, not a blank page
  await expect(ana.page.getByTestId('person-row')).toHaveCount(0);
  await expect(ana.page.getByTestId('quick-exit')).toBeVisible();

  // Afterwards the real PIN opens nothing: the data key is gone.
  await ana.page.reload();
  await unlock(ana.page, '2468');
  await expect(ana.page.getByTestId('lock-error')).toHaveText('That PIN is not right.');
  const after = await rawIndexedDb(ana.page);
  expect(after).not.toContain('secret:identity');
  expect(after).not.toContain('solarpunk-docs');
  await ana.context.close();
  await beto.context.close();
});

test('Scenario: quick exit leaves for a harmless page and keeps the data; the wipe button asks first', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana');
  await post(ana.page, { kind: 'need', title: 'Candles' });
  await ana.page.getByTestId('quick-exit').click();
  await expect(ana.page).toHaveTitle('Unit converter');
  await ana.page.goto('/');
  await expect(card(ana.page, 'Candles')).toBeVisible();

  await tapNav(ana.page, 'settings');
  ana.page.once('dialog', (d) => void d.dismiss());
  await ana.page.getByTestId('wipe').click();
  await expect(ana.page.getByTestId('wipe')).toBeVisible(); // dismissed: nothing happened
  ana.page.once('dialog', (d) => void d.accept());
  await ana.page.getByTestId('wipe').click();
  await expect(ana.page).toHaveTitle('Unit converter');
  expect(await ana.page.evaluate(async () => (await indexedDB.databases()).length)).toBe(0);
  await ana.context.close();
});

test('Scenario: the dead man\'s switch wipes at the next start when the app was not unlocked in time', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana');
  await tapNav(ana.page, 'settings');
  await ana.page.getByTestId('deadman').selectOption('24');
  // Two days pass without an unlock: the stored time of the last unlock is moved back.
  await ana.page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res) => {
      const r = indexedDB.open('solarpunk-local');
      r.onsuccess = () => res(r.result);
    });
    await new Promise<void>((res) => {
      const tx = db.transaction('settings', 'readwrite');
      tx.objectStore('settings').put({ key: 'lastUnlock', value: Date.now() - 48 * 3600_000 });
      tx.oncomplete = () => res();
    });
    db.close();
  });
  await ana.page.reload();
  await expect(ana.page).toHaveTitle('Unit converter');
  expect(await ana.page.evaluate(async () => (await indexedDB.databases()).length)).toBe(0);
  await ana.context.close();
});

test('Scenario: a key backup restores the same identity on a new phone; a wrong passphrase is refused', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana');
  await tapNav(ana.page, 'settings');
  // The key itself is machine text: a person sees it once they open Details under "Your identity".
  await expect(ana.page.getByTestId('identity-key')).toBeHidden();
  await ana.page.getByTestId('identity-details').locator('summary').click();
  const id = (await ana.page.getByTestId('identity-key').textContent())!.trim();
  await ana.page.getByTestId('backup-passphrase').fill('correct horse battery');
  await ana.page.getByTestId('make-backup').click();
  const backup = await ana.page.getByTestId('backup-text').inputValue();
  expect(backup).toMatch(/^spmk2:/);

  const phone2 = await openPhone(browser, relay.url);
  await phone2.page.getByTestId('welcome-restore').click();
  await phone2.page.getByTestId('restore-text').fill(backup);
  await phone2.page.getByTestId('restore-passphrase').fill('wrong horse battery');
  await phone2.page.getByTestId('welcome-next').click();
  await expect(phone2.page.getByTestId('welcome-error')).toHaveText('Wrong passphrase for this backup.');
  await phone2.page.getByTestId('restore-passphrase').fill('correct horse battery');
  await phone2.page.getByTestId('welcome-next').click();
  await phone2.page.getByTestId('welcome-next').click(); // no PIN
  await phone2.page.getByTestId('join').click();
  await expect(phone2.page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await tapNav(phone2.page, 'settings');
  await phone2.page.getByTestId('identity-details').locator('summary').click();
  await expect(phone2.page.getByTestId('identity-key')).toHaveText(id);
  await ana.context.close();
  await phone2.context.close();
});

test('Scenario: a replayed message is shown once, a tampered one is refused with its reason', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  const beto = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana');
  await join(beto.page, 'Beto');
  const sent = ana.page.waitForRequest((r) => r.url().endsWith('/api/inbox') && r.method() === 'POST');
  await messageTo(ana.page, 'Beto', 'Soup at six');
  const envelope = (await sent).postDataBuffer()!;
  await expect(beto.page.getByTestId('nav-unread')).toHaveText('1', { timeout: 30_000 });

  // A relay (or anyone) hands the same envelope over again, twice, and a copy with one byte changed.
  const handOver = (body: Buffer) => fetch(`${relay.url}/api/inbox`, { method: 'POST', body: new Uint8Array(body) as BodyInit });
  expect((await handOver(envelope)).status).toBe(202);
  expect((await handOver(envelope)).status).toBe(202);
  const tampered = Buffer.from(envelope);
  tampered[tampered.length - 5] ^= 1; // inside the ciphertext: still a well-formed envelope
  expect((await handOver(tampered)).status).toBe(202);

  await tapNav(beto.page, 'settings');
  await expect(beto.page.getByTestId('diag-messages')).toHaveText('Messages refused: altered on the way (1)', { timeout: 30_000 });
  await beto.page.getByTestId('nav-messages').click();
  await beto.page.getByTestId('conversation').filter({ hasText: 'Ana' }).click();
  await expect(beto.page.getByTestId('message')).toHaveCount(1);
  await ana.context.close();
  await beto.context.close();
});
