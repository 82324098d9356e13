import type { Page } from '@playwright/test';
import { join } from '../e2e/phone.ts';
import { bridgeMovesOn, islandIdle, type Islands } from './islands.ts';
import { synced } from './phone-synced.ts';

/**
 * Where every scenario between people on different islands starts: the founder makes the community
 * on island A, the bridge carries it to island B, and the second member joins there. The bridge is
 * left linked to B only.
 */
export async function membersOnTwoIslands(t: Islands, phone: (url: string) => Promise<Page>, founder: string, member: string): Promise<{ onA: Page; onB: Page }> {
  const onA = await phone(t.a.url);
  await join(onA, founder);
  await synced(onA);
  await islandIdle(t.a.url);
  await t.linkA(true);
  await bridgeMovesOn(t, 'a');
  const onB = await phone(t.b.url);
  await join(onB, member);
  await synced(onB);
  return { onA, onB };
}
