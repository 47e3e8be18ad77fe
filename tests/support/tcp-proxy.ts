// A TCP proxy of our own in front of a shared server (PostgreSQL), so a test can take the server
// away from the processes under test as a restart would, without touching the server itself:
// `cut()` drops every open connection and refuses new ones until `restore()`.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export class TcpProxy {
  /** Connections accepted since the start, cut ones included. */
  accepted = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private armed: (() => void) | undefined;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = createServer((client) => this.forward(client));
  }

  async start(): Promise<this> {
    await this.listen(0);
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  /**
   * Cuts the moment a client next sends anything, which is not passed on: that client has a
   * request in flight (a query waiting for its answer) when its connection drops.
   */
  cutAtNextRequest(): Promise<void> {
    return new Promise((resolve) => (this.armed = resolve));
  }

  /** Every open connection is reset and the port stops listening: clients see ECONNRESET, then ECONNREFUSED. */
  cut(): void {
    this.server.close();
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  /** Listens again on the same port. */
  async restore(): Promise<void> {
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (this.server.listening) await new Promise((resolve) => this.server.close(resolve));
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  private forward(client: Socket): void {
    this.accepted += 1;
    const upstream = createConnection(this.targetPort, this.targetHost);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      // Either side closing or failing ends the pair, as one connection to the server would.
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        (socket === client ? upstream : client).destroy();
      });
    }
    client.on('data', (chunk) => {
      const cutNow = this.armed;
      if (!cutNow) return void upstream.write(chunk);
      this.armed = undefined;
      this.cut();
      cutNow();
    });
    upstream.pipe(client);
  }
}
