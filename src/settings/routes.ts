// /api/settings: the organisation's settings; PUT merges the fields given.
import { actorOf, type AuditRecorder } from '../audit/audit-log.js';
import { defineRoute, type RouteSpec } from '../http/api-routes.js';
import { Settings } from './settings.js';
import type { SettingsStore } from './settings-store.js';

export function settingsRoutes(settings: SettingsStore, audit: AuditRecorder): RouteSpec[] {
  const tag = 'settings';
  return [
    defineRoute({
      method: 'get',
      path: '/settings',
      tag,
      role: 'writer',
      summary: 'The organisation settings',
      response: Settings,
      handler: () => settings.get(),
    }),
    defineRoute({
      method: 'put',
      path: '/settings',
      tag,
      role: 'admin',
      summary: 'Change settings: the fields given are merged over the rest',
      body: settings.patchSchema,
      response: Settings,
      handler: async ({ body, auth }) => {
        const updated = await settings.update(body);
        // Which fields, not their values: the trail says who changed what, the settings say to what.
        await audit.record({
          actor: actorOf(auth),
          action: 'settings_changed',
          target: { type: 'settings', id: null },
          details: { fields: Object.keys(body).sort() },
        });
        return updated;
      },
    }),
  ];
}
