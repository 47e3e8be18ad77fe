// What each role may do, in the words staff accounts and API tokens both show.
import type { StaffRole } from '../../staff/schemas';

export const ROLE_HINTS: Record<StaffRole, string> = {
  editor: 'Editor: bulletins, subscribers, topics and sends',
  admin: 'Admin: all an editor does, plus staff accounts, API tokens, settings and the queue dashboard',
};

/** Every role, in the order the forms offer them (the hints' order). */
export const ROLES = Object.keys(ROLE_HINTS) as StaffRole[];
