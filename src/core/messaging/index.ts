export * from './types.ts';
export { isAgentId, isMessageId } from './checks.ts';
export { PAD_BLOCK, MAX_PLAINTEXT } from './padding.ts';
export * from './seal.ts';
export * from './codec.ts';
export * from './inbox.ts';
export * from './outbox.ts';
