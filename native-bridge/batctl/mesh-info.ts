import { BatctlError } from './errors.ts';
import { macField } from './json-table.ts';

export interface MeshInfo {
  version?: string;
  algo?: string;
  meshIface: string;
  meshAddress: string;
  /** The primary hard interface's MAC: this node's originator address, which beacons carry. */
  originatorAddress: string;
  primaryIface: string;
}

/** `batctl meshif bat0 mesh_json`: a single JSON object (not an array). */
export function parseMeshJson(text: string): MeshInfo {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch (e) {
    throw new BatctlError('parse', `mesh_json: not JSON (${(e as Error).message})`);
  }
  if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new BatctlError('parse', 'mesh_json: not an object');
  const o = r as Record<string, unknown>;
  if (typeof o.mesh_ifname !== 'string') throw new BatctlError('parse', 'mesh_json: mesh_ifname missing');
  if (typeof o.hard_ifname !== 'string') throw new BatctlError('parse', 'mesh_json: no primary interface (mesh disabled?)');
  return {
    version: typeof o.version === 'string' ? o.version : undefined,
    algo: typeof o.algo_name === 'string' ? o.algo_name : undefined,
    meshIface: o.mesh_ifname,
    meshAddress: macField(o, 'mesh_address', 'mesh_json'),
    originatorAddress: macField(o, 'hard_address', 'mesh_json'),
    primaryIface: o.hard_ifname,
  };
}
