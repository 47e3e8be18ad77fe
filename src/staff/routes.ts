// /api/staff, /api/tokens and /api/me: staff accounts and API tokens for admins, and each
// person's own test addresses.
import { z } from 'zod';
import { actorOf, type AuditRecorder } from '../audit/audit-log.js';
import { defineRoute, idParams, type RouteSpec } from '../http/api-routes.js';
import { AppError } from '../errors.js';
import {
  CreatedToken,
  Me,
  StaffInput,
  StaffMember,
  StaffPatch,
  TestAddressesAnswer,
  TestAddressesInput,
  TokenInfo,
  TokenInput,
} from './schemas.js';
import type { SessionStore } from './sessions.js';
import { sessionStaff } from './sign-in.js';
import type { StaffStore, StaffUser } from './staff-store.js';

export function staffRoutes(staff: StaffStore, sessions: SessionStore, audit: AuditRecorder): RouteSpec[] {
  const tag = 'staff';
  return [
    defineRoute({
      method: 'get',
      path: '/staff',
      tag,
      role: 'admin',
      summary: 'List staff accounts',
      response: z.object({ data: z.array(StaffMember) }),
      handler: async () => ({ data: (await staff.listUsers()).map(staffMember) }),
    }),
    defineRoute({
      method: 'post',
      path: '/staff',
      tag,
      role: 'admin',
      summary: 'Create a staff account',
      status: 201,
      body: StaffInput,
      response: StaffMember,
      handler: async ({ body, auth }) => {
        const user = await staff.createUser(body);
        await audit.record({
          actor: actorOf(auth),
          action: 'staff_created',
          target: { type: 'staff', id: user.id },
          details: { email: user.email, role: user.role },
        });
        return staffMember(user);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/staff/:id',
      tag,
      role: 'admin',
      summary:
        "Change a staff member's role or password " +
        '(a new password ends their other sessions; the last admin stays admin)',
      params: idParams,
      body: StaffPatch,
      response: StaffMember,
      handler: async ({ params, body, auth }) => {
        const before = await staff.findUser(params.id);
        const user = await staff.updateUser(params.id, body);
        if (body.password !== undefined) {
          await sessions.deleteForStaff(
            user.id,
            auth.kind === 'session' && auth.staffId === user.id ? auth.sessionToken : undefined,
          );
        }
        const roleChanged = before !== undefined && before.role !== user.role;
        if (roleChanged || body.password !== undefined) {
          await audit.record({
            actor: actorOf(auth),
            action: 'staff_changed',
            target: { type: 'staff', id: user.id },
            details: {
              email: user.email,
              ...(roleChanged ? { role: { from: before.role, to: user.role } } : {}),
              ...(body.password !== undefined ? { password: 'changed' } : {}),
            },
          });
        }
        return staffMember(user);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/staff/:id',
      tag,
      role: 'admin',
      summary: 'Delete a staff account and end its sessions (not your own, not the last admin)',
      status: 204,
      params: idParams,
      handler: async ({ params, auth }) => {
        if (auth.kind === 'session' && auth.staffId === params.id) {
          throw new AppError('conflict', 'You cannot delete your own account: ask another admin');
        }
        const user = await staff.findUser(params.id);
        await staff.deleteUser(params.id); // its sessions go with it (ON DELETE CASCADE)
        await audit.record({
          actor: actorOf(auth),
          action: 'staff_deleted',
          target: { type: 'staff', id: params.id },
          details: user ? { email: user.email, role: user.role } : {},
        });
      },
    }),
  ];
}

export function tokenRoutes(staff: StaffStore, audit: AuditRecorder): RouteSpec[] {
  const tag = 'tokens';
  return [
    defineRoute({
      method: 'get',
      path: '/tokens',
      tag,
      role: 'admin',
      summary: 'List API tokens (never their secrets)',
      response: z.object({ data: z.array(TokenInfo) }),
      handler: async () => ({ data: await staff.listTokens() }),
    }),
    defineRoute({
      method: 'post',
      path: '/tokens',
      tag,
      role: 'admin',
      summary: 'Create an API token; the answer is the only time it is shown',
      status: 201,
      body: TokenInput,
      response: CreatedToken,
      handler: async ({ body, auth }) => {
        const created = await staff.createToken(body, auth.kind === 'session' ? auth.staffId : undefined);
        const token = { name: body.name, role: body.role, expiresAt: body.expiresAt ?? null };
        await audit.record({
          actor: actorOf(auth),
          action: 'token_created',
          target: { type: 'token', id: created.id },
          details: token,
        });
        return { ...created, ...token };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/tokens/:id',
      tag,
      role: 'admin',
      summary: 'Revoke an API token: it stops working at once',
      status: 204,
      params: idParams,
      handler: async ({ params, auth }) => {
        const token = (await staff.listTokens()).find((t) => t.id === params.id);
        await staff.deleteToken(params.id);
        await audit.record({
          actor: actorOf(auth),
          action: 'token_revoked',
          target: { type: 'token', id: params.id },
          details: token ? { name: token.name, role: token.role } : {},
        });
      },
    }),
  ];
}

export function meRoutes(staff: StaffStore): RouteSpec[] {
  const tag = 'me';
  return [
    defineRoute({
      method: 'get',
      path: '/me',
      tag,
      role: 'writer',
      summary: 'Who is asking: the signed-in staff member, or the API token',
      response: Me,
      handler: async ({ auth }) => {
        if (auth.kind === 'token') return { kind: 'token' as const, name: auth.name, role: auth.role };
        return sessionStaff(await signedIn(staff, auth.staffId));
      },
    }),
    defineRoute({
      method: 'put',
      path: '/me/test-addresses',
      tag,
      role: 'writer',
      summary: 'Replace the addresses your test copies go to (signed-in staff only)',
      body: TestAddressesInput,
      response: TestAddressesAnswer,
      handler: async ({ auth, body }) => {
        if (auth.kind !== 'session') {
          throw new AppError(
            'invalid_input',
            'Test addresses belong to a signed-in staff member; an API token has none',
          );
        }
        return { testAddresses: await staff.setTestAddresses(auth.staffId, body.addresses) };
      },
    }),
  ];
}

async function signedIn(staff: StaffStore, id: number): Promise<StaffUser> {
  const user = await staff.findUser(id);
  if (!user) throw new AppError('unauthorized', 'Your account no longer exists');
  return user;
}

function staffMember(user: StaffUser): StaffMember {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    createdAt: user.createdAt,
    ...(user.lastSignInAt ? { lastSignInAt: user.lastSignInAt } : {}),
  };
}
