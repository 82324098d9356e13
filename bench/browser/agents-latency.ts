/**
 * Runs in Chromium (bundled by bench/agents-worker.ts). Builds a 10,000-record community, then measures
 * how late a 10 ms timer fires on the main thread — the delay any tap or keystroke would see — while
 * the agents run (a) in a Web Worker, as the app does, and (b) on the main thread, as a baseline.
 */
import { runAgents } from '../../agents/index.ts';
import { AGENT_NAMES } from '../../agents/types.ts';
import { generate, input, NOW } from '../../tests/helpers/agents/communities.ts';

interface Lag {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

function probe(): { stop(): Lag } {
  const lags: number[] = [];
  let timer: ReturnType<typeof setTimeout>;
  let expected = performance.now() + 10;
  const tick = () => {
    const now = performance.now();
    lags.push(Math.max(0, now - expected));
    expected = now + 10;
    timer = setTimeout(tick, 10);
  };
  timer = setTimeout(tick, 10);
  return {
    stop() {
      clearTimeout(timer);
      lags.push(Math.max(0, performance.now() - expected)); // a lag still in progress counts too
      const s = [...lags].sort((a, b) => a - b);
      const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 10) / 10;
      return { p50: at(0.5), p99: at(0.99), max: at(1), samples: s.length };
    },
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

declare global {
  interface Window {
    benchAgents(workerUrl: string): Promise<Array<Record<string, unknown>>>;
  }
}

window.benchAgents = async (workerUrl: string) => {
  const members = generate(11, { members: 1_000, offers: 4_000, needs: 4_000, events: 2_000 });
  const full = input(members, { viewer: 'm0', now: NOW, budget: 1_000_000 });
  const enabled = new Set(AGENT_NAMES);
  const { canSee: _gate, declined: _declined, ...plain } = full;
  const job = { id: 1, input: { ...plain, declined: [], seeTrusted: true }, enabled: [...AGENT_NAMES] };

  const idle = probe();
  await pause(500);
  const idleLag = idle.stop();

  const worker = new Worker(workerUrl);
  const w = probe();
  const t0 = performance.now();
  const count = await new Promise<number>((resolve) => {
    worker.onmessage = (e) => resolve((e.data.report.proposals as unknown[]).length);
    worker.postMessage(job);
  });
  const workerMs = performance.now() - t0;
  const workerLag = w.stop();
  worker.terminate();

  await pause(200);
  const m = probe();
  const t1 = performance.now();
  await pause(0);
  runAgents(full, enabled);
  await pause(20);
  const mainMs = performance.now() - t1;
  const mainLag = m.stop();

  return [
    { name: 'agents.worker.10k_records.run_ms', value: Math.round(workerMs), unit: 'ms', proposals: count, agents: AGENT_NAMES.length },
    { name: 'agents.worker.input_lag.p99_ms', value: workerLag.p99, unit: 'ms', p50: workerLag.p50, max: workerLag.max, samples: workerLag.samples, idle_p99: idleLag.p99 },
    { name: 'agents.main_thread.input_lag.max_ms', value: mainLag.max, unit: 'ms', run_ms: Math.round(mainMs), note: 'baseline: the same run on the main thread' },
  ];
};
