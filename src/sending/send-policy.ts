// What a role may do with a bulletin's mail: whether a send to an audience needs someone else's
// approval first, who may give it, and where test copies may go. A writer composes, tests and asks.
import { roleAtLeast } from '../db/schema.js';
import type { Auth } from '../http/api-routes.js';
import { AppError } from '../errors.js';
import type { Settings } from '../settings/settings.js';
import type { StaffStore } from '../staff/staff-store.js';

/** Who asked for a send that waits for approval: a staff member or an API token. */
export interface Requester {
  kind: 'staff' | 'token';
  id: number;
}

export function requesterOf(auth: Auth): Requester {
  return auth.kind === 'session' ? { kind: 'staff', id: auth.staffId } : { kind: 'token', id: auth.tokenId };
}

/**
 * Why this send needs another staff member's approval, or null when it may go out (or be
 * scheduled) at once. The one place that decides it: a writer's send always does; anyone's does
 * when it reaches more people than the approval threshold in Settings (off by default).
 */
export function approvalNeeded(
  auth: Auth,
  audience: number,
  settings: Pick<Settings, 'approvalThreshold'>,
): string | null {
  if (!roleAtLeast(auth.role, 'editor')) return 'a writer’s send needs an editor’s or an admin’s approval';
  const threshold = settings.approvalThreshold;
  if (threshold !== null && audience > threshold) return `a send to more than ${threshold} people needs approval`;
  return null;
}

/**
 * Nobody approves (or declines) their own request. A token's request is its own: a session of the
 * staff member who made the token may approve it, as may any other editor or admin (the token
 * itself, or another token, also may, if it has the role), but the token may not.
 */
export function requireOtherApprover(auth: Auth, requester: Requester | null, action: string): void {
  const me = requesterOf(auth);
  if (requester && requester.kind === me.kind && requester.id === me.id) {
    throw new AppError('conflict', `Nobody ${action} their own request: another editor or admin does`);
  }
}

/**
 * A writer's test copies go only to their own addresses (their test addresses and their sign-in
 * address), so a test send cannot become a small send to other people. A token with the writer
 * role has no addresses of its own and sends none. Editors and admins send tests anywhere.
 */
export async function requireOwnTestAddresses(auth: Auth, to: readonly string[], staff: StaffStore): Promise<void> {
  if (roleAtLeast(auth.role, 'editor')) return;
  if (auth.kind === 'token') {
    throw new AppError(
      'forbidden',
      'A token with the writer role sends no test copies: a writer’s go to their own addresses',
      [{ path: 'to', message: 'a writer token has no addresses of its own' }],
    );
  }
  const user = await staff.findUser(auth.staffId);
  const own = new Set([user?.email, ...(user?.testAddresses ?? [])].map((address) => address?.toLowerCase()));
  const others = to.flatMap((address, i) =>
    own.has(address) ? [] : [{ path: `to[${i}]`, message: `${address} is not one of your own addresses` }],
  );
  if (others.length) {
    throw new AppError(
      'forbidden',
      'A writer sends test copies only to their own addresses (their sign-in address and their test addresses)',
      others,
    );
  }
}
