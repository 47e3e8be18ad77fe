// /api/bulletins/:id/presence: the composer's heartbeat, answered with who else has the bulletin
// open, and its goodbye when the page closes (src/bulletins/presence.ts).
import { type Auth, defineRoute, idParams, type RouteSpec } from '../http/api-routes.js';
import type { BulletinStore } from './bulletin-store.js';
import type { BulletinPresence, Viewer } from './presence.js';
import { PresenceAnswer, PresenceHeartbeat } from './schemas.js';

/** The one asking, as others see them: a staff member by their email, a script by its token's name. */
function viewerOf(auth: Auth): Viewer {
  return auth.kind === 'session'
    ? { key: `staff:${auth.staffId}`, kind: 'staff', name: auth.email }
    : { key: `token:${auth.tokenId}`, kind: 'token', name: auth.name };
}

export function presenceRoutes(bulletins: BulletinStore, presence: BulletinPresence): RouteSpec[] {
  const tag = 'bulletins';
  return [
    defineRoute({
      method: 'put',
      path: '/bulletins/:id/presence',
      tag,
      role: 'writer',
      summary:
        'Say you have the bulletin open (every 10 seconds or so; gone 30 seconds after the last): ' +
        'answers who else has it open',
      params: idParams,
      body: PresenceHeartbeat,
      response: PresenceAnswer,
      handler: async ({ params, body, auth }) => {
        await bulletins.get(params.id); // 404 for a bulletin that is not there
        return { data: await presence.beat(params.id, viewerOf(auth), body.editing) };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/bulletins/:id/presence',
      tag,
      role: 'writer',
      summary: 'Say you closed the bulletin: the others no longer see you',
      params: idParams,
      status: 204,
      handler: async ({ params, auth }) => {
        await presence.leave(params.id, viewerOf(auth).key);
        return undefined;
      },
    }),
  ];
}
