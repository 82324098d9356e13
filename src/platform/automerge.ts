import { initializeWasm } from '@automerge/automerge-repo/slim';
import wasmUrl from '@automerge/automerge/automerge.wasm?url';

let ready: Promise<void> | undefined;

/**
 * The wasm is fetched as a separate file (not inlined as base64) so the service worker can precache
 * it and the JS bundle stays small; it is compiled only after the first list has rendered.
 */
export function automergeReady(): Promise<void> {
  // A failed fetch is not kept: the next call (loadModule's retry) fetches again.
  ready ??= initializeWasm(wasmUrl).catch((err: unknown) => {
    ready = undefined;
    throw err;
  });
  return ready;
}
