// /api/settings: the organisation's settings; PUT merges the fields given.
import { defineRoute, type RouteSpec } from '../http/api-routes.js';
import { Settings, SettingsPatch } from './settings.js';
import type { SettingsStore } from './settings-store.js';

export function settingsRoutes(settings: SettingsStore): RouteSpec[] {
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
      body: SettingsPatch,
      response: Settings,
      handler: ({ body }) => settings.update(body),
    }),
  ];
}
