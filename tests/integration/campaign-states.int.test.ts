// The campaign state machine as the store applies it: every operation from every state, on a real
// database, either moves the campaign where the table says or is refused and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_STATES, type CampaignState } from '../../src/db/schema.js';
import { CAMPAIGN_TRANSITIONS, type CampaignOperation, type CampaignStore } from '../../src/sending/campaign-store.js';
import { testMediaFiles } from '../helpers/media.js';
import { createStores } from '../../src/stores.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';

type Outcome = CampaignState | 'refused';

/** Refused from each of the first seven states, the ones before approval came. */
const NOT_FROM_SEVEN: Outcome[] = Array(7).fill('refused');

/** Each operation from each state, in CAMPAIGN_STATES order: where it leads, or 'refused'. */
const EXPECTED: Record<CampaignOperation, Record<CampaignState, Outcome>> = {
  start: outcomesFrom(
    'preparing',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
  ),
  startSending: outcomesFrom(
    'refused',
    'sending',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
  ),
  pause: outcomesFrom(
    'refused',
    'refused',
    'paused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
  ),
  resume: outcomesFrom(
    'refused',
    'refused',
    'refused',
    'sending',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
  ),
  rerun: outcomesFrom(
    'refused',
    'refused',
    'sending',
    'refused',
    'sending',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
  ),
  requeueLost: outcomesFrom(
    'refused',
    'refused',
    'sending',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
  ),
  finish: outcomesFrom(
    'refused',
    'refused',
    'sent',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
  ),
  cancel: outcomesFrom(
    'cancelled',
    'cancelled',
    'cancelled',
    'cancelled',
    'refused',
    'refused',
    'refused',
    'cancelled',
    'refused',
    'refused',
  ),
  fail: outcomesFrom(
    'failed',
    'failed',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
  ),
  reschedule: outcomesFrom(
    'scheduled',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
    'refused',
  ),
  approve: outcomesFrom(...NOT_FROM_SEVEN, 'scheduled', 'refused', 'refused'),
  decline: outcomesFrom(...NOT_FROM_SEVEN, 'declined', 'refused', 'refused'),
  withdraw: outcomesFrom(...NOT_FROM_SEVEN, 'withdrawn', 'refused', 'refused'),
};

/**
 * One line of EXPECTED: scheduled, preparing, sending, paused, sent, cancelled, failed, awaiting_approval,
 * declined, withdrawn.
 */
function outcomesFrom(...outcomes: Outcome[]): Record<CampaignState, Outcome> {
  return Object.fromEntries(CAMPAIGN_STATES.map((state, i) => [state, outcomes[i]!])) as Record<CampaignState, Outcome>;
}

const LATER = '2031-01-01T09:00:00.000Z';

/** Each operation called as its callers call it. */
const OPERATIONS: Record<CampaignOperation, (campaigns: CampaignStore, id: number) => Promise<boolean>> = {
  start: (c, id) => c.start(id, ''),
  startSending: (c, id) => c.startSending(id),
  pause: (c, id) => c.pause(id, 'Paused by staff'),
  resume: (c, id) => c.resume(id),
  rerun: (c, id) => c.rerun(id),
  requeueLost: (c, id) => c.requeueLost(id, 0),
  finish: (c, id) => c.finish(id),
  cancel: (c, id) => c.cancel(id),
  fail: (c, id) => c.fail(id, 'Could not prepare: no such version'),
  reschedule: (c, id) => c.reschedule(id, LATER),
  approve: (c, id) => c.approve(id, LATER),
  decline: (c, id) => c.decline(id, 'Not this week'),
  // Withdraws every request of the bulletin: it moved this campaign if it names it.
  withdraw: async (c, id) => (await c.withdrawRequests((await c.get(id)).bulletinId, 'Changed')).includes(id),
};

it('the table of transitions is the state machine the tests expect', () => {
  for (const operation of Object.keys(EXPECTED) as CampaignOperation[]) {
    const { from, to } = CAMPAIGN_TRANSITIONS[operation];
    const expected = CAMPAIGN_STATES.filter((state) => EXPECTED[operation][state] !== 'refused');
    expect([...from].sort(), operation).toEqual([...expected].sort());
    for (const state of expected) expect(EXPECTED[operation][state], `${operation} from ${state}`).toBe(to);
  }
  expect(Object.keys(CAMPAIGN_TRANSITIONS).sort()).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(databaseKinds())('campaign states on %s', (kind) => {
  let db: TestDatabase;
  let campaigns: CampaignStore;
  let bulletin: { id: number; versionId: number };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    const stores = createStores(db.database, {
      appSecret: 'x'.repeat(40),
      publicUrl: 'https://news.example.org',
      media: testMediaFiles(),
    });
    campaigns = stores.campaigns;
    bulletin = await stores.bulletins.create({
      version: 1,
      title: 'Boletín',
      languages: ['en'],
      subject: { en: 'News' },
      blocks: [],
    });
  });

  afterAll(async () => {
    await db?.drop();
  });

  const rowOf = (id: number) =>
    db.database.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it.each(Object.keys(EXPECTED) as CampaignOperation[])(
    '%s moves a campaign only from the states the table allows',
    async (operation) => {
      for (const state of CAMPAIGN_STATES) {
        const id = await insertCampaign(db, bulletin, { state, updated_at: '2030-01-01T00:00:00.000Z' });
        const before = await rowOf(id);
        const moved = await OPERATIONS[operation](campaigns, id);
        const after = await rowOf(id);
        const expected = EXPECTED[operation][state];
        if (expected === 'refused') {
          expect(moved, `${operation} from ${state}`).toBe(false);
          expect(after, `${operation} from ${state} changes nothing`).toEqual(before);
        } else {
          expect(moved, `${operation} from ${state}`).toBe(true);
          expect(after.state, `${operation} from ${state}`).toBe(expected);
          expect(after.updated_at).not.toBe(before.updated_at);
        }
      }
    },
  );

  it('requeueLost starts a new run only from the run it was given', async () => {
    const id = await insertCampaign(db, bulletin, { state: 'sending', finished_at: null, run: 2 });
    expect(await campaigns.requeueLost(id, 1)).toBe(false);
    expect((await rowOf(id)).run).toBe(2);
    expect(await campaigns.requeueLost(id, 2)).toBe(true);
    expect(await rowOf(id)).toMatchObject({ state: 'sending', run: 3 });
  });

  it('finish waits while a delivery is queued or sending', async () => {
    const id = await insertCampaign(db, bulletin, { state: 'sending', finished_at: null });
    const delivery = await db.database.db
      .insertInto('deliveries')
      .values({ campaign_id: id, subscriber_id: null, language: 'en', status: 'queued', updated_at: LATER })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await campaigns.finish(id)).toBe(false);
    await db.database.db.updateTable('deliveries').set({ status: 'sending' }).where('id', '=', delivery.id).execute();
    expect(await campaigns.finish(id)).toBe(false);
    expect((await rowOf(id)).state).toBe('sending');
    await db.database.db.updateTable('deliveries').set({ status: 'sent' }).where('id', '=', delivery.id).execute();
    expect(await campaigns.finish(id)).toBe(true);
    expect(await rowOf(id)).toMatchObject({ state: 'sent', finished_at: expect.any(String) });
  });
});
