/**
 * The web app manifest, one per language: a phone installs the app under the name and description of the
 * language the person reads. vite.config.ts writes both files at build; the page's
 * `<link rel="manifest">` points at the one for the app's language (App.svelte switches it with the
 * language). The service worker precaches both, like every built file.
 */

/** Where each language's manifest is served; English is the plugin's default file. */
export const MANIFEST_FILES = { en: 'manifest.webmanifest', es: 'manifest.es.webmanifest' } as const;
export type ManifestLanguage = keyof typeof MANIFEST_FILES;

/** The words a manifest needs, from the language's strings. */
export interface ManifestWords {
  'manifest.name': string;
  'manifest.shortName': string;
  'manifest.description': string;
}

export function webManifest(lang: ManifestLanguage, words: ManifestWords) {
  return {
    name: words['manifest.name'],
    short_name: words['manifest.shortName'],
    description: words['manifest.description'],
    lang,
    dir: 'ltr' as const,
    // Both manifests describe the same app: one id, so switching language never looks like a second app.
    id: '/',
    start_url: '/',
    scope: '/',
    display: 'standalone' as const,
    background_color: '#f6f4ea',
    theme_color: '#2f6b2f',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' as const },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' as const },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' as const },
    ],
  };
}

/** The manifest file for the app's language (a language without its own gets the English one). */
export function manifestFileFor(lang: string): string {
  return lang in MANIFEST_FILES ? MANIFEST_FILES[lang as ManifestLanguage] : MANIFEST_FILES.en;
}
