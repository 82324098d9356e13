/**
 * The IndexedDB databases the app keeps on a phone: its local tables (settings, the post index, files,
 * carried bundles) and the Automerge docs. A wipe deletes both; a browser holding neither has never
 * opened the app here (first-visit.ts).
 */
export const LOCAL_DB_NAME = 'solarpunk-local';
export const DOCS_DB_NAME = 'solarpunk-docs';
export const APP_DATABASES = [LOCAL_DB_NAME, DOCS_DB_NAME] as const;
