import type { RelayHttp } from './ports.ts';

/**
 * How long the phone waits for one answer from the hub. A request on a mesh link that went away mid-way
 * can stay unanswered for minutes (a browser sets no limit of its own), and each queue waits on its
 * request: while one alert's POST hung, every alert raised after it stayed "saved on this phone" long
 * after the link came back, and so did messages and the status line. A minute is long enough for the
 * largest library piece (1 MB) over a crowded 2 Mbit/s link.
 */
export const RELAY_ANSWER_MS = 60_000;

/** The hub's HTTP with that limit on every request that brings no signal of its own (which then decides). */
export function answeredWithin(relay: RelayHttp): RelayHttp {
  const ms = relay.answerWithinMs ?? RELAY_ANSWER_MS;
  return { ...relay, fetch: (input, init) => relay.fetch(input, init?.signal ? init : { ...init, signal: AbortSignal.timeout(ms) }) };
}
