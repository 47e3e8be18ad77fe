// Sends one message through Amazon SES v2 (or an SES-compatible endpoint). The SDK does not
// retry (maxAttempts 1): BullMQ owns retries, told by the error class what to do.
import { GetAccountCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { classifySesError } from './send-errors.js';

export interface OutgoingMessage {
  from: string;
  to: string;
  replyTo?: string | undefined;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  /** SES EmailTags, for event publishing: campaign and delivery ids. */
  tags: Record<string, string>;
}

/** Where mail goes. Defined here, where sending uses it; tests pass the real client pointed at their own servers. */
export interface Sender {
  /** Resolves to the provider's message id; throws a class from send-errors.ts. */
  send(message: OutgoingMessage): Promise<string>;
  /** Messages per second the account allows, when the provider says. */
  maxSendRate(): Promise<number | undefined>;
}

/** `sesRegion` as the configuration names it; `endpoint` for an emulator or a scripted server. */
export function sesClient(config: { sesRegion: string }, endpoint: string | undefined): SESv2Client {
  return new SESv2Client({
    region: config.sesRegion,
    maxAttempts: 1,
    ...(endpoint
      ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } // emulators ignore them
      : {}),
  });
}

export class SesSender implements Sender {
  constructor(
    private readonly client: SESv2Client,
    private readonly configurationSetName?: string,
  ) {}

  async send(message: OutgoingMessage): Promise<string> {
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: message.from,
          Destination: { ToAddresses: [message.to] },
          ...(message.replyTo ? { ReplyToAddresses: [message.replyTo] } : {}),
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Html: { Data: message.html, Charset: 'UTF-8' }, Text: { Data: message.text, Charset: 'UTF-8' } },
              Headers: Object.entries(message.headers).map(([Name, Value]) => ({ Name, Value })),
            },
          },
          ...(this.configurationSetName ? { ConfigurationSetName: this.configurationSetName } : {}),
          EmailTags: Object.entries(message.tags).map(([Name, Value]) => ({ Name, Value })),
        }),
      );
      return result.MessageId ?? '';
    } catch (err) {
      throw classifySesError(err);
    }
  }

  async maxSendRate(): Promise<number | undefined> {
    const account = await this.client.send(new GetAccountCommand({}));
    return account.SendQuota?.MaxSendRate;
  }
}
