// What each role may do, in the words staff accounts and API tokens both show.
import { STAFF_ROLES } from '../../db/schema';
import type { StaffRole } from '../../staff/schemas';

export const ROLE_HINTS: Record<StaffRole, string> = {
  writer: 'Writer: composes bulletins and sends test copies to their own addresses; an editor sends',
  editor: 'Editor: bulletins, subscribers, topics and sends',
  admin: 'Admin: all an editor does, plus staff accounts, API tokens, settings and the queue dashboard',
};

export const ROLE_NAMES: Record<StaffRole, string> = { writer: 'Writer', editor: 'Editor', admin: 'Admin' };

/** "a writer", "an editor", "an admin". */
export const withArticle = (role: StaffRole): string => `${role === 'writer' ? 'a' : 'an'} ${role}`;

/** Every role, from the least trusted: the order the forms offer them. */
export const ROLES: readonly StaffRole[] = STAFF_ROLES;
