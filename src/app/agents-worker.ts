/// <reference lib="webworker" />
/**
 * Agents run here, off the main thread, so a large community never blocks typing or scrolling.
 * Everything crosses as plain data; the trust gate is rebuilt from what the page says the viewer may see.
 */
import { runAgents } from '../../agents/index.ts';
import type { AgentInput, AgentName } from '../../agents/types.ts';
import type { Audience } from '../core/model/types.ts';

export interface AgentJob {
  id: number;
  input: Omit<AgentInput, 'canSee' | 'declined'> & { declined: string[]; seeTrusted: boolean };
  enabled: AgentName[];
}

function canSee(viewer: string, seeTrusted: boolean) {
  return (author: string, audience: Audience): boolean =>
    author === viewer || audience === 'public' || audience === 'local' || (audience === 'trusted' && seeTrusted);
}

self.onmessage = (e: MessageEvent<AgentJob>) => {
  const { id, input, enabled } = e.data;
  const report = runAgents({ ...input, declined: new Set(input.declined), canSee: canSee(input.viewer, input.seeTrusted) }, new Set(enabled));
  (self as unknown as Worker).postMessage({ id, report });
};
