import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

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
 * Screens load per route (src/app/routes.ts); the screens of one feature slice (src/app/features/<name>/)
 * share a chunk, named for the slice: people use them together, and 21 tiny chunks would compress worse and
 * cost a request each. Only .svelte files are grouped, so a slice's lazily imported helpers (the QR
 * scanner and its decoder) stay out of the chunk until they are needed.
 */
const FEATURE_SCREEN = /[\\/]src[\\/]app[\\/]features[\\/]([\w-]+)[\\/][^\\/]+\.svelte/;

/**
 * tweetnacl is CommonJS, so the bundler keeps it wherever it is imported, used or not; its only effect at
 * load is to set its own random source. Said so, the agents' worker (which imports the trust code, whose
 * vouch module imports the signing code) leaves it out when nothing it runs signs or checks.
 */
const naclWithoutSideEffects = (id: string): boolean | undefined => (/[\\/]node_modules[\\/]tweetnacl[\\/]/.test(id) ? false : undefined);

export default defineConfig({
  // automerge-repo's second SHA-256 (fast-sha256) gives way to the @noble/hashes one the app already has.
  resolve: { alias: { 'fast-sha256': fileURLToPath(new URL('./src/platform/fast-sha256.ts', import.meta.url)) } },
  plugins: [
    cborWithoutEval(),
    svelte(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      includeAssets: ['icons/*.png'],
      manifest: {
        name: 'Solarpunk Mesh',
        short_name: 'Mesh',
        description: 'Offline-first mutual aid: share what you can, ask for what you need.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f4ea',
        theme_color: '#2f6b2f',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The Automerge wasm (~3.6 MB) must be precached or the app cannot start offline.
        globPatterns: ['**/*.{js,css,html,wasm,png,svg,webmanifest}'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        // The certificate install page and files are the relay's, never the app shell.
        navigateFallbackDenylist: [/^\/api\//, /^\/sync/, /^\/install(\?.*)?$/, /^\/ca\.(crt|pem)$/],
        cleanupOutdatedCaches: true,
        // Take control of the page that installed us, so the first visit is already offline-ready.
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  worker: {
    rolldownOptions: { treeshake: { moduleSideEffects: naclWithoutSideEffects } },
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
