// The double opt-in's work in the worker, off the request that asked for it: record a request
// from the form, mail its confirmation (or a new link, or the confirmation of someone staff
// added) within the limits, and delete what was never confirmed.
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

/**
 * The part of the installation's hourly confirmations that the ones staff asked for may take: an
 * import of thousands is sent over the hours that follow, and the form keeps the other half.
 */
export const STAFF_SHARE_OF_HOUR = 0.5;

/** An hour: a mail that waits for the next hour wakes somewhere in it, not all of them at once. */
const SPREAD_MS = 3600_000;

/**
 * A confirmation staff asked for, held by the domain's or the installation's hour: the worker
 * puts its job back to run in `ms`, without spending one of its attempts.
 */
export class ConfirmationWaits extends Error {
  override name = 'ConfirmationWaits';
  constructor(readonly ms: number) {
    super('confirmation mail waits for the next hour');
  }
}

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
      case 'confirm':
        return this.mail(await subscriptions.target(job.id, undefined), 'staff');
      case 'expire':
        return this.expire();
    }
  }

  /**
   * Mails a confirmation within the limits. Held, one the form asked for is dropped (whoever
   * posted the form learns nothing either way); one staff asked for waits for the next hour of the
   * domain or the installation, and is dropped only past its mailbox's three a day.
   */
  private async mail(target: ConfirmationTarget | undefined, askedBy: 'form' | 'staff' = 'form'): Promise<void> {
    if (!target) return;
    const { deps } = this;
    const held = await deps.limiter.hold(target.email, askedBy === 'staff' ? STAFF_SHARE_OF_HOUR : 1);
    if (held && askedBy === 'staff' && held.limit !== 'mailbox') {
      throw new ConfirmationWaits(held.msLeft + Math.floor(Math.random() * SPREAD_MS));
    }
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
