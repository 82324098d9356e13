import { fixPatchCache, PATCH_CACHE_BEFORE } from './scripts/automerge-patch-cache.ts';
import { DEBUG_SECTIONS, withoutCustomSections } from './scripts/wasm-custom-sections.ts';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { MANIFEST_FILES, webManifest } from './src/app/web-manifest.ts';
import { localeFinishEn } from './src/app/i18n/strings/locale-finish.en.ts';
import { localeFinishEs } from './src/app/i18n/strings/locale-finish.es.ts';

/**
 * The relay's Content-Security-Policy allows no eval. cbor-x (inside automerge-repo) probes for it with
 * `new Function('')` at load, which the browser reports as a violation on every start; its authors leave
 * the call for builds like this one to swap for `BlockedFunction` (undefined, so the probe fails quietly
 * and cbor-x never compiles decoders from strings). Fails the build if an upgrade moved the probe.
 */
function cborWithoutEval(): Plugin {
  const probe = "new Function('')";
  return {
    name: 'spm-cbor-x-without-eval',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]cbor-x[\\/]decode\.js$/.test(id)) return null;
      if (!code.includes(probe)) this.error(`cbor-x: eval probe "${probe}" not found in ${id}; check the CSP build`);
      return { code: code.replace(probe, "new BlockedFunction('')"), map: null };
    },
  };
}

/**
 * Automerge's wasm glue turns every string it hands to JS (each key, each scalar, each patch's path) into
 * a JS string with one TextDecoder call. In Chromium each call costs microseconds however short the
 * string: a newcomer taking in a 10,000-post feed spent 2.5 s of a 10 s join in those calls, where Node,
 * the baseline's runtime, spends a fraction (bench/lib/profile-join.ts). Short ASCII strings — almost all
 * of them — are built here directly; anything else still goes to the decoder. Fails the build if an
 * upgrade changed the glue.
 */
function automergeShortStrings(): Plugin {
  const head = 'function decodeText(ptr, len) {';
  const helper = fileURLToPath(new URL('./src/platform/short-ascii.ts', import.meta.url));
  const fast = `${head}\n    const short = shortAscii(getUint8ArrayMemory0(), ptr, len);\n    if (short !== undefined) return short;`;
  return automergeFileFix('short-strings', 'wasm_bindgen_output/web/automerge_wasm.js', `"${head}" (the short-string fast path)`, (code) =>
    code.includes(head) && code.includes('function getUint8ArrayMemory0()') ? `import { shortAscii } from ${JSON.stringify(helper)};\n${code.replace(head, fast)}` : null,
  );
}

/** Automerge's patch cache records the right "before" heads (scripts/automerge-patch-cache.ts). */
function automergePatchCache(): Plugin {
  return automergeFileFix('patch-cache', 'implementation.js', `"${PATCH_CACHE_BEFORE}" once (scripts/automerge-patch-cache.ts)`, fixPatchCache);
}

/**
 * A build-time fix to one file of Automerge's dist/mjs (`file`, with forward slashes). `fix` returns the
 * fixed code, or null when the file no longer has what it replaces: the build then fails, as it does when
 * the file never came through at all (an upgrade moved it), so no phone ships without the fix unnoticed.
 */
function automergeFileFix(name: string, file: string, what: string, fix: (code: string) => string | null): Plugin {
  const path = new RegExp(`[\\\\/]@automerge[\\\\/]automerge[\\\\/]dist[\\\\/]mjs[\\\\/]${file.replace(/\./g, '\\.').replace(/\//g, '[\\\\/]')}$`);
  let applied = false;
  return {
    name: `spm-automerge-${name}`,
    enforce: 'pre',
    generateBundle() {
      if (!applied) this.error(`automerge: ${file} never came through the ${name} fix (moved?)`);
    },
    transform(code, id) {
      if (!path.test(id)) return null;
      const fixed = fix(code);
      if (fixed === null) this.error(`automerge: ${what} not found in ${id}`);
      applied = true;
      return { code: fixed, map: null };
    },
  };
}

/**
 * The Spanish web app manifest, beside the English one the PWA plugin writes: a Spanish phone installs
 * the app with Spanish words (src/app/web-manifest.ts). Emitted with the bundle, so the service worker's
 * precache (built from the written files) holds it too.
 */
function spanishManifest(): Plugin {
  return {
    name: 'spm-spanish-manifest',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: MANIFEST_FILES.es, source: JSON.stringify(webManifest('es', localeFinishEs)) });
    },
  };
}

/**
 * Screens load per route (src/app/routes.ts); the screens of one feature slice (src/app/features/<name>/)
 * share a chunk, named for the slice: people use them together, and 21 tiny chunks would compress worse and
 * cost a request each. Only .svelte files are grouped, so a slice's lazily imported helpers (the QR
 * scanner and its decoder) stay out of the chunk until they are needed.
 */
/**
 * The Automerge wasm as phones get it, without its function names (scripts/wasm-custom-sections.ts):
 * 51 KB fewer brotli bytes (793 → 742 KB) before a newcomer can join over a mesh link. A panic's stack
 * trace in the console then names wasm functions by number.
 */
function wasmWithoutDebugNames(): Plugin {
  return {
    name: 'spm-wasm-without-debug-names',
    apply: 'build',
    generateBundle(_, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.wasm')) continue;
        const bytes = typeof file.source === 'string' ? new TextEncoder().encode(file.source) : file.source;
        file.source = withoutCustomSections(bytes, DEBUG_SECTIONS);
      }
    },
  };
}

const FEATURE_SCREEN = /[\\/]src[\\/]app[\\/]features[\\/]([\w-]+)[\\/][^\\/]+\.svelte/;

/**
 * What the agents' worker may leave out when it uses none of it. tweetnacl is CommonJS, so the bundler
 * keeps it wherever it is imported, used or not; its only effect at load is to set its own random source.
 * Automerge's wasm glue sets up module state for a wasm the worker never loads: the worker reaches
 * Automerge only to tell a scalar string from a plain one (src/core/model/scalar-strings.ts). Said so,
 * the worker drops both (11 KB and 5 KB gzip) when nothing it runs signs, checks, seals or opens a doc.
 */
const WORKER_WITHOUT_SIDE_EFFECTS = /[\\/]node_modules[\\/](tweetnacl|@automerge[\\/]automerge)[\\/]/;
const workerSideEffects = (id: string): boolean | undefined => (WORKER_WITHOUT_SIDE_EFFECTS.test(id) ? false : undefined);

export default defineConfig({
  // automerge-repo's second SHA-256 (fast-sha256) gives way to the @noble/hashes one the app already has.
  // bs58check's @noble/hashes 1 likewise gives way to version 2.
  resolve: {
    alias: [
      { find: /^fast-sha256$/, replacement: fileURLToPath(new URL('./src/platform/fast-sha256.ts', import.meta.url)) },
      { find: /^@noble\/hashes\/sha256$/, replacement: fileURLToPath(new URL('./src/platform/noble-sha256-v1.ts', import.meta.url)) },
    ],
  },
  plugins: [
    cborWithoutEval(),
    automergeShortStrings(),
    automergePatchCache(),
    wasmWithoutDebugNames(),
    svelte(),
    spanishManifest(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      includeAssets: ['icons/*.png'],
      manifest: webManifest('en', localeFinishEn),
      workbox: {
        // The Automerge wasm (~3.6 MB) must be precached or the app cannot start offline.
        globPatterns: ['**/*.{js,css,html,wasm,png,svg,webmanifest}'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        // The certificate install page and files are the relay's, never the app shell.
        navigateFallbackDenylist: [/^\/api\//, /^\/sync/, /^\/install(\?.*)?$/, /^\/ca\.(crt|pem)$/],
        cleanupOutdatedCaches: true,
        // A tap on a notification opens the app at what it is about (public/notification-click.js).
        importScripts: ['notification-click.js'],
        // Take control of the page that installed us, so the first visit is already offline-ready.
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  worker: {
    rolldownOptions: { treeshake: { moduleSideEffects: workerSideEffects } },
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          includeDependenciesRecursively: false,
          groups: [{ name: (id) => (FEATURE_SCREEN.exec(id) ? `screen-${FEATURE_SCREEN.exec(id)![1]}` : null), test: FEATURE_SCREEN }],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080', '/sync': { target: 'ws://localhost:8080', ws: true } } },
});
