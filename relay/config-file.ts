import { readFileSync } from 'node:fs';

/**
 * A relay's options from a JSON file (`--config relay.json`), as an operator keeps them in /etc: every
 * command-line option by its long name, e.g. `{ "port": 80, "store-budget": "2GiB", "peer": ["10.0.0.2:4556"] }`;
 * options of `key=value` words may also be a map: `{ "route": { "dtn://far/*": "dtn://gateway/" } }`.
 * The file becomes command-line words placed before the real ones, so each value meets the same checks as
 * on the command line and the command line wins for single values (lists add up).
 */
export function configFileArgs(file: string, known: ReadonlySet<string>, switches: ReadonlySet<string> = new Set(), maps: ReadonlySet<string> = MAP_OPTIONS): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the config file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`the config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`the config file ${file} must hold one JSON object of options`);
  const args: string[] = [];
  for (const [rawKey, value] of Object.entries(parsed as Record<string, unknown>)) {
    // Accept camelCase too: people copy keys from /api/status or from code.
    const key = rawKey.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    if (!known.has(key) && !switches.has(`no-${key}`)) throw new Error(`the config file ${file} names an unknown option "${rawKey}"`);
    // A switch: true names it, false names its --no- form (e.g. "tcpcl-tls": false → --no-tcpcl-tls).
    if (typeof value === 'boolean') {
      const flag = value ? key : key.startsWith('no-') ? key.slice(3) : `no-${key}`;
      if (!switches.has(flag)) throw new Error(`the config file ${file}: "${rawKey}" cannot be ${value}`);
      args.push(`--${flag}`);
      continue;
    }
    // A map (e.g. "route": { "dtn://far/*": "dtn://gateway/" }) is a list of key=value words.
    if (maps.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`the config file ${file}: "${rawKey}" maps "${k.slice(0, 40)}" to something that is not a string or number`);
        args.push(`--${key}`, `${k}=${v}`);
      }
      continue;
    }
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`the config file ${file}: "${rawKey}" must be a string, a number, a list of them, or true/false for a switch`);
      args.push(`--${key}`, String(v));
    }
  }
  return args;
}

/** Options whose words are `key=value`: the file may give them as a JSON map. */
export const MAP_OPTIONS: ReadonlySet<string> = new Set(['route', 'routing-for']);

/** Where `--config` points in the command line, if anywhere (`--config f` or `--config=f`). */
export function configFileOption(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config') return argv[i + 1];
    if (argv[i].startsWith('--config=')) return argv[i].slice('--config='.length);
  }
  return undefined;
}
