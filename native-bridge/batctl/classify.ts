import { BatctlError } from './errors.ts';

export interface BatctlFailure {
  code: number | null;
  stderr: string;
  /** stdout of `batctl -v`, used to tell a missing module from a missing interface. */
  version?: string;
}

/**
 * batctl 2023.0 prints the same "not present or not a batman-adv interface" line whether bat0 is
 * missing or the whole kernel module is; only `batctl -v` ("[batman-adv: module not loaded]",
 * read from /sys/module/batman_adv/version) tells them apart.
 */
export function classifyFailure(f: BatctlFailure): BatctlError {
  const err = f.stderr.trim();
  if (/you must be root/.test(err)) return new BatctlError('not-root', err);
  if (/no valid command or debug table/.test(err)) return new BatctlError('unsupported-command', err);
  if (/batman-adv module has not been loaded|failed to connect to batadv/.test(err)) {
    return new BatctlError('module-missing', err);
  }
  if (/is not present or not a batman-adv interface/.test(err)) {
    const noModule = f.version !== undefined && /module not loaded/.test(f.version);
    return new BatctlError(noModule ? 'module-missing' : 'interface-missing', err);
  }
  return new BatctlError('failed', `exit ${f.code ?? 'signal'}: ${err.slice(0, 500)}`);
}

/** Extracts the module part of `batctl -v`: a version string, or undefined when not loaded. */
export function moduleVersion(versionOut: string): string | undefined {
  const m = /\[batman-adv: ([^\]]+)\]/.exec(versionOut);
  if (!m || m[1] === 'module not loaded') return undefined;
  return m[1];
}
