export * from './types.ts';
export * from './validate.ts';
export * from './intent.ts';
export * from './event.ts';
export * from './community.ts';
export * from './feed.ts';
export * from './query.ts';
export * from './agreement.ts';
