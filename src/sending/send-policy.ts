// What a role may do with a bulletin's mail: whether it may send to an audience at once, and where
// its test copies may go. A writer composes and tests; sending to people is an editor's call.
import { roleAtLeast } from '../db/schema.js';
import type { Auth } from '../http/api-routes.js';
import { AppError } from '../errors.js';
import type { StaffStore } from '../staff/staff-store.js';

/**
 * Whether this send may go out (or be scheduled) without anyone else's say. The one place that
 * decides it: a send that may not is refused today, and is where a request for approval will start.
 */
export function maySendDirectly(auth: Auth): boolean {
  return roleAtLeast(auth.role, 'editor');
}

export function requireDirectSend(auth: Auth): void {
  if (!maySendDirectly(auth)) {
    throw new AppError(
      'forbidden',
      'Sending to an audience needs an editor or an admin: a writer composes, previews and sends test copies',
    );
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
