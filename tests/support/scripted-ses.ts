// A small SES v2-compatible HTTP server of our own for fault injection: it answers SendEmail
// as a script says (accept, 429, 500, MessageRejected, SendingPausedException, …), optionally
// slowly, and records every message it accepted. Only what the SDK's SendEmail, GetAccount and,
// for bulk mode, SendBulkEmail and Create/DeleteEmailTemplate need is implemented. A bulk entry
// is answered by the same script, as an entry status (ACCOUNT_THROTTLED, TRANSIENT_FAILURE, …).
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Answer =
  | 'accept'
  | 'throttle' // 429 TooManyRequestsException
  | 'fault' // 500 InternalFailure
  | 'reject' // 400 MessageRejected
  | 'paused' // 400 SendingPausedException
  | 'quota'; // 400 LimitExceededException

export interface ReceivedMessage {
  to: string;
  from: string;
  replyTo: string[];
  subject: string;
  html: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
  tags: Record<string, string>;
}

/** How SendBulkEmail says each answer of one entry. */
const BULK_STATUS: Record<Exclude<Answer, 'accept'>, string> = {
  throttle: 'ACCOUNT_THROTTLED',
  fault: 'TRANSIENT_FAILURE',
  reject: 'MESSAGE_REJECTED',
  paused: 'ACCOUNT_SENDING_PAUSED',
  quota: 'ACCOUNT_DAILY_QUOTA_EXCEEDED',
};

const ERRORS: Record<Exclude<Answer, 'accept'>, { status: number; type: string }> = {
  throttle: { status: 429, type: 'TooManyRequestsException' },
  fault: { status: 500, type: 'InternalFailure' },
  reject: { status: 400, type: 'MessageRejected' },
  paused: { status: 400, type: 'SendingPausedException' },
  quota: { status: 400, type: 'LimitExceededException' },
};

export class ScriptedSes {
  /** Every accepted message, in order. */
  readonly received: ReceivedMessage[] = [];
  /** SendEmail requests begun and not yet answered. */
  inFlight = 0;
  /** Attempts per recipient, accepted or not. */
  readonly attempts = new Map<string, number>();
  /** Decides each answer from the recipient and how many times they were tried before. */
  script: (to: string, attempt: number) => Answer = () => 'accept';
  /** Called after a message is accepted and before the answer leaves: a test can kill a worker there. */
  onAccept: (accepted: number) => void = () => {};
  /** The message of a refusal; SES's own quote the recipient in some (an unverified address, a rejection). */
  errorMessage: (to: string, type: string) => string = (_to, type) => `scripted ${type}`;
  /** Milliseconds to wait before answering a SendEmail. */
  delayMs = 0;
  /** Awaited before answering a SendEmail to `to`: a test holds a batch open while it changes something. */
  hold: (to: string) => Promise<void> | void = () => {};
  maxSendRate = 100;
  /** Stored templates by name (bulk mode). */
  readonly templates = new Map<string, { Subject: string; Html: string; Text: string }>();
  /** Template names deleted, in order. */
  readonly deletedTemplates: string[] = [];
  /** SendBulkEmail calls so far, answered or not, and how many destinations each had. */
  readonly bulkCalls: number[] = [];
  /** The next this-many SendBulkEmail calls are answered 429 as a whole. */
  throttleBulkCalls = 0;
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => void this.answer(req.method ?? '', req.url ?? '', body, res));
    });
    // As the test app does (tests/helpers/app.ts): only the client closes idle connections, so a
    // stalled test process never sends on one this server closed meanwhile.
    this.server.keepAliveTimeout = 0;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  count(to: string): number {
    return this.received.filter((m) => m.to === to).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async answer(
    method: string,
    url: string,
    body: string,
    res: import('node:http').ServerResponse,
  ): Promise<void> {
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    if (method === 'GET' && url.startsWith('/v2/email/account')) {
      json(200, {
        SendQuota: { Max24HourSend: 50000, MaxSendRate: this.maxSendRate, SentLast24Hours: 0 },
        SendingEnabled: true,
      });
      return;
    }
    if (method === 'POST' && url === '/v2/email/templates') {
      const request = JSON.parse(body);
      if (this.templates.has(request.TemplateName))
        json(400, { message: 'exists' }, { 'x-amzn-errortype': 'AlreadyExistsException' });
      else {
        this.templates.set(request.TemplateName, request.TemplateContent);
        json(200, {});
      }
      return;
    }
    if (method === 'DELETE' && url.startsWith('/v2/email/templates/')) {
      const name = decodeURIComponent(url.slice('/v2/email/templates/'.length));
      this.deletedTemplates.push(name);
      if (this.templates.delete(name)) json(200, {});
      else json(404, { message: 'no such template' }, { 'x-amzn-errortype': 'NotFoundException' });
      return;
    }
    if (method === 'POST' && url.startsWith('/v2/email/outbound-bulk-emails')) {
      this.answerBulk(JSON.parse(body), json);
      return;
    }
    if (method !== 'POST' || !url.startsWith('/v2/email/outbound-emails')) {
      json(404, { message: 'not scripted' }, { 'x-amzn-errortype': 'NotFoundException' });
      return;
    }
    this.inFlight += 1;
    try {
      const request = JSON.parse(body);
      const to: string = request.Destination.ToAddresses[0];
      const attempt = this.attempts.get(to) ?? 0;
      this.attempts.set(to, attempt + 1);
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      await this.hold(to);
      const answer = this.script(to, attempt);
      if (answer === 'accept') {
        const messageId = randomUUID();
        const content = request.Content.Simple;
        this.received.push({
          to,
          from: request.FromEmailAddress,
          replyTo: request.ReplyToAddresses ?? [],
          subject: content.Subject.Data,
          html: content.Body.Html?.Data ?? '',
          text: content.Body.Text?.Data ?? '',
          messageId,
          headers: Object.fromEntries(
            (content.Headers ?? []).map((h: { Name: string; Value: string }) => [h.Name, h.Value]),
          ),
          tags: Object.fromEntries(
            (request.EmailTags ?? []).map((t: { Name: string; Value: string }) => [t.Name, t.Value]),
          ),
        });
        this.onAccept(this.received.length);
        json(200, { MessageId: messageId });
      } else {
        const error = ERRORS[answer];
        json(
          error.status,
          { message: this.errorMessage(to, error.type) },
          { 'x-amzn-errortype': `${error.type}:http://internal.amazon.com/` },
        );
      }
    } finally {
      this.inFlight -= 1;
    }
  }

  private answerBulk(request: any, json: (status: number, value: unknown, headers?: Record<string, string>) => void) {
    this.bulkCalls.push(request.BulkEmailEntries.length);
    if (this.throttleBulkCalls > 0) {
      this.throttleBulkCalls -= 1;
      json(429, { message: 'scripted' }, { 'x-amzn-errortype': 'TooManyRequestsException' });
      return;
    }
    const template = request.DefaultContent.Template;
    if (!this.templates.has(template.TemplateName)) {
      json(404, { message: 'no such template' }, { 'x-amzn-errortype': 'NotFoundException' });
      return;
    }
    const pairs = (list: { Name: string; Value: string }[] = []) =>
      Object.fromEntries(list.map((h) => [h.Name, h.Value]));
    const results = request.BulkEmailEntries.map((entry: any) => {
      const to: string = entry.Destination.ToAddresses[0];
      const attempt = this.attempts.get(to) ?? 0;
      this.attempts.set(to, attempt + 1);
      const answer = this.script(to, attempt);
      if (answer !== 'accept')
        return { Status: BULK_STATUS[answer], Error: this.errorMessage(to, BULK_STATUS[answer]) };
      const messageId = randomUUID();
      this.received.push({
        to,
        from: request.FromEmailAddress,
        replyTo: request.ReplyToAddresses ?? [],
        subject: template.TemplateName,
        html: entry.ReplacementEmailContent?.ReplacementTemplate?.ReplacementTemplateData ?? '',
        text: '',
        messageId,
        headers: { ...pairs(template.Headers), ...pairs(entry.ReplacementHeaders) },
        tags: { ...pairs(request.DefaultEmailTags), ...pairs(entry.ReplacementTags) },
      });
      this.onAccept(this.received.length);
      return { Status: 'SUCCESS', MessageId: messageId };
    });
    json(200, { BulkEmailEntryResults: results });
  }
}
