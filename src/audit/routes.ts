// /api/audit: the audit trail, for admins.
import { defineRoute, type RouteSpec } from '../http/api-routes.js';
import type { AuditLog } from './audit-log.js';
import { AuditFilter, AuditPage } from './schemas.js';

export function auditRoutes(audit: AuditLog): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/audit',
      tag: 'audit',
      role: 'admin',
      summary: 'The audit trail, newest first: filter by person, action and time; page with `before`',
      query: AuditFilter,
      response: AuditPage,
      handler: ({ query }) => audit.list(query),
    }),
  ];
}
