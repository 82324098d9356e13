import type { IntentKind } from '../model/types.ts';

/** A search that travels to other islands. Signed when `author` is present (then `sig` is required). */
export interface DiscoveryQuery {
  type: 'discovery-query';
  id: string;
  author?: string;
  sig?: string;
  text: string;
  category?: string;
  area?: string;
  kind?: IntentKind;
  created: number;
  expires: number;
  /** Node id of the relay that asked, e.g. `dtn://island-b/`: answers are addressed to it. */
  origin: string;
}

export interface DiscoveryResult {
  title: string;
  kind: IntentKind;
  category: string;
  area?: string;
  updated: number;
  authorName?: string;
}

/** What one island found for a query. */
export interface DiscoveryAnswer {
  type: 'discovery-answer';
  query: string;
  /** Node id of the answering relay. */
  island: string;
  /** A readable label for it (its node name, or its community's name). */
  islandName: string;
  results: DiscoveryResult[];
  created: number;
}

/** One publicly published record as the index holds it. */
export interface PublicRecord {
  /** Unique per record, e.g. `<author>/<intent id>`. */
  key: string;
  audience: string;
  title: string;
  text: string;
  kind: IntentKind;
  /** Category id, plus its readable name when known: a query may use either. */
  category: string;
  categoryName?: string;
  area?: string;
  areaName?: string;
  updated: number;
  expires?: number;
  authorName?: string;
}
