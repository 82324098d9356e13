import { fingerprintWords } from '../core/trust/index.ts';
import { app } from './state.svelte.ts';

/** Names come from the community directory; someone known only by a vouch is named by their key words. */
export function personName(agentId: string): string {
  const name = app.members[agentId];
  if (name) return name;
  try {
    return fingerprintWords(agentId, 2).join('-');
  } catch {
    return '?';
  }
}

let cache: { of: unknown; set: Set<string> } = { of: null, set: new Set() };

/** Whether I read this author's posts as vouched; unknown (true) until trust is first computed. */
export function isVouched(agentId: string): boolean {
  const view = app.trust;
  if (!view || agentId === app.me?.agentId) return true;
  if (cache.of !== view) cache = { of: view, set: new Set(view.vouched) };
  return cache.set.has(agentId);
}
