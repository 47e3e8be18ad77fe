// /api/setup/checklist: how far first run has come (POST /api/setup, the first admin, is the sign-in router's).
import { defineRoute, type RouteSpec } from '../http/api-routes.js';
import { SetupChecklist } from './schemas.js';
import type { SetupProgressStore } from './setup-progress-store.js';

export function setupRoutes(progress: SetupProgressStore): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/setup/checklist',
      tag: 'setup',
      role: 'writer',
      summary: "First run's steps, each done or not, read from the settings, topics, subscribers and bulletins",
      response: SetupChecklist,
      handler: () => progress.checklist(),
    }),
  ];
}
