import { expect as see, type Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { meshSuite } from '../helpers/mesh-suite.ts';
import { dtnStatus, relayStatus } from '../helpers/dtn-status.ts';
import { bridgeMovesOn, islandIdle, islands } from '../helpers/islands.ts';
import { join, post } from '../e2e/phone.ts';

// openspec/specs/discovery/spec.md — a search from island B answered by island A through the bridge.
const suite = meshSuite();

const phone = suite.phone;

describe('mesh: discovery across islands', () => {
  it('Scenario: a phone on B searches for an offer that exists only on A and, after the bridge passes both ways, sees it labelled with its island', async () => {
    // Two communities: B does not replicate A's docs, so only discovery can find A's offer.
    const t = suite.use(await islands({ shareCommunity: false }));
    const ana = await phone(t.a.url);
    await join(ana, 'Ana');
    await post(ana, { kind: 'offer', title: 'Ceramic water filter', category: 'tools' });
    await post(ana, { kind: 'offer', title: 'Water filter cartridges (members only)', category: 'tools', audience: 'trusted' });
    await islandIdle(t.a.url);

    const beto = await phone(t.b.url);
    await join(beto, 'Beto');
    await beto.getByTestId('search-islands').click();
    await beto.getByTestId('search-text').fill('water filter');
    await beto.getByTestId('search-submit').click();
    await see(beto.getByText('No answers yet')).toBeVisible();

    // The bridge takes the query from B to A, and A's answer back to B.
    await t.linkB(true);
    await bridgeMovesOn(t, 'b');
    await expect.poll(async () => (await relayStatus<{ discovery?: { answered: number } }>(t.a.url)).discovery?.answered ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    await bridgeMovesOn(t, 'a');

    const result = beto.getByTestId('search-result').filter({ hasText: 'Ceramic water filter' });
    await see(result).toBeVisible({ timeout: 60_000 });
    await see(result.getByTestId('result-island')).toContainText('from island-a');
    // Only public posts leave their island.
    await see(beto.getByTestId('search-result').filter({ hasText: 'members only' })).toHaveCount(0);
    expect((await dtnStatus(t.b.url)).peersSeen).toEqual(['dtn://bridge/']);
  });
});
