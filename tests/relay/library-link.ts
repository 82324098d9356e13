import net from 'node:net';
import { rng } from '../helpers/prng.ts';

/* No vitest imports here: the library benchmark uses these too. */

/** fetch's types want an ArrayBuffer-backed view; ours are. */
export const asBody = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;

/** Deterministic incompressible bytes. */
export function randomFile(size: number, seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(size);
  const v = new Uint32Array(out.buffer, 0, Math.floor(size / 4));
  for (let i = 0; i < v.length; i++) v[i] = Math.floor(r() * 2 ** 32);
  return out;
}

/**
 * A TCP link between the bridge and an island that counts the bytes it carries each way and can be
 * cut after a given number of bytes towards the island: a contact broken halfway, at a known point.
 */
export class CuttableLink {
  private server!: net.Server;
  private sockets = new Set<net.Socket>();
  private open = true;
  toIsland = 0;
  fromIsland = 0;
  /** Bytes towards the island per connection since the last reopen: a bridge may reconnect within one contact. */
  sessions: number[] = [];
  cutAfter = Infinity;
  private onCut?: () => void;
  readonly cut = new Promise<void>((r) => (this.onCut = r));
  port = 0;

  constructor(private readonly target: number) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      if (!this.open) return void client.destroy();
      const upstream = net.connect(this.target, '127.0.0.1');
      this.sockets.add(client).add(upstream);
      const session = this.sessions.push(0) - 1;
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('data', (d: Buffer) => {
        if (!this.open) return;
        const room = this.cutAfter - this.toIsland;
        if (d.length >= room) {
          if (room > 0) upstream.write(d.subarray(0, room));
          this.toIsland += Math.max(0, room);
          this.sessions[session] += Math.max(0, room);
          this.cutNow();
          return;
        }
        this.toIsland += d.length;
        this.sessions[session] += d.length;
        upstream.write(d);
      });
      upstream.on('data', (d: Buffer) => {
        this.fromIsland += d.length;
        client.write(d);
      });
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  private cutNow(): void {
    this.open = false;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.onCut?.();
  }

  /** Lets contacts through again with fresh counters and no cut. */
  reopen(): void {
    this.toIsland = 0;
    this.fromIsland = 0;
    this.sessions = [];
    this.cutAfter = Infinity;
    this.open = true;
  }

  async close(): Promise<void> {
    this.cutNow();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
