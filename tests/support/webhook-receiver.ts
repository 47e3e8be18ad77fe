// A receiver of Pregón's webhooks as a CRM would run one, on a loopback port: it verifies every
// Standard Webhooks signature with the endpoint's secret and parses each body with the published
// schema; while `down`, it answers 503.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WebhookPayload } from '../../src/webhooks/events.js';

export interface Received {
  id: string;
  payload: WebhookPayload;
}

/** A receiver as a CRM would run one: verifies each signature, answers 204, or 503 while `down`. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  /** Requests refused while down, by webhook-id. */
  readonly refused: string[] = [];
  /** Requests whose signature did not verify: none, ever. */
  readonly forged: string[] = [];
  down = false;
  secret = '';
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const id = String(req.headers['webhook-id']);
        if (this.down) {
          this.refused.push(id);
          res.writeHead(503).end('down for maintenance');
          return;
        }
        try {
          const payload = new Webhook(this.secret).verify(body, req.headers as Record<string, string>);
          this.received.push({ id, payload: WebhookPayload.parse(payload) });
          res.writeHead(204).end();
        } catch {
          this.forged.push(id);
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/pregon`;
  }

  of<T extends WebhookPayload['type']>(type: T): Extract<WebhookPayload, { type: T }>[] {
    return this.received.flatMap((r) =>
      r.payload.type === type ? [r.payload as Extract<WebhookPayload, { type: T }>] : [],
    );
  }

  idOf(payload: WebhookPayload): string {
    return this.received.find((r) => r.payload === payload)!.id;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
