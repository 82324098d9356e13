import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

export class NoBroadcastAddressError extends Error {
  override name = 'NoBroadcastAddressError';
}

/**
 * Subnet-directed broadcast of an interface's IPv4 address (10.42.0.7/16 -> 10.42.255.255). Node's
 * dgram cannot bind to a device, so sending to this address is how a beacon leaves through `bat0`
 * and not through whatever interface holds the default route.
 */
export function broadcastAddressOf(iface: string, nets: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string {
  const v4 = (nets[iface] ?? []).find((a) => a.family === 'IPv4' && !a.internal);
  if (!v4) throw new NoBroadcastAddressError(`interface ${iface} has no IPv4 address`);
  const ip = v4.address.split('.').map(Number);
  const mask = v4.netmask.split('.').map(Number);
  return ip.map((o, i) => (o | (~mask[i] & 0xff)) & 0xff).join('.');
}
