// The double opt-in's work in the worker, off the request that asked for it: record a request
// from the form, mail its confirmation (or a new link) within the limits, and delete what was
// never confirmed.
import type { Logger } from 'pino';
import { fromAddress } from '../sending/from-address.js';
import type { Sender } from '../sending/ses-sender.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { LinkSigner } from '../signed-links.js';
import { signConfirmLink } from './confirm-link.js';
import type { ConfirmationLimiter } from './confirmation-limits.js';
import type { ConfirmationJob } from './confirmation-queue.js';
import type { ConfirmationTarget, SubscriptionStore } from './subscription-store.js';

/**
 * What the form added and no one confirmed is deleted this long after: for a week the link
 * works, for another an expired link can still ask for a new one.
 */
export const UNCONFIRMED_LIFETIME_MS = 14 * 24 * 3600_000;

export interface ConfirmationsDeps {
  subscriptions: SubscriptionStore;
  settings: SettingsStore;
  signer: LinkSigner;
  sender: Sender;
  limiter: ConfirmationLimiter;
  /** Base of the confirmation link in the mail. */
  publicUrl: string;
  /** The From when the settings name no sender. */
  mailFrom: string;
  logger: Logger;
}

export class Confirmations {
  constructor(private readonly deps: ConfirmationsDeps) {}

  async run(job: ConfirmationJob): Promise<void> {
    const { subscriptions } = this.deps;
    switch (job.kind) {
      case 'request':
        return this.mail(await subscriptions.request(job.request));
      case 'resend':
        return this.mail(await subscriptions.target(job.link.id, job.link.requestId));
      case 'expire':
        return this.expire();
    }
  }

  private async mail(target: ConfirmationTarget | undefined): Promise<void> {
    if (!target) return;
    const { deps } = this;
    const held = await deps.limiter.hold(target.email);
    if (held) return void deps.logger.info(held, 'confirmation mail held by a limit');
    const settings = await deps.settings.get();
    // Loaded at the first confirmation: a worker that never sends one never loads React.
    const { confirmationEmail } = await import('../../emails/confirmation.js');
    const mail = await confirmationEmail({
      language: target.language,
      defaultLanguage: settings.defaultLanguage,
      wording: settings.wording,
      organisationName: settings.organisationName,
      postalAddress: settings.postalAddress,
      brandColor: settings.brandColor,
      confirmUrl: `${deps.publicUrl}/confirm/${signConfirmLink(deps.signer, target)}`,
    });
    await deps.sender.send({
      from: fromAddress(settings, deps.mailFrom),
      to: target.email,
      replyTo: settings.replyTo || undefined,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers: {},
      tags: { type: 'confirmation' },
    });
  }

  private async expire(): Promise<void> {
    const gone = await this.deps.subscriptions.expire(new Date(Date.now() - UNCONFIRMED_LIFETIME_MS).toISOString());
    if (gone.subscribers || gone.requests) this.deps.logger.info(gone, 'unconfirmed requests deleted');
  }
}
