import { buildRelay } from '../scripts/build-relay.ts';

/** Relay tests run the bundled relay (plain Node, as `npm start` does): build it fresh once per run. */
export default async function setup(): Promise<void> {
  await buildRelay();
}
