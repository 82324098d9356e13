export * from './types.ts';
export * from './errors.ts';
export * from './hash.ts';
export * from './chunk.ts';
export * from './manifest.ts';
export * from './reassemble.ts';
export * from './client.ts';
