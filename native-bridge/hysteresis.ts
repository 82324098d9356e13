export interface HysteresisOptions {
  /** A node must be seen in this many consecutive polls before it is up. */
  upAfterPolls: number;
  /** An up node goes down only after being unseen for this long. */
  downAfterMs: number;
  /** Bound on tracked nodes, so a flood of fake originators cannot grow memory without limit. */
  maxTracked?: number;
}

export interface Sighting {
  id: string;
  linkQuality?: number;
}

export interface Transition {
  kind: 'up' | 'down';
  id: string;
  linkQuality?: number;
}

interface Track {
  streak: number;
  up: boolean;
  lastSeen: number;
  linkQuality?: number;
}

export const DEFAULT_HYSTERESIS: HysteresisOptions = { upAfterPolls: 2, downAfterMs: 10_000, maxTracked: 1024 };

/**
 * Pure contact debouncer: fed one poll's sightings and the poll time, returns the up/down
 * transitions. Up needs N consecutive sightings; down needs T ms without any, so a link that
 * flaps faster than either threshold never produces a storm of events.
 */
export class Hysteresis {
  private readonly tracks = new Map<string, Track>();
  private readonly max: number;

  constructor(private readonly opts: HysteresisOptions = DEFAULT_HYSTERESIS) {
    if (!(opts.upAfterPolls >= 1) || !(opts.downAfterMs >= 0)) throw new RangeError('bad hysteresis thresholds');
    this.max = opts.maxTracked ?? 1024;
  }

  step(seen: Iterable<Sighting>, now: number): Transition[] {
    const out: Transition[] = [];
    const present = new Set<string>();
    for (const s of seen) {
      if (present.has(s.id)) continue;
      present.add(s.id);
      const t = this.sight(s, now);
      if (t) out.push(t);
    }
    for (const [id, t] of this.tracks) {
      if (present.has(id)) continue;
      t.streak = 0;
      if (!t.up) this.tracks.delete(id);
      else if (now - t.lastSeen >= this.opts.downAfterMs) {
        this.tracks.delete(id);
        out.push({ kind: 'down', id });
      }
    }
    return out;
  }

  /** Ids currently up, with their latest link quality. */
  upNow(): Sighting[] {
    return [...this.tracks].filter(([, t]) => t.up).map(([id, t]) => ({ id, linkQuality: t.linkQuality }));
  }

  private sight(s: Sighting, now: number): Transition | undefined {
    let t = this.tracks.get(s.id);
    if (!t) {
      if (this.tracks.size >= this.max) return undefined;
      t = { streak: 0, up: false, lastSeen: now };
      this.tracks.set(s.id, t);
    }
    t.streak++;
    t.lastSeen = now;
    t.linkQuality = s.linkQuality;
    if (t.up || t.streak < this.opts.upAfterPolls) return undefined;
    t.up = true;
    return { kind: 'up', id: s.id, linkQuality: s.linkQuality };
  }
}
