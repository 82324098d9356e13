import { runAgents, type RunReport } from '../../agents/index.ts';
import type { Audience } from '../core/model/types.ts';
import type { AgentJobInput } from './ports.ts';

/** The trust gate rebuilt from plain data: what the viewer may see of each author's posts. */
function canSee(viewer: string, seeTrusted: boolean) {
  return (author: string, audience: Audience): boolean =>
    author === viewer || audience === 'public' || audience === 'local' || (audience === 'trusted' && seeTrusted);
}

/**
 * Runs the agents over a job's plain input. The PWA calls this in a Web Worker (so a large community never
 * blocks typing); Node code can pass it straight in as the AgentsRunner.
 */
export function runAgentJob({ input, enabled }: AgentJobInput): RunReport {
  return runAgents({ ...input, declined: new Set(input.declined), canSee: canSee(input.viewer, input.seeTrusted) }, new Set(enabled));
}
