import type { RunReport } from '../../agents/index.ts';
import type { AgentJob } from './agents-worker.ts';

/** One worker, one job at a time; a newer request supersedes an older one still waiting. */
export class AgentsClient {
  private worker?: Worker;
  private seq = 0;
  private waiting = new Map<number, (r: RunReport) => void>();

  run(job: Omit<AgentJob, 'id'>): Promise<RunReport> {
    this.worker ??= this.start();
    const id = ++this.seq;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker!.postMessage({ ...job, id } satisfies AgentJob);
    });
  }

  private start(): Worker {
    const w = new Worker(new URL('./agents-worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<{ id: number; report: RunReport }>) => {
      this.waiting.get(e.data.id)?.(e.data.report);
      this.waiting.delete(e.data.id);
    };
    w.onerror = (e) => console.error('agents worker failed', e.message);
    return w;
  }
}
