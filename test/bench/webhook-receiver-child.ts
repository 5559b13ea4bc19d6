/**
 * The webhooks bench's receiver, in a process of its own so it does not share an event loop with
 * the sender: answers every POST with 204 as soon as its body is read, and tells the parent its
 * port (IPC message `{ port }`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(204).end());
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
