import path from 'node:path';

/**
 * The operator commands (`send`, `recv`, `query`) reach the running relay through a Unix socket in its
 * data directory, not a TCP port: nothing on the Wi-Fi (or the loopback of a browser on the relay box)
 * can connect to a socket file, and the data directory (0700) and the socket (0600) admit only the
 * account the relay runs as. Dialling the relay over TCPCL instead would work for `send` but cannot
 * list the store, and would make the operator a routing peer.
 */
export const ADMIN_SOCKET_NAME = 'admin.sock';

/** Linux keeps at most 107 bytes of a socket path (sun_path). */
export const MAX_SOCKET_PATH = 107;

export function adminSocketPath(dataDir: string): string {
  return path.join(dataDir, ADMIN_SOCKET_NAME);
}
