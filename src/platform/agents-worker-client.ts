import type { RunReport } from '../../agents/index.ts';
import type { AgentsRunner } from '../client/ports.ts';
import type { AgentJob } from './agents-worker.ts';

/** One worker, started on the first run; replies are matched to requests by id. */
export function workerAgentsRunner(): AgentsRunner {
  let worker: Worker | undefined;
  let seq = 0;
  const waiting = new Map<number, (r: RunReport) => void>();
  const start = (): Worker => {
    const w = new Worker(new URL('./agents-worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<{ id: number; report: RunReport }>) => {
      waiting.get(e.data.id)?.(e.data.report);
      waiting.delete(e.data.id);
    };
    w.onerror = (e) => console.error('agents worker failed', e.message);
    return w;
  };
  return (job) => {
    worker ??= start();
    const id = ++seq;
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      worker!.postMessage({ ...job, id } satisfies AgentJob);
    });
  };
}
