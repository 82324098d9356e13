import { initializeWasm } from '@automerge/automerge-repo/slim';
import wasmUrl from '@automerge/automerge/automerge.wasm?url';
import { compilePackedWasm, wantsPackedWasm } from './packed-wasm.ts';

let ready: Promise<void> | undefined;

/**
 * The wasm is fetched as a separate file (not inlined as base64) so the service worker can precache
 * it and the JS bundle stays small; it is compiled only after the first list has rendered.
 */
export function automergeReady(): Promise<void> {
  // A failed fetch is not kept: the next call (loadModule's retry) fetches again.
  ready ??= load().catch((err: unknown) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

/** From the packed copy where that is smaller on the wire, else (or when it fails) the wasm itself. */
async function load(): Promise<void> {
  if (wantsPackedWasm()) {
    try {
      // wasm-bindgen's init takes a compiled module too (it instantiates it); Automerge's type names only URLs and bytes.
      return await initializeWasm((await compilePackedWasm(wasmUrl)) as unknown as Uint8Array);
    } catch (err) {
      console.warn('the packed Automerge wasm could not be used; fetching it whole', err);
    }
  }
  await initializeWasm(wasmUrl);
}
