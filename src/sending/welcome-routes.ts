// /api/welcome-mail: which bulletin is the welcome mail, and whether it is on. Admins change it.
import { z } from 'zod';
import { actorOf, type AuditRecorder } from '../audit/audit-log.js';
import { defineRoute, Id, type RouteSpec } from '../http/api-routes.js';
import { WelcomeMailStatus } from './schemas.js';
import type { WelcomeMail } from './welcome-mail.js';

const WelcomeMailChange = z
  .strictObject({
    enabled: z
      .boolean()
      .describe('true turns the welcome mail on (422 with the findings while the bulletin’s checks find errors)'),
    bulletinId: Id.optional().describe('The bulletin to mark as the welcome mail; needed to turn it on'),
  })
  .refine((change) => !change.enabled || change.bulletinId !== undefined, {
    path: ['bulletinId'],
    message: 'is needed to turn the welcome mail on',
  });

export function welcomeMailRoutes(welcome: WelcomeMail, audit: AuditRecorder): RouteSpec[] {
  const tag = 'welcome-mail';
  return [
    defineRoute({
      method: 'get',
      path: '/welcome-mail',
      tag,
      role: 'writer',
      summary: 'The welcome mail: the bulletin marked as it, whether it is on, and its campaigns',
      response: WelcomeMailStatus,
      handler: () => welcome.status(),
    }),
    defineRoute({
      method: 'put',
      path: '/welcome-mail',
      tag,
      role: 'admin',
      summary:
        'Mark a bulletin as the welcome mail and turn it on or off; 422 with the findings while its pre-send ' +
        'checks find errors. Turned on again after the bulletin was saved, the new version goes from then on',
      body: WelcomeMailChange,
      response: WelcomeMailStatus,
      handler: async ({ body, auth }) => {
        const status = body.enabled ? await welcome.turnOn(body.bulletinId!) : await welcome.turnOff(body.bulletinId);
        await audit.record({
          actor: actorOf(auth),
          action: status.enabled ? 'welcome_mail_turned_on' : 'welcome_mail_turned_off',
          target:
            status.campaignId === null ? { type: 'settings', id: null } : { type: 'campaign', id: status.campaignId },
          details: { bulletinId: status.bulletinId },
        });
        return status;
      },
    }),
  ];
}
