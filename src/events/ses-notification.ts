// Reads the SES event inside an SNS notification's Message (pure). Both SES formats are read:
// identity notifications (`notificationType`) and configuration-set event publishing (`eventType`).
import { z } from 'zod';

export type SesEvent =
  /** `permanent` is false for Transient and Undetermined bounces: those are only counted. */
  | { kind: 'bounce'; permanent: boolean; emails: string[]; messageId: string }
  | { kind: 'complaint'; emails: string[]; messageId: string }
  /** `at` is when SES says the receiving server took the message, when it says so. */
  | { kind: 'delivery'; messageId: string; at: string | undefined }
  | { kind: 'other' };

const recipients = z.array(z.object({ emailAddress: z.string() })).default([]);
const mail = z.object({ messageId: z.string().min(1) });

const bounceSchema = z.object({
  mail,
  bounce: z.object({ bounceType: z.string(), bouncedRecipients: recipients }),
});
const complaintSchema = z.object({
  mail,
  complaint: z.object({ complainedRecipients: recipients }),
});
const deliverySchema = z.object({
  mail,
  delivery: z.object({ timestamp: z.iso.datetime({ offset: true }).optional().catch(undefined) }).default({}),
});

const OTHER: SesEvent = { kind: 'other' };

/** The domain event a Message stands for; anything unreadable or of another type is 'other'. */
export function parseSesNotification(message: string): SesEvent {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return OTHER;
  }
  if (typeof json !== 'object' || json === null) return OTHER;
  const { notificationType, eventType } = json as { notificationType?: unknown; eventType?: unknown };
  const type = notificationType ?? eventType;

  if (type === 'Bounce') {
    const parsed = bounceSchema.safeParse(json);
    if (!parsed.success) return OTHER;
    const { bounce } = parsed.data;
    return {
      kind: 'bounce',
      permanent: bounce.bounceType === 'Permanent',
      emails: addresses(bounce.bouncedRecipients),
      messageId: parsed.data.mail.messageId,
    };
  }
  if (type === 'Complaint') {
    const parsed = complaintSchema.safeParse(json);
    if (!parsed.success) return OTHER;
    return {
      kind: 'complaint',
      emails: addresses(parsed.data.complaint.complainedRecipients),
      messageId: parsed.data.mail.messageId,
    };
  }
  if (type === 'Delivery') {
    const parsed = deliverySchema.safeParse(json);
    if (!parsed.success) return OTHER;
    const at = parsed.data.delivery.timestamp;
    return { kind: 'delivery', messageId: parsed.data.mail.messageId, at: at && new Date(at).toISOString() };
  }
  return OTHER;
}

/** Bare, lower-cased addresses: a DSN's Final-Recipient may come as `Name <address>`. */
function addresses(list: readonly { emailAddress: string }[]): string[] {
  const emails = list
    .map(({ emailAddress }) => (/<([^<>]+)>/.exec(emailAddress)?.[1] ?? emailAddress).trim().toLowerCase())
    .filter((email) => email.includes('@'));
  return [...new Set(emails)];
}
