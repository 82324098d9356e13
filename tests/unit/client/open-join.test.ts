import { Repo } from '@automerge/automerge-repo';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH_HEADER, verifyRequest } from '../../../src/core/protocol/auth.ts';
import { Route } from '../../../src/core/protocol/routes.ts';
import { makeCommunity, makePhone, type TestPhone } from './harness.ts';

// openspec/changes/open-join-by-setting/specs/island-sync/spec.md — the phone's side of open join. The
// hub here answers /api/info and /api/open-join only, as the real one does (tests/adversary/open-join.test.ts).

interface Hub {
  /** What /api/info says of the hub's community (never its URL once founded). */
  info: { id: string; name: string; founder?: string; openJoin?: boolean; awaitingOrganiser?: boolean };
  /** The community /api/open-join hands a signed request, or none (404). */
  open?: { url: string; name: string; founder?: string };
  /** The keys that asked /api/open-join with a good signature. */
  askedBy: string[];
}

function hubFetch(hub: Hub): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const path = new URL(String(input)).pathname;
    if (path === Route.info) return Response.json({ app: 'solarpunk-mesh', communities: [hub.info] });
    if (path !== Route.openJoin) return new Response('{}', { status: 404 });
    const v = verifyRequest(new Headers(init?.headers).get(AUTH_HEADER) ?? undefined, { method: 'GET', path: Route.openJoin });
    if (!v.ok) return Response.json({ error: v.reason, code: 'unsigned' }, { status: 401 });
    hub.askedBy.push(v.agent);
    return hub.open ? Response.json(hub.open) : Response.json({ error: 'no', code: 'invite-needed' }, { status: 404 });
  }) as typeof fetch;
}

const phones: TestPhone[] = [];
const repos: Repo[] = [];
afterEach(async () => {
  for (const p of phones.splice(0)) p.phone.stop();
  for (const r of repos.splice(0)) await r.shutdown();
});

function setUp(open: boolean, extra: Partial<Hub['info']> = {}) {
  const repo = new Repo({});
  repos.push(repo);
  const community = makeCommunity(repo, 'Riverside', true);
  const hub: Hub = {
    info: { id: community.id, name: 'Riverside', founder: community.founder, ...(open ? { openJoin: true } : {}), ...extra },
    ...(open ? { open: { url: community.url, name: 'Riverside', founder: community.founder } } : {}),
    askedBy: [],
  };
  const beto = makePhone(repo, undefined, hubFetch(hub));
  phones.push(beto);
  return { community, hub, beto };
}

describe('joining a hub open to newcomers', () => {
  it('Scenario: a newcomer with the invite box left empty joins a hub whose community is open to newcomers', async () => {
    const { community, hub, beto } = setUp(true);
    await beto.phone.boot();
    await beto.phone.join('Beto', '');
    const me = beto.phone.session.state.state.me!.agentId;
    // It asked as the key it joined with, and pinned the founder the hub named.
    expect(hub.askedBy).toEqual([me]);
    expect(beto.phone.docs.communityUrl).toBe(community.url);
    expect(beto.phone.community.pinned.founder).toBe(community.founder);
    expect(beto.phone.community.state.state.members[me]).toBe('Beto');
  });

  it('Scenario: on an invite-only hub the phone still says an invite is needed, and asks for no address', async () => {
    const { hub, beto } = setUp(false);
    await beto.phone.boot();
    await expect(beto.phone.join('Beto', '')).rejects.toThrow('join.inviteNeeded');
    expect(hub.askedBy).toEqual([]);
    // A hub that says open but has closed again by the time the phone asks: the same words.
    const late = setUp(false, { openJoin: true });
    await late.beto.phone.boot();
    await expect(late.beto.phone.join('Carla', '')).rejects.toThrow('join.inviteNeeded');
    expect(late.hub.askedBy).toHaveLength(1);
  });
});
