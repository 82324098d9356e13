export type BatctlErrorKind =
  | 'batctl-missing'
  | 'module-missing'
  | 'interface-missing'
  | 'not-root'
  | 'unsupported-command'
  | 'timeout'
  | 'failed'
  | 'parse';

const HINTS: Record<BatctlErrorKind, string> = {
  'batctl-missing': 'batctl is not installed or not on PATH (apt-get install batctl / opkg install batctl-full)',
  'module-missing': 'the batman_adv kernel module is not loaded (modprobe batman_adv); run native-bridge/setup.sh up',
  'interface-missing': 'the mesh interface does not exist or is not a batman-adv interface; run native-bridge/setup.sh up',
  'not-root': 'batctl needs root (or CAP_NET_ADMIN) to read batman-adv tables',
  'unsupported-command': 'this batctl does not know the command',
  timeout: 'batctl did not answer in time',
  failed: 'batctl failed',
  parse: 'batctl printed output this parser does not understand',
};

/** Every way talking to batman-adv can fail, as one typed error with an operator-facing hint. */
export class BatctlError extends Error {
  override name = 'BatctlError';
  readonly hint: string;
  constructor(readonly kind: BatctlErrorKind, detail: string) {
    super(`${kind}: ${detail}`);
    this.hint = HINTS[kind];
  }
}
