import path from 'node:path';
import { expect as see, type Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { meshSuite } from '../helpers/mesh-suite.ts';
import { bridgeMovesOn, islandIdle, islands } from '../helpers/islands.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { membersOnTwoIslands } from '../helpers/members-on-two-islands.ts';
import { filesUnder } from '../helpers/files.ts';
import { tapNav } from '../e2e/phone.ts';

// openspec/specs/private-messaging/spec.md — a message crosses islands through the bridge, receipt back.
const suite = meshSuite();

const phone = suite.phone;

describe('mesh: private messages between islands', () => {
  it('Scenario: a message from a phone on island A reaches a phone on island B through the bridge, with a receipt back', async () => {
    const t = suite.use(await islands());
    const text = 'The seed library opens at noon — bring jars';
    // Ana founds the community on A; the bridge carries it to B, where Beto joins; it brings his profile back to A.
    const { onA: ana, onB: beto } = await membersOnTwoIslands(t, phone, 'Ana Lucía', 'Beto');
    await islandIdle(t.b.url);
    await bridgeMovesOn(t, 'b');

    await ana.getByTestId('nav-people').click();
    await see(ana.getByTestId('member-row').filter({ hasText: 'Beto' })).toBeVisible({ timeout: 60_000 });
    await ana.getByTestId('member-row').filter({ hasText: 'Beto' }).click();
    await ana.getByTestId('message-person').click();
    await ana.getByTestId('compose').fill(text);
    const bridgeHeld = (await dtnStatus(t.bridgeStatusUrl())).store.count;
    await ana.getByTestId('send').click();
    await see(ana.getByTestId('message').filter({ hasText: text }).getByTestId('message-status')).toHaveText('sent', { timeout: 30_000 }); // said once the relay on A holds it
    await see(ana.getByTestId('outbox')).toHaveCount(0); // the relay on A took custody
    // The bridge holds the envelope before it leaves: A's "nothing pending" alone was read once before
    // the new bundle counted (run 15), and the bridge left with the message still on A.
    await expect.poll(async () => (await dtnStatus(t.bridgeStatusUrl())).store.count, { timeout: 30_000 }).toBeGreaterThan(bridgeHeld);
    await bridgeMovesOn(t, 'a');

    // Beto's phone fetches it from island B's relay; reading it sends a receipt.
    await see(beto.getByTestId('nav-unread')).toHaveText('1', { timeout: 60_000 });
    await beto.getByTestId('nav-messages').click();
    await beto.getByTestId('conversation').filter({ hasText: 'Ana Lucía' }).click();
    await see(beto.getByTestId('message')).toHaveText(new RegExp(text));
    await see(beto.getByTestId('nav-unread')).toHaveCount(0);
    await beto.getByTestId('nav-messages').click();
    await see(beto.getByTestId('outbox')).toHaveCount(0, { timeout: 20_000 }); // the receipt is with relay B
    await bridgeMovesOn(t, 'b');
    await see(ana.getByTestId('message').filter({ hasText: text }).getByTestId('message-status')).toHaveText('delivered', { timeout: 60_000 });

    // No relay's store holds the text; a bundle names its recipient (routing needs it) but never its sender.
    const idOf = async (page: Page) => {
      await tapNav(page, 'settings');
      return (await page.locator('.key').textContent())!.trim();
    };
    const [anaId, betoId] = [await idOf(ana), await idOf(beto)];
    const people = [
      { id: anaId, name: 'Ana Lucía' },
      { id: betoId, name: 'Beto' },
    ];
    let inboxBundles = 0;
    for (const dir of t.dataDirs()) {
      for (const bytes of await filesUnder(path.join(dir, 'bundles'), '.bundle')) {
        expect(bytes.indexOf(Buffer.from('seed library'))).toBe(-1);
        const recipient = people.find((p) => bytes.indexOf(Buffer.from(`${p.id}/~inbox`)) >= 0);
        if (!recipient) continue;
        inboxBundles++;
        const sender = people.find((p) => p !== recipient)!;
        expect(bytes.indexOf(Buffer.from(sender.id))).toBe(-1);
        expect(bytes.indexOf(Buffer.from(sender.name))).toBe(-1);
      }
    }
    expect(inboxBundles).toBeGreaterThanOrEqual(4); // the message and its receipt, each on at least two relays
  });
});
