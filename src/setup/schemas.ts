// The first-run checklist as GET /api/setup/checklist answers it and the staff app's home shows it.
import { z } from 'zod';

/** In the order the checklist shows them: each one needs the ones before it no more than a nudge. */
export const SETUP_STEPS = ['organisation', 'sender', 'topic', 'subscribers', 'bulletin', 'test_send'] as const;
export const SetupStep = z.enum(SETUP_STEPS);
export type SetupStep = z.infer<typeof SetupStep>;

export const SetupChecklist = z.object({
  done: z.boolean().describe('Every step is done: the staff app shows the bulletins at home instead'),
  steps: z
    .array(
      z.object({
        step: SetupStep.describe(
          'organisation: a name of its own and a postal address; sender: a from name and address; topic: one ' +
            'exists; subscribers: someone active to send to (imported, added, or confirmed from the subscribe ' +
            'form); bulletin: one exists; test_send: a test copy of any bulletin went out',
        ),
        done: z.boolean(),
      }),
    )
    .describe('Every step, in order'),
  latestBulletinId: z
    .number()
    .nullable()
    .describe('The bulletin changed last, where a test copy would be sent from; null when there is none'),
});
export type SetupChecklist = z.infer<typeof SetupChecklist>;
