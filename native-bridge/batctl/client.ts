import { execFile } from 'node:child_process';
import { classifyFailure } from './classify.ts';
import { BatctlError } from './errors.ts';
import { parseMeshJson, type MeshInfo } from './mesh-info.ts';
import { parseNeighborsJson, parseNeighborsText } from './neighbors.ts';
import { parseOriginatorsJson, parseOriginatorsText } from './originators.ts';
import type { NeighborEntry, OriginatorEntry } from './types.ts';

export type BatctlFormat = 'auto' | 'json' | 'text';

export interface BatctlClientOptions {
  batctlPath?: string;
  meshIface?: string;
  /** 'auto' uses the *_json queries and falls back to text tables if this batctl lacks them. */
  format?: BatctlFormat;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const MAX_OUTPUT_BYTES = 1 << 20;

/** Reads batman-adv state by running batctl; every failure is a BatctlError. */
export class BatctlClient {
  readonly batctlPath: string;
  readonly meshIface: string;
  private format: BatctlFormat;
  private readonly timeoutMs: number;

  constructor(private readonly opts: BatctlClientOptions = {}) {
    this.batctlPath = opts.batctlPath ?? 'batctl';
    this.meshIface = opts.meshIface ?? 'bat0';
    this.format = opts.format ?? 'auto';
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  /** The format actually in use (auto settles on json or text after the first answer). */
  currentFormat(): BatctlFormat {
    return this.format;
  }

  neighbors(): Promise<NeighborEntry[]> {
    return this.table('neighbors', parseNeighborsJson, parseNeighborsText);
  }

  originators(): Promise<OriginatorEntry[]> {
    return this.table('originators', parseOriginatorsJson, parseOriginatorsText);
  }

  /** This node's mesh identity; `originatorAddress` is what its beacons should carry as `mac`. */
  async meshInfo(): Promise<MeshInfo> {
    const r = await this.run(['meshif', this.meshIface, 'mesh_json']);
    if (r.code !== 0) {
      const version = await this.run(['-v']).then((v) => v.stdout, () => undefined);
      throw classifyFailure({ code: r.code, stderr: r.stderr, version });
    }
    return parseMeshJson(r.stdout);
  }

  async version(): Promise<string> {
    const r = await this.run(['-v']);
    if (r.code !== 0) throw classifyFailure({ code: r.code, stderr: r.stderr });
    return r.stdout.trim();
  }

  private async table<T>(name: string, json: (s: string) => T[], text: (s: string) => T[]): Promise<T[]> {
    if (this.format !== 'text') {
      try {
        const rows = await this.query([`${name}_json`], json);
        if (this.format === 'auto') this.format = 'json';
        return rows;
      } catch (e) {
        if (!(e instanceof BatctlError && e.kind === 'unsupported-command' && this.format === 'auto')) throw e;
        this.format = 'text';
      }
    }
    return this.query([name, '-n'], text);
  }

  private async query<T>(cmd: string[], parse: (s: string) => T[]): Promise<T[]> {
    const r = await this.run(['meshif', this.meshIface, ...cmd]);
    if (r.code !== 0) {
      const version = await this.run(['-v']).then((v) => v.stdout, () => undefined);
      throw classifyFailure({ code: r.code, stderr: r.stderr, version });
    }
    return parse(r.stdout);
  }

  private run(args: string[]): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      execFile(
        this.batctlPath,
        args,
        { timeout: this.timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, env: this.opts.env ?? process.env, encoding: 'utf8' },
        (err, stdout, stderr) => {
          if (!err) return resolve({ code: 0, stdout, stderr });
          const e = err as NodeJS.ErrnoException & { code?: unknown; killed?: boolean; signal?: string | null };
          if (e.code === 'ENOENT') return reject(new BatctlError('batctl-missing', `${this.batctlPath} not found`));
          if (e.code === 'EACCES') return reject(new BatctlError('batctl-missing', `${this.batctlPath} not executable`));
          if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
            return reject(new BatctlError('parse', `${args.join(' ')}: output over ${MAX_OUTPUT_BYTES} bytes`));
          }
          if (e.killed) return reject(new BatctlError('timeout', `${args.join(' ')}: no answer in ${this.timeoutMs} ms`));
          resolve({ code: typeof e.code === 'number' ? e.code : null, stdout, stderr });
        },
      );
    });
  }
}
