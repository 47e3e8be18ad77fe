// Shared steps of the sending tests: a sendable bulletin, an audience, waiting for a campaign.
import type { Insertable } from 'kysely';
import type { CampaignsTable } from '../../src/db/schema.js';
import type { TestApp } from './app.js';
import type { TestDatabase } from './databases.js';
import { exampleBulletin } from './bulletins.js';

/** Settings and topic that let the example bulletin (or `document`) pass its pre-send checks; returns its id. */
export async function sendableBulletin(app: TestApp, document = exampleBulletin()): Promise<number> {
  await app.request('PUT', '/api/settings', {
    json: {
      organisationName: 'NNIRR',
      postalAddress: '310 8th Street, Oakland, CA',
      senderEmail: 'bulletin@nnirr.org',
      senderName: 'NNIRR',
    },
  });
  await app.request('POST', '/api/topics', {
    json: { key: 'weekly-bulletin', name: { en: 'Weekly bulletin', es: 'Boletín semanal' } },
  });
  const res = await app.request('POST', '/api/bulletins', { json: document });
  return (await res.json()).id;
}

/** Imports `count` active subscribers of the weekly bulletin, every third in Spanish: prefix0@domain, … */
export async function importAudience(
  app: TestApp,
  count: number,
  prefix = 'person',
  domain = 'example.org',
): Promise<void> {
  const lines = ['email,name,language,topics'];
  for (let i = 0; i < count; i++)
    lines.push(`${prefix}${i}@${domain},Person ${i},${i % 3 === 0 ? 'es' : 'en'},weekly-bulletin`);
  const res = await app.request('POST', '/api/subscribers/import', {
    body: lines.join('\n'),
    headers: { 'content-type': 'text/csv' },
  });
  if (res.status !== 200) throw new Error(`import failed: ${await res.text()}`);
}

export async function waitForCampaign(
  app: TestApp,
  id: number,
  states: string[],
  timeoutMs = 90_000,
): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await (await app.request('GET', `/api/campaigns/${id}`)).json();
    if (states.includes(report.state)) return report;
    if (Date.now() > deadline)
      throw new Error(`campaign ${id} is ${report.state}, not ${states.join('|')}: ${JSON.stringify(report.counts)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A campaign row written straight to the database, for tests that need one without sending it:
 * by default a finished send of `bulletin` to everyone; `fields` changes any column.
 */
export async function insertCampaign(
  { database }: TestDatabase,
  bulletin: { id: number; versionId: number },
  fields: Partial<Insertable<CampaignsTable>> = {},
): Promise<number> {
  const now = new Date().toISOString();
  const row = await database.db
    .insertInto('campaigns')
    .values({
      bulletin_id: bulletin.id,
      bulletin_version_id: bulletin.versionId,
      segment_id: null,
      rule: '{"all":[]}',
      topic: null,
      state: 'sent',
      tracking: 'aggregate',
      scheduled_at: now,
      started_at: now,
      finished_at: now,
      state_reason: null,
      templates: null,
      created_at: now,
      updated_at: now,
      ...fields,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
