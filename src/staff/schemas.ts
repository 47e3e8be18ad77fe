// Staff accounts, sign-in and API tokens: input and output shapes, the one contract of these
// routes. Stores, routes and the staff app (with `import type`) take their types from here, and so
// does the OpenAPI document.
import { z } from 'zod';
import { Email } from '../audience/schemas.js';
import { STAFF_ROLES } from '../db/schema.js';
import { passwordWeakness } from './password-policy.js';

/** The values themselves are the database's (src/db/schema.ts), which the staff app reads without zod. */
export const StaffRole = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRole>;

/**
 * Every password a staff member is given: setup, a new account, a new password, the CLI. scrypt
 * over a megabyte of "password" would be a cheap way to burn our CPU: capped.
 */
export const Password = z
  .string()
  .min(12, { error: 'must be at least 12 characters', abort: true })
  .max(1024, { error: 'must be at most 1024 characters', abort: true })
  .superRefine((password, ctx) => {
    const weakness = passwordWeakness(password);
    if (weakness) ctx.addIssue({ code: 'custom', message: weakness });
  });

/** At most this many test addresses per staff member. */
export const TEST_ADDRESSES_MAX = 10;
export const TestAddresses = z.array(Email).max(TEST_ADDRESSES_MAX, `must be at most ${TEST_ADDRESSES_MAX} addresses`);

/** The signed-in person, as the web app sees them. */
export const SessionStaff = z.object({
  id: z.number().int(),
  email: z.string(),
  role: StaffRole,
  testAddresses: z.array(z.string()),
});
export type SessionStaff = z.infer<typeof SessionStaff>;

/** GET /api/session, and a sign-in or setup: who is signed in, and the token every change must send. */
export const SessionAnswer = z.object({
  staff: SessionStaff,
  csrfToken: z.string(),
  mailViewer: z
    .string()
    .optional()
    .describe("The development mail viewer's path, when there is one (never in production)"),
  failedSignIns: z
    .number()
    .int()
    .optional()
    .describe('On a sign-in only: the wrong passwords given for this account since its previous sign-in, if any'),
});
export type SessionAnswer = z.infer<typeof SessionAnswer>;

/** GET /api/me with an API token. */
export const TokenSelf = z.object({ kind: z.literal('token'), name: z.string(), role: StaffRole });

/** GET /api/me: the signed-in staff member, or the API token. */
export const Me = z.union([SessionStaff, TokenSelf]);
export type Me = z.infer<typeof Me>;

export const SignInInput = z.strictObject({
  // Not validated as an address: a typo must answer like any wrong email, not name the field.
  email: z.string().trim().toLowerCase().max(254, 'must be at most 254 characters'),
  password: z.string().max(1024, 'must be at most 1024 characters'),
});

export const SetupInput = z.strictObject({
  code: z.string().max(64, 'must be at most 64 characters'),
  email: Email,
  password: Password,
});

export const StaffMember = z.object({
  id: z.number().int(),
  email: z.string(),
  role: StaffRole,
  createdAt: z.string(),
  /** Absent until the person first signs in. */
  lastSignInAt: z.string().optional(),
});
export type StaffMember = z.infer<typeof StaffMember>;

export const StaffInput = z.strictObject({ email: Email, password: Password, role: StaffRole });
export type StaffInput = z.infer<typeof StaffInput>;

export const StaffPatch = z.strictObject({
  role: StaffRole.optional(),
  /** A new password ends the person's other sessions. */
  password: Password.optional(),
});
export type StaffPatch = z.infer<typeof StaffPatch>;

export const TokenInput = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  role: StaffRole,
  expiresAt: z.iso
    .datetime({ offset: true, error: 'must be a date and time such as 2027-01-31T00:00:00Z', abort: true })
    .refine((at) => Date.parse(at) > Date.now(), 'must be in the future')
    .transform((at) => new Date(at).toISOString())
    .optional()
    .describe('When the token stops working; left out, it works until revoked'),
});
export type TokenInput = z.infer<typeof TokenInput>;

export const TokenInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  role: StaffRole,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  /** Null when made from the CLI or with another token, or when that person's account is gone. */
  createdBy: z.string().nullable().describe('The email of the staff member who made the token'),
  expiresAt: z.string().nullable(),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

/** Answered once, when the token is made: the token itself is never stored. */
export const CreatedToken = z.object({
  id: z.number().int(),
  name: z.string(),
  role: StaffRole,
  expiresAt: z.string().nullable(),
  token: z.string(),
});
export type CreatedToken = z.infer<typeof CreatedToken>;

export const TestAddressesInput = z.strictObject({ addresses: TestAddresses });

export const TestAddressesAnswer = z.object({ testAddresses: z.array(z.string()) });
export type TestAddressesAnswer = z.infer<typeof TestAddressesAnswer>;
