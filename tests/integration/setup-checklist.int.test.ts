// The first-run checklist reads each step from the data: an empty installation has none done,
// and each step turns done by what staff do where it is done, until the whole list is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SetupChecklist, SetupStep } from '../../src/setup/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { databaseKinds } from '../helpers/databases.js';
import { ScriptedSes } from '../support/scripted-ses.js';

describe.each(databaseKinds())('the setup checklist on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, { sesEndpoint: ses.url });
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  const checklist = async (token?: string): Promise<SetupChecklist> => {
    const res = await app.request('GET', '/api/setup/checklist', token ? { token } : {});
    expect(res.status).toBe(200);
    return res.json();
  };
  const doneSteps = async () => (await checklist()).steps.filter((s) => s.done).map((s) => s.step);
  const call = async (method: string, path: string, json: unknown, status = 200) => {
    const res = await app.request(method, path, { json });
    expect(res.status, await res.clone().text()).toBe(status);
    return res.json();
  };

  it('goes from nothing done to everything done, one step at a time', async () => {
    expect(await checklist()).toEqual({
      done: false,
      steps: (['organisation', 'sender', 'topic', 'subscribers', 'bulletin', 'test_send'] as SetupStep[]).map(
        (step) => ({ step, done: false }),
      ),
      latestBulletinId: null,
    });

    // The name every installation starts with does not count as the organisation's own.
    await call('PUT', '/api/settings', { postalAddress: '310 8th Street, Oakland, CA 94607' });
    expect(await doneSteps()).toEqual([]);
    await call('PUT', '/api/settings', { organisationName: 'Red Solidaria' });
    expect(await doneSteps()).toEqual(['organisation']);

    await call('PUT', '/api/settings', { senderName: 'Red Solidaria' });
    expect(await doneSteps()).toEqual(['organisation']);
    await call('PUT', '/api/settings', { senderEmail: 'bulletin@red.example.org' });
    expect(await doneSteps()).toEqual(['organisation', 'sender']);

    await call('POST', '/api/topics', { key: 'weekly', name: { en: 'Weekly' } }, 201);
    expect(await doneSteps()).toEqual(['organisation', 'sender', 'topic']);

    // Someone still to confirm is no one to send to yet.
    const rosa = await call('POST', '/api/subscribers', { email: 'rosa@example.org' }, 201);
    expect(await doneSteps()).toEqual(['organisation', 'sender', 'topic']);
    await call('PATCH', `/api/subscribers/${rosa.id}`, { status: 'active' });
    expect(await doneSteps()).toEqual(['organisation', 'sender', 'topic', 'subscribers']);

    const bulletin = await call('POST', '/api/bulletins', exampleBulletin(), 201);
    const afterBulletin = await checklist();
    expect(afterBulletin.steps.filter((s) => !s.done).map((s) => s.step)).toEqual(['test_send']);
    expect(afterBulletin.latestBulletinId).toBe(bulletin.id);

    // A test refused (a suppressed address) sent nothing: the step stays to do.
    await call('POST', '/api/suppressions', { email: 'gone@example.org', reason: 'manual' }, 201);
    await call('POST', `/api/bulletins/${bulletin.id}/test`, { to: ['gone@example.org'] }, 409);
    expect((await checklist()).done).toBe(false);

    await call('POST', `/api/bulletins/${bulletin.id}/test`, { to: ['ana+test@example.org'] });
    expect(ses.received.length).toBeGreaterThan(0);
    // Editors see it as admins do.
    expect(await checklist(app.editorToken)).toEqual({
      done: true,
      steps: expect.arrayContaining([{ step: 'test_send', done: true }]),
      latestBulletinId: bulletin.id,
    });

    // A second test keeps the first one's record (and answers as before).
    await call('POST', `/api/bulletins/${bulletin.id}/test`, { to: ['ana+test@example.org'] });
    expect((await checklist()).done).toBe(true);
  });
});
