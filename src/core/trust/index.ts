export * from './vouch.ts';
export * from './graph.ts';
export * from './score.ts';
export * from './explain.ts';
export * from './tiers.ts';
export * from './can.ts';
export * from './fingerprint.ts';
export * from './qr-payload.ts';
export { hopFactor } from './paths.ts';
