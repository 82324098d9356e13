/// <reference lib="webworker" />
/**
 * Agents run here, off the main thread, so a large community never blocks typing or scrolling.
 * Everything crosses as plain data; the trust gate is rebuilt from what the page says the viewer may see.
 */
import { runAgentJob } from '../client/agents-job.ts';
import type { AgentJobInput } from '../client/ports.ts';

export interface AgentJob extends AgentJobInput {
  id: number;
}

self.onmessage = (e: MessageEvent<AgentJob>) => {
  const { id, ...job } = e.data;
  (self as unknown as Worker).postMessage({ id, report: runAgentJob(job) });
};
