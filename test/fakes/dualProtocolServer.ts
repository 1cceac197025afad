/**
 * One 127.0.0.1 port that serves HTTP/1.1 and cleartext HTTP/2 with prior knowledge (h2c), with
 * one request handler for both (Node's HTTP/2 compatibility API mirrors http's req/res).
 */
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';

/** A request from either protocol (the handler treats them alike). */
export type AnyRequest = http.IncomingMessage | http2.Http2ServerRequest;
/** A response to either protocol. */
export type AnyResponse = http.ServerResponse | http2.Http2ServerResponse;

/** A listening dual-protocol server. */
export interface DualProtocolServer {
  port: number;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0 = any free port). */
export async function listenDualProtocol(onRequest: (req: AnyRequest, res: AnyResponse) => void, port = 0): Promise<DualProtocolServer> {
  const h1 = http.createServer(onRequest);
  const h2 = http2.createServer(onRequest);
  const sockets = new Set<net.Socket>();
  // The SDK speaks h2c with prior knowledge to http:// endpoints: sniff the connection preface
  // and hand the socket, its first bytes put back, to the server of that protocol. (Node's HTTP/2
  // session drains what was unshifted before it consumes the socket handle.)
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('readable', () => {
      const head = socket.read() as Buffer | null;
      if (!head) return;
      socket.unshift(head);
      const isH2 = head.subarray(0, 14).toString('latin1') === 'PRI * HTTP/2.0';
      (isH2 ? h2 : h1).emit('connection', socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (front.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        front.close(() => resolve());
        h1.close();
        h2.close();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
