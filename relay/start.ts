/**
 * What `node dist-relay/main.mjs` runs: registers the relay's module hooks (relay/automerge-hooks.ts),
 * then loads the relay itself (relay/main.ts, bundled as relay.mjs). The hooks must be in place before the
 * first import of Automerge, and a bundle's static imports all load before its first line runs, hence
 * two files.
 */
import { register } from 'node:module';

register('./automerge-hooks.mjs', import.meta.url);
// A name, not a literal: relay.mjs exists only beside the built file.
const relay = './relay.mjs';
await import(relay);
