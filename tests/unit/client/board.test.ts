import { describe, expect, it } from 'vitest';
import { Board } from '../../../src/client/board.ts';
import { intentRow } from '../../../src/client/local-store.ts';
import { memoryPages, memoryStore } from '../../../src/client/memory-store.ts';
import { pagedIntentTable } from '../../../src/client/paged-intents.ts';
import { PhoneVault } from '../../../src/client/vault.ts';
import { SealedRows } from '../../../src/client/sealed-rows.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { createIntent, setIntentStatus, type IntentInput } from '../../../src/core/model/intent.ts';

const [me, other] = [createIdentity(), createIdentity()];

/** A board over a real in-memory index and vault; `members` says whether I may see members-only posts. */
async function board(members: boolean) {
  const local = memoryStore();
  const vault = new PhoneVault(local);
  await vault.create(null, null);
  const b = new Board(local.intents, vault, { me: () => me.agentId, seeMembers: () => members }, new SealedRows(vault));
  let t = Date.now() - 100_000;
  const post = async (who: typeof me, input: Partial<IntentInput> & { title: string }) => {
    const rec = createIntent(who, { kind: 'offer', category: 'food', description: '', ...input }, t++);
    const rows = (await local.intents.open()).filter((r) => r.author === who.agentId);
    await local.intents.replaceAuthor(who.agentId, [...rows, intentRow(rec, (x) => vault.seal(x))]);
    return rec;
  };
  return { b, local, vault, post };
}
const titles = (b: Board) => b.state.state.intents.map((i) => i.name);

describe('client: the offers and needs list in Node', () => {
  it('Scenario: the list is newest first, filters by kind, text and area, and hides closed posts unless asked', async () => {
    const { b, local, post } = await board(true);
    await post(other, { title: 'Old bread', area: 'north' });
    const ladder = await post(other, { title: 'Ladder', category: 'tools', area: 'river' });
    await post(me, { title: 'Need rice', kind: 'need', area: 'north' });
    await b.refresh();
    expect(titles(b)).toEqual(['Need rice', 'Ladder', 'Old bread']);
    await b.setFilter({ kind: 'need' });
    expect(titles(b)).toEqual(['Need rice']);
    await b.setFilter({ text: 'bread' });
    expect(titles(b)).toEqual(['Old bread']);
    await b.setFilter({ area: 'river' });
    expect(titles(b)).toEqual(['Ladder']);

    const closed = setIntentStatus(other, ladder, 'fulfilled', Date.now());
    const rows = (await local.intents.open()).filter((r) => r.author === other.agentId && r.key !== `${other.agentId}/${ladder.id}`);
    await local.intents.replaceAuthor(other.agentId, [...rows, intentRow(closed)]);
    await b.setFilter({});
    expect(titles(b)).not.toContain('Ladder');
    await b.setFilter({ includeClosed: true });
    expect(titles(b)).toContain('Ladder');
    expect(await b.find(`${other.agentId}/${ladder.id}`)).toMatchObject({ status: 'fulfilled' });
  });

  it('Scenario: members-only posts show to members and to their author only; the printed noticeboard lists public posts only', async () => {
    const outsider = await board(false);
    await outsider.post(other, { title: 'Quiet room', audience: 'trusted' });
    await outsider.post(me, { title: 'My quiet offer', audience: 'trusted' });
    await outsider.post(other, { title: 'Open soup' });
    await outsider.b.refresh();
    expect(titles(outsider.b)).toEqual(['Open soup', 'My quiet offer']);
    expect(outsider.b.state.state.totalMatches).toBe(2);

    const member = await board(true);
    await member.post(other, { title: 'Quiet room', audience: 'trusted' });
    await member.post(other, { title: 'Open soup' });
    await member.b.refresh();
    expect(titles(member.b)).toEqual(['Open soup', 'Quiet room']);
    const printed = await member.b.noticeboard();
    expect([...printed.offers, ...printed.needs].map((r) => JSON.stringify(r)).join()).not.toContain('Quiet room');
    expect(JSON.stringify(printed.offers)).toContain('Open soup');
  });

  it('Scenario: the list shows fifty at a time and says how many match in all', async () => {
    const { b, post } = await board(true);
    for (let i = 1; i <= 120; i++) await post(other, { title: `Jar ${i}` });
    await b.refresh();
    expect(b.state.state.intents).toHaveLength(50);
    expect(b.state.state.totalMatches).toBe(120);
    expect(titles(b)[0]).toBe('Jar 120');
    await b.showMore();
    await b.showMore();
    expect(b.state.state.intents).toHaveLength(120);
  });

  it('Scenario: the first page of members-only posts is shown before they are all counted; a recount keeps the last count', async () => {
    const { b, post } = await board(true);
    for (let i = 1; i <= 60; i++) await post(other, { title: `Quiet jar ${i}`, audience: 'trusted' });
    const seen: Array<{ shown: number; total: number; counting: boolean }> = [];
    b.state.subscribe((s) => seen.push({ shown: s.intents.length, total: s.totalMatches, counting: s.counting }));
    await b.refresh();
    // The page first, with "the newest 50" in place of a count; then the count.
    expect(seen.slice(1)).toEqual([
      { shown: 50, total: 50, counting: true },
      { shown: 50, total: 60, counting: false },
    ]);
    seen.length = 0;
    await b.refresh();
    expect(seen.every((s) => s.total === 60 && !s.counting)).toBe(true);
  });

  it('Scenario: after a restart the first page is painted from the index head before every post is read, and the posts read in full replace it', async () => {
    const { vault } = await board(true);
    const pages = memoryPages();
    const before = pagedIntentTable(pages);
    const t = Date.now() - 100_000;
    const jar = (i: number) => intentRow(createIntent(other, { kind: 'offer', category: 'food', description: '', title: `Jar ${i}` }, t + i));
    await before.putRows(Array.from({ length: 120 }, (_, i) => jar(i + 1)));
    // A tab of an older build, still open, adds a post without writing the head: the head is now behind.
    await pagedIntentTable({ ...pages, write: (put, remove) => pages.write(put, remove) }).putRows([jar(121)]);

    let pagesRead = 0;
    const restarted = pagedIntentTable({ ...pages, all: async () => (pagesRead++, pages.all()) });
    const b = new Board(restarted, vault, { me: () => me.agentId, seeMembers: () => true }, new SealedRows(vault));
    let painted: { first: string; shown: number; counting: boolean; pagesRead: number } | undefined;
    await b.refresh(async () => {
      painted = { first: titles(b)[0], shown: titles(b).length, counting: b.state.state.counting, pagesRead };
    });
    expect(painted).toEqual({ first: 'Jar 120', shown: 50, counting: true, pagesRead: 0 });
    expect(titles(b)[0]).toBe('Jar 121');
    expect(b.state.state).toMatchObject({ totalMatches: 121, counting: false });
  });
});

