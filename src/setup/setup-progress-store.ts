// The first-run checklist, read from the data itself (settings, topics, subscribers, bulletins),
// plus the one step nothing else keeps: that a test copy went out.
import type { Kysely } from 'kysely';
import { nowIso, type Tables } from '../db/schema.js';
import { DEFAULT_SETTINGS } from '../settings/settings.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { SETUP_STEPS, type SetupChecklist, type SetupStep } from './schemas.js';

const TEST_SENT = 'test_send';

export class SetupProgressStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly settings: SettingsStore,
  ) {}

  /** Remembers that a test copy went out; the first time is the one kept. */
  async testSent(): Promise<void> {
    await this.db
      .insertInto('setup_progress')
      .values({ step: TEST_SENT, reached_at: nowIso() })
      .onConflict((oc) => oc.column('step').doNothing())
      .execute();
  }

  async checklist(): Promise<SetupChecklist> {
    const { db } = this;
    const [settings, topic, activeSubscriber, latestBulletin, testSent] = await Promise.all([
      this.settings.get(),
      db.selectFrom('topics').select('id').limit(1).executeTakeFirst(),
      db.selectFrom('subscribers').select('id').where('status', '=', 'active').limit(1).executeTakeFirst(),
      db
        .selectFrom('bulletins')
        .select('id')
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst(),
      db.selectFrom('setup_progress').select('step').where('step', '=', TEST_SENT).executeTakeFirst(),
    ]);
    const done: Record<SetupStep, boolean> = {
      // The name every installation starts with is a placeholder, not the organisation's.
      organisation: settings.organisationName !== DEFAULT_SETTINGS.organisationName && settings.postalAddress !== '',
      sender: settings.senderName !== '' && settings.senderEmail !== '',
      topic: topic !== undefined,
      // Someone mail can go to: imported, added, or confirmed from the subscribe form.
      subscribers: activeSubscriber !== undefined,
      bulletin: latestBulletin !== undefined,
      test_send: testSent !== undefined,
    };
    const steps = SETUP_STEPS.map((step) => ({ step, done: done[step] }));
    return { done: steps.every((s) => s.done), steps, latestBulletinId: latestBulletin?.id ?? null };
  }
}
