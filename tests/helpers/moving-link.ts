import net from 'node:net';

/**
 * One address whose route moves between relays: a TCP forwarder on loopback that sends every new
 * connection to the relay it points at now. Moving it cuts the connections already open, as a phone's
 * sockets break when it leaves one island's Wi-Fi for another's that answers at the same address
 * (the mesh test does this with namespaces and `ip route replace`; this is the loopback stand-in).
 */
export interface MovingLink {
  url: string;
  /** Points the address at the relay listening on `port` and cuts every connection open to the last one. */
  moveTo(port: number): void;
  close(): Promise<void>;
}

export async function movingLink(firstPort: number): Promise<MovingLink> {
  let target = firstPort;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        open.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    moveTo(p) {
      target = p;
      for (const s of open) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
