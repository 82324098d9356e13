export * from './encoding.ts';
export * from './canonical.ts';
export * from './keys.ts';
export * from './sign.ts';
