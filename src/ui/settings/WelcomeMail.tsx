// The welcome mail (admins): which bulletin each person who confirms gets, once, and whether it
// is on. Its campaign's page is its report.
import { useEffect, useState } from 'react';
import type { BulletinSummary } from '../../bulletins/schemas';
import type { WelcomeMailStatus } from '../../sending/schemas';
import { api } from '../api';
import { ErrorNotice, Field, Loading, Notice } from '../components';
import { useAction, useApi } from '../hooks';
import { BASE, Link } from '../router';

export function WelcomeMail() {
  const status = useApi<WelcomeMailStatus>('/api/welcome-mail');
  const bulletins = useApi<{ data: BulletinSummary[] }>('/api/bulletins');
  const [chosen, setChosen] = useState<number>();
  useEffect(() => setChosen((c) => c ?? status.data?.bulletinId ?? undefined), [status.data]);
  const change = useAction(async (enabled: boolean) => {
    status.setData(await api<WelcomeMailStatus>('PUT', '/api/welcome-mail', { enabled, bulletinId: chosen }));
  });
  const current = status.data;
  const changedBulletin = current?.enabled && chosen !== undefined && chosen !== current.bulletinId;

  return (
    <section className="card" aria-labelledby="settings-welcome">
      <h2 id="settings-welcome">Welcome mail</h2>
      <p>
        Each person who confirms their subscription gets this bulletin once, in their language, through the same queue
        as every send. Someone who had it before never gets it again.
      </p>
      <ErrorNotice error={status.error ?? bulletins.error} title="The welcome mail could not be loaded." />
      {(!current || !bulletins.data) && status.loading && <Loading label="Loading the welcome mail…" />}
      {current && bulletins.data && (
        <>
          <ErrorNotice error={change.error} title="The welcome mail was not changed." />
          <p role="status">
            {current.enabled ? (
              <>
                <strong>On</strong>: “{current.bulletinTitle}” goes to each person who confirms.{' '}
                <Link to={`${BASE}/campaigns/${current.campaignId}`}>Welcome mail report</Link>
              </>
            ) : (
              <>
                <strong>Off</strong>: no welcome mail goes out.
              </>
            )}
          </p>
          {current.outdated && (
            <Notice kind="warning">
              The bulletin was saved since the welcome mail was turned on: the earlier version still goes. Turn it on
              again to send the new one.
            </Notice>
          )}
          <Field label="Welcome bulletin" hint="Its pre-send checks must find no error to turn it on.">
            <select
              value={chosen ?? ''}
              onChange={(e) => setChosen(e.target.value ? Number(e.target.value) : undefined)}
            >
              <option value="">Choose a bulletin</option>
              {bulletins.data.data.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.title}
                </option>
              ))}
            </select>
          </Field>
          <div className="settings-actions">
            <button
              type="button"
              className="button-primary"
              disabled={
                change.busy || chosen === undefined || (current.enabled && !current.outdated && !changedBulletin)
              }
              onClick={() => void change.run(true)}
            >
              {current.enabled ? 'Send this version from now on' : 'Turn the welcome mail on'}
            </button>
            {current.enabled && (
              <button type="button" disabled={change.busy} onClick={() => void change.run(false)}>
                Turn the welcome mail off
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
