// What each role may do, in the words staff accounts and API tokens both show.
import type { Role } from '../session';

export const ROLES: readonly Role[] = ['editor', 'admin'];

export const ROLE_HINTS: Record<Role, string> = {
  editor: 'Editor: bulletins, subscribers, topics and sends',
  admin: 'Admin: all an editor does, plus staff accounts, API tokens, settings and the queue dashboard',
};
