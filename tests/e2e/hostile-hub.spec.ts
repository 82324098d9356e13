import * as Automerge from '@automerge/automerge';
import { cbor } from '@automerge/automerge-repo';
import type { BrowserContext, WebSocketRoute } from '@playwright/test';
import { Route } from '../../src/core/protocol/routes.ts';
import { opBomb } from '../helpers/op-bomb.ts';
import { relayPerTest } from './relay-per-test.ts';
import { expect, test } from './fixtures.ts';
import { join, openTouchPhone, post } from './phone.ts';

// openspec/specs/island-sync/spec.md — a phone weighs what its hub sends before Automerge takes it in.
// The hub gone bad is the real relay with a man in the middle on the phone's socket (Playwright's
// routeWebSocket): everything passes both ways, and the test slips in one message of its own.

const relay = relayPerTest();

interface Frame {
  type: string;
  senderId: string;
}

/** The phone's sync socket as a hub gone bad holds it: who is at each end, and a way to send as the hub. */
interface HeldSocket {
  phone?: string;
  hub?: string;
  toPhone?: WebSocketRoute;
}

function holdSyncSocket(held: HeldSocket) {
  return async (context: BrowserContext) => {
    await context.routeWebSocket(new RegExp(`${Route.sync}(\\?|$)`), (ws) => {
      const server = ws.connectToServer();
      held.toPhone = ws;
      const sender = (m: string | Buffer) => (typeof m === 'string' ? undefined : (cbor.decode(new Uint8Array(m)) as Frame));
      ws.onMessage((m) => {
        const f = sender(m);
        if (f?.type === 'join') held.phone = f.senderId;
        server.send(m);
      });
      server.onMessage((m) => {
        const f = sender(m);
        if (f?.type === 'peer') held.hub = f.senderId;
        ws.send(m);
      });
    });
  };
}

for (const [locale, allSent, refusedLine] of [
  ['en', 'Everything sent', 'The community hub sent 1 update too big to take in safely. This phone left it out; what it holds is safe. Tell an organiser.'],
  ['es', 'Todo enviado', 'El centro de la comunidad envió 1 actualización demasiado grande para recibirla con seguridad. Este teléfono la dejó fuera; lo que guarda está a salvo. Avisa a quien organiza.'],
] as const) {
  test(`Scenario: a hub that sends millions of changes at once is left out, the person is told, and the phone keeps working (${locale})`, async ({ browser }) => {
    const held: HeldSocket = {};
    const { page } = await openTouchPhone(browser, relay.url, locale, holdSyncSocket(held));
    await join(page, 'Ana');
    await expect(page.getByTestId('pending')).toHaveText(allSent);
    const community = ((await (await fetch(`${relay.url}${Route.info}`)).json()) as { communities: Array<{ url: string }> }).communities[0]!.url;
    expect(held.phone && held.hub).toBeTruthy();

    // About 30 KB that Automerge would take in as 5.4 million ops, sent as the hub about the community doc.
    const bomb = opBomb(200_000, 26);
    const data = Automerge.encodeSyncMessage({ heads: [], need: [], have: [], changes: bomb.changes });
    held.toPhone!.send(Buffer.from(cbor.encode({ type: 'sync', senderId: held.hub, targetId: held.phone, documentId: community.replace(/^automerge:/, ''), data })));
    await expect(page.getByTestId('hub-refused')).toHaveText(refusedLine);

    // The same socket keeps syncing: a post made now reaches the hub.
    await post(page, { kind: 'offer', title: 'Jars for the seed library' });
    await expect(page.getByRole('heading', { name: 'Jars for the seed library' })).toBeVisible();
    await expect(page.getByTestId('pending')).toHaveText(allSent);
  });
}
