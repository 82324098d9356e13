import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/client/errors.ts';
import { LIBRARY_FILE_MB } from '../../../src/client/community-settings.ts';
import { Route } from '../../../src/core/protocol/routes.ts';
import { en } from '../../../src/app/i18n/en.ts';
import { es } from '../../../src/app/i18n/es.ts';
import { message } from '../../../src/app/i18n/message.ts';
import { until } from './harness.ts';
import { memoryRelay } from './memory-relay.ts';
import { makeOrganiser, twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();

describe('client: the library on the phone in Node', () => {
  it('Scenario: a file shared with no relay in reach stays on the phone, sealed, and opens whole; dropping it frees its chunks', async () => {
    const { ana } = await suite.founderAndNewcomer({ vouch: false });
    const library = ana.phone.library!;
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
    const progress: number[] = [];
    const shared = await library.share(bytes, { name: 'seeds.pdf', mime: 'application/pdf', licence: 'CC-BY-4.0', audience: 'public' }, (done) => progress.push(done)).catch((e: unknown) => e);
    expect(shared).toBeInstanceOf(Error); // the upload failed: no relay
    const files = await library.list();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ pinned: true, relay: null, manifest: { name: 'seeds.pdf' } });
    expect(files[0].here.done).toBe(true);
    // Chunks are sealed at rest: the file's bytes are not in storage as they are.
    const chunk = await ana.local.chunks.get(files[0].manifest.chunks[0]);
    expect(Buffer.from(chunk!.sealed).includes(Buffer.from(bytes.subarray(0, 64)))).toBe(false);
    const blob = await library.open(files[0].manifest);
    expect(new Uint8Array(await blob!.arrayBuffer())).toEqual(bytes);
    expect(await library.spaceUsed()).toBe(bytes.length);

    await library.drop(files[0].manifest.id);
    expect(await library.list()).toEqual([]);
    expect(await library.spaceUsed()).toBe(0);
  });

  it('Scenario: a file larger than the community’s signed limit is refused with the limit in plain words and nothing is shared', async () => {
    // A relay in reach that notes what each phone sends it: a refused file must not reach it at all.
    const relay = memoryRelay();
    const sent: string[] = [];
    const watched: typeof fetch = (input, init) => {
      sent.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return relay.fetch(input, init);
    };
    const { repo, community, ana, ben, anaId } = await suite.founderAndNewcomer({ vouch: false, founded: true, relay: watched });
    await makeOrganiser(repo, community, anaId, ana);
    // The organiser signs a 1 MB limit; every member's phone reads it.
    await ana.phone.communitySettings.save({ limits: { ...ana.phone.community.view().settings.limits, [LIBRARY_FILE_MB]: 1 } });
    await until(() => ben.phone.community.view().settings.limits[LIBRARY_FILE_MB] === 1, 'Ben reads the 1 MB limit');

    const library = ben.phone.library!;
    const tooBig = new Uint8Array(1024 * 1024 + 1).map((_, i) => i % 251);
    sent.length = 0;
    const refused = await library.share(tooBig, { name: 'flood-map.pdf', mime: 'application/pdf', licence: 'CC-BY-4.0', audience: 'public' }, () => undefined).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    const { message: key, params } = refused as UserError;
    expect(key).toBe('library.overCommunityLimit');
    // What the Library screen shows, in each language: the limit itself, so the person knows what fits.
    expect(message(en, en, 'en', key, params)).toBe('This file is larger than your community allows: files can be up to 1 MB. Share a smaller file, or ask an organiser.');
    expect(message(es, en, 'es', key, params)).toContain('hasta 1 MB');
    // Nothing was shared: no request to the relay, nothing kept on the phone.
    expect(sent.filter((r) => r.includes(Route.library))).toEqual([]);
    expect(await library.spaceUsed()).toBe(0);
    expect(await library.list()).toEqual([]);

    // A file within the limit goes on as usual: kept here and offered to the relay.
    const fits = tooBig.subarray(0, 1024 * 1024);
    await library.share(fits, { name: 'leaflet.pdf', mime: 'application/pdf', licence: 'CC-BY-4.0', audience: 'public' }, () => undefined).catch(() => undefined);
    expect(sent.some((r) => r.startsWith(`POST ${Route.libraryManifests}`))).toBe(true);
    expect((await library.list()).map((f) => f.manifest.size)).toEqual([fits.length]);
  });
});
