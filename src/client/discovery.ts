import type { Identity } from '../core/crypto/keys.ts';
import type { IslandAnswer } from '../core/discovery/client.ts';
import { UserError } from './errors.ts';
import type { RelayHttp } from './ports.ts';
import { Store } from './store.ts';
import type { SecretStore } from './vault.ts';

export type { IslandAnswer } from '../core/discovery/client.ts';

export interface RecentSearch {
  id: string;
  text: string;
  created: number;
  expires: number;
}

export interface DiscoveryState {
  /** My recent searches of other islands (answers are kept by the relay until they expire). */
  searches: RecentSearch[];
}

const KEEP = 10;

/**
 * Discovery: a search that travels to islands this one is not connected to. The relay answers from its
 * own island at once; other islands answer when a bridge has carried the query there and back.
 */
export class Discovery {
  readonly state = new Store<DiscoveryState>({ searches: [] });

  constructor(
    private readonly relay: RelayHttp,
    private readonly secrets: SecretStore,
    private readonly me: () => Identity | undefined,
  ) {}

  async load(): Promise<void> {
    this.state.set({ searches: ((await this.secrets.get<RecentSearch[]>('searches')) ?? []).filter((x) => x.expires > Date.now()) });
  }

  async search(input: { text: string; kind?: 'offer' | 'need'; category?: string; area?: string }): Promise<string> {
    const { DiscoveryError } = await import('../core/discovery/index.ts');
    const { askIslands, DiscoveryHttpError } = await import('../core/discovery/client.ts');
    let query;
    try {
      query = await askIslands(this.relay.base, this.relay.fetch, { text: input.text, kind: input.kind, category: input.category, area: input.area }, Date.now(), this.me());
    } catch (err) {
      if (err instanceof DiscoveryError) throw new UserError(`search.${err.code}`);
      if (err instanceof DiscoveryHttpError) throw new UserError(err.status === 429 ? 'search.rate-limited' : 'search.bad-shape');
      throw new UserError('error.relayUnreachable');
    }
    const searches = [{ id: query.id, text: query.text, created: query.created, expires: query.expires }, ...this.state.state.searches.filter((x) => x.expires > Date.now())].slice(0, KEEP);
    this.state.set({ searches });
    await this.secrets.put('searches', searches);
    return query.id;
  }

  async answers(id: string): Promise<IslandAnswer[]> {
    const { islandAnswers } = await import('../core/discovery/client.ts');
    return (await islandAnswers(this.relay.base, this.relay.fetch, id).catch(() => undefined)) ?? [];
  }
}
