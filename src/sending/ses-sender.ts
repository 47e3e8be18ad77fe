// Sends through Amazon SES v2 (or an SES-compatible endpoint): one message a call, or up to 50
// from a stored template (SES_SEND_MODE=bulk). The SDK does not retry (maxAttempts 1): BullMQ
// owns retries, told by the error class what to do.
import {
  type BulkEmailEntryResult,
  CreateEmailTemplateCommand,
  DeleteEmailTemplateCommand,
  GetAccountCommand,
  SESv2Client,
  SendBulkEmailCommand,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { bulkEntryError, classifySesError, TemplateMissingError } from './send-errors.js';

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

/** Destinations SendBulkEmail takes in one call. */
export const BULK_DESTINATIONS = 50;

export interface BulkTemplateParts {
  subject: string;
  html: string;
  text: string;
}

/** One call of up to BULK_DESTINATIONS readers, each their own copy of a stored template. */
export interface OutgoingBulk {
  from: string;
  replyTo?: string | undefined;
  /** The stored template's name. */
  template: string;
  /** TemplateData every destination starts from; each destination's `data` overrides it key by key. */
  defaults: Record<string, unknown>;
  /** Headers and tags every destination gets. */
  headers: Record<string, string>;
  tags: Record<string, string>;
  destinations: {
    to: string;
    data: Record<string, unknown>;
    headers: Record<string, string>;
    tags: Record<string, string>;
  }[];
}

/** What became of one destination: the provider's message id, or an error class from send-errors.ts. */
export type BulkResult = { messageId: string } | { error: Error };

/** Sending many readers a call from stored templates; the campaign runner uses it in bulk mode. */
export interface BulkSender {
  /** Stores a template; one already stored under the name is left as it is (names are made from the content). */
  createTemplate(name: string, parts: BulkTemplateParts): Promise<void>;
  /** Deletes a stored template; one that is gone already is fine. */
  deleteTemplate(name: string): Promise<void>;
  /**
   * One result per destination, in their order. Throws a class from send-errors.ts when the call as a
   * whole failed (throttled, SES at fault, the template gone: TemplateMissingError).
   */
  sendBulk(message: OutgoingBulk): Promise<BulkResult[]>;
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

export class SesSender implements Sender, BulkSender {
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

  async createTemplate(name: string, parts: BulkTemplateParts): Promise<void> {
    try {
      await this.client.send(
        new CreateEmailTemplateCommand({
          TemplateName: name,
          TemplateContent: { Subject: parts.subject, Html: parts.html, Text: parts.text },
        }),
      );
    } catch (err) {
      if ((err as Error).name === 'AlreadyExistsException') return;
      throw classifySesError(err);
    }
  }

  async deleteTemplate(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteEmailTemplateCommand({ TemplateName: name }));
    } catch (err) {
      if ((err as Error).name === 'NotFoundException') return;
      throw classifySesError(err);
    }
  }

  async sendBulk(message: OutgoingBulk): Promise<BulkResult[]> {
    const pairs = (record: Record<string, string>) => Object.entries(record).map(([Name, Value]) => ({ Name, Value }));
    let results: BulkEmailEntryResult[];
    try {
      ({ BulkEmailEntryResults: results = [] } = await this.client.send(
        new SendBulkEmailCommand({
          FromEmailAddress: message.from,
          ...(message.replyTo ? { ReplyToAddresses: [message.replyTo] } : {}),
          DefaultContent: {
            Template: {
              TemplateName: message.template,
              TemplateData: JSON.stringify(message.defaults),
              Headers: pairs(message.headers),
            },
          },
          DefaultEmailTags: pairs(message.tags),
          BulkEmailEntries: message.destinations.map((d) => ({
            Destination: { ToAddresses: [d.to] },
            ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: JSON.stringify(d.data) } },
            ReplacementHeaders: pairs(d.headers),
            ReplacementTags: pairs(d.tags),
          })),
          ...(this.configurationSetName ? { ConfigurationSetName: this.configurationSetName } : {}),
        }),
      ));
    } catch (err) {
      // The template deleted under a campaign's feet (it ended, then its failed rows were retried):
      // a later attempt stores it again.
      if ((err as Error).name === 'NotFoundException')
        throw new TemplateMissingError('NotFoundException: the stored template is gone');
      throw classifySesError(err);
    }
    return message.destinations.map((_, i) => {
      const result = results[i];
      if (result?.Status === 'SUCCESS') return { messageId: result.MessageId ?? '' };
      return { error: bulkEntryError(result?.Status ?? 'FAILED', result?.Error ?? 'no result for this destination') };
    });
  }

  async maxSendRate(): Promise<number | undefined> {
    const account = await this.client.send(new GetAccountCommand({}));
    return account.SendQuota?.MaxSendRate;
  }
}
