/** The phone↔relay↔bridge contract: one place for every format the parts exchange. */
export * from './audience.ts';
export * from './auth.ts';
export * from './automerge-url.ts';
export * from './beacon.ts';
export * from './carry.ts';
export * from './contact-event.ts';
export * from './endpoints.ts';
export * from './invite.ts';
export * from './packed-wasm.ts';
export * from './priority.ts';
export * from './routes.ts';
