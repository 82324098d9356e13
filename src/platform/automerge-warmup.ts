import * as Automerge from '@automerge/automerge/slim';

type WarmDoc = {
  type: string;
  records: Record<string, { id: string; title: string; n: number; tags: string[]; at: { area: string } }>;
};

const record = (id: string, title: string) => ({ id, title, n: 1, tags: ['give', 'tools'], at: { area: 'north' } });

/** A performance mark once every step has run: the join bench taps Join when a person would, after it. */
export const WARMED_MARK = 'spm:automerge-warmed';

/** At most this many sync rounds between the two warm docs (two or three suffice; a bound all the same). */
const MAX_SYNC_ROUNDS = 8;

/**
 * V8 compiles each wasm function the first time it is called (lazy compilation), so a newcomer's join,
 * which calls most of Automerge for the first time one call after another, paid for compiling it too:
 * loading the community doc, reading its history, making my feed. Run with lazy compilation off, the
 * first card came 250–600 ms sooner at 4× CPU slowdown (bench/lib/profile-join.ts). These steps call the
 * same parts of Automerge on a throwaway doc while the newcomer answers the first-run questions, one step
 * per task so a tap is never held up by more than one. `wanted` is asked before each step: once the join
 * has begun, the rest is left (the join's own calls compile what is still cold).
 */
export async function warmAutomerge(wanted: () => boolean, pause: () => Promise<void>): Promise<void> {
  let a: Automerge.Doc<WarmDoc> | undefined;
  let b: Automerge.Doc<WarmDoc> | undefined;
  const steps: Array<() => void> = [
    () => {
      a = Automerge.from<WarmDoc>({ type: 'warm', records: {} });
      a = Automerge.change(a, (d) => void (d.records.x = record('x', 'a warm post')));
    },
    () => {
      b = Automerge.load<WarmDoc>(Automerge.save(a!));
      b = Automerge.change(b, (d) => {
        d.records.y = record('y', 'another');
        d.records.x!.title = 'changed';
      });
    },
    () => {
      for (const m of Automerge.getChangesMetaSince(b!, [])) void m.hash;
      for (const c of Automerge.getAllChanges(b!)) Automerge.decodeChange(c);
      Automerge.diff(b!, [], Automerge.getHeads(b!));
    },
    () => {
      let [sa, sb] = [Automerge.initSyncState(), Automerge.initSyncState()];
      for (let round = 0; round < MAX_SYNC_ROUNDS; round++) {
        const [nextA, toB] = Automerge.generateSyncMessage(a!, sa);
        sa = nextA;
        if (toB) [b, sb] = Automerge.receiveSyncMessage(b!, sb, toB);
        const [nextB, toA] = Automerge.generateSyncMessage(b!, sb);
        sb = nextB;
        if (toA) [a, sa] = Automerge.receiveSyncMessage(a!, sa, toA);
        if (!toA && !toB) break;
      }
    },
    () => {
      a = Automerge.loadIncremental(Automerge.init<WarmDoc>(), Automerge.save(b!));
      Automerge.saveIncremental(a);
    },
  ];
  for (const step of steps) {
    if (!wanted()) return;
    step();
    await pause();
  }
  performance.mark(WARMED_MARK);
}
