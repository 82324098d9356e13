export * from './errors.ts';
export * from './kdf.ts';
export * from './secretbox.ts';
export * from './lock.ts';
export * from './backup.ts';
export * from './storage-adapter.ts';
export * from './timers.ts';
export * from './panic.ts';
