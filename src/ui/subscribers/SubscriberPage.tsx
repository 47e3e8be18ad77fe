// One subscriber: their details to edit, their consent history, their confirmation mail again
// while they are pending, and erasure (admins).
import { useEffect, useId, useState } from 'react';
import type { ConsentEvent, Subscriber, SubscriberStatus, SubscriberWithConsent, Topic } from '../../audience/schemas';
import { SUBSCRIBER_STATUSES } from '../../db/schema';
import { ApiError, api } from '../api';
import {
  Badge,
  ConfirmDialog,
  ErrorNotice,
  Field,
  formatDate,
  LanguageOptions,
  languageName,
  Loading,
  Notice,
  PageHeader,
} from '../components';
import { submitTo, useAction, useApi } from '../hooks';
import { BASE, Link, navigate, useTitle } from '../router';
import { useStaff } from '../session';
import { AttributeRowsField, attributeInputId } from './AttributeRowsField';
import { type AttributeRow, issuesByRow, type RowProblem, toAttributes, toRows } from './attribute-rows';
import { issuesUnder, TopicChoices } from './fields';
import { splitList } from './split-list';
import './subscribers.css';

export function SubscriberPage({ id }: { id: number }) {
  const staff = useStaff();
  const subscriber = useApi<SubscriberWithConsent>(`/api/subscribers/${id}`);
  const topics = useApi<{ data: Topic[] }>('/api/topics');
  const [erasing, setErasing] = useState(false);
  const [resent, setResent] = useState(false);
  const resend = useAction(async () => {
    setResent(false);
    await api('POST', `/api/subscribers/${id}/confirmation`);
    setResent(true);
  });
  useTitle(subscriber.data?.email ?? 'Subscriber');
  const back = <Link to={`${BASE}/subscribers`}>← All subscribers</Link>;

  if (!subscriber.data) {
    return (
      <>
        <PageHeader title="Subscriber" back={back} />
        {subscriber.loading ? <Loading label="Loading the subscriber…" /> : <ErrorNotice error={subscriber.error} />}
      </>
    );
  }
  const s = subscriber.data;
  return (
    <>
      <PageHeader title={s.email} back={back}>
        {s.status === 'pending' && (
          <button type="button" disabled={resend.busy} onClick={() => void resend.run()}>
            {resend.busy ? 'Queuing…' : 'Resend confirmation'}
          </button>
        )}
        {staff.role === 'admin' && (
          <button type="button" className="button-danger" onClick={() => setErasing(true)}>
            Erase subscriber
          </button>
        )}
      </PageHeader>
      <ErrorNotice error={resend.error} title="Confirmation not queued." />
      {resent && (
        <Notice kind="success">
          Confirmation mail queued to {s.email}. It goes out within the subscribe form's limits: at most three a day to
          one mailbox, and past the hour's limits in the next hour.
        </Notice>
      )}
      <dl className="stats subscriber-summary">
        <div>
          <dt>Status</dt>
          <dd>
            <Badge value={s.status} />
          </dd>
        </div>
        <div>
          <dt>Language</dt>
          <dd>{languageName(s.language)}</dd>
        </div>
        <div>
          <dt>Added</dt>
          <dd>{formatDate(s.createdAt)}</dd>
        </div>
        <div>
          <dt>Last change</dt>
          <dd>{formatDate(s.updatedAt)}</dd>
        </div>
      </dl>
      <div className="grid-2 subscriber-layout">
        <SubscriberForm subscriber={s} topics={topics.data?.data ?? []} onSaved={subscriber.reload} />
        <ConsentHistory events={s.consent} />
      </div>
      {staff.role === 'admin' && <EraseDialog subscriber={s} open={erasing} onClose={() => setErasing(false)} />}
    </>
  );
}

/** What the form holds: text as typed, turned into the API's shapes only on save. */
interface Draft {
  email: string;
  name: string;
  language: string;
  status: SubscriberStatus;
  topics: string[];
  tags: string;
  attributes: AttributeRow[];
  /** yyyy-mm-dd in the browser's time zone, or empty for no pause. */
  pausedUntil: string;
}

const toDraft = (s: Subscriber): Draft => ({
  email: s.email,
  name: s.name,
  language: s.language,
  status: s.status,
  topics: s.topics,
  tags: s.tags.join(', '),
  attributes: toRows(s.attributes),
  pausedUntil: s.pausedUntil ? localDate(s.pausedUntil) : '',
});

function localDate(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Only the fields that changed, so a save never overwrites what someone else changed meanwhile. */
function changes(draft: Draft, s: Subscriber): { patch: Record<string, unknown> } | { problems: RowProblem[] } {
  const { attributes, problems } = toAttributes(draft.attributes);
  if (!attributes) return { problems };
  const before = toDraft(s);
  const patch: Record<string, unknown> = {};
  if (draft.email.trim() !== before.email) patch.email = draft.email.trim();
  if (draft.name !== before.name) patch.name = draft.name;
  if (draft.language !== before.language) patch.language = draft.language;
  if (draft.status !== before.status) patch.status = draft.status;
  if ([...draft.topics].sort().join() !== [...before.topics].sort().join()) patch.topics = draft.topics;
  const tags = splitList(draft.tags);
  if (tags.join() !== s.tags.join()) patch.tags = tags;
  if (JSON.stringify(attributes) !== JSON.stringify(s.attributes)) patch.attributes = attributes;
  if (draft.pausedUntil !== before.pausedUntil) {
    // The pause ends at the start of the chosen day where staff are.
    patch.pausedUntil = draft.pausedUntil ? new Date(`${draft.pausedUntil}T00:00:00`).toISOString() : null;
  }
  return { patch };
}

function SubscriberForm({ subscriber, topics, onSaved }: { subscriber: Subscriber; topics: Topic[]; onSaved(): void }) {
  const [draft, setDraft] = useState(() => toDraft(subscriber));
  // The rows' problems show once someone has tried to save, then follow each keystroke.
  const [checked, setChecked] = useState(false);
  const attributesId = useId();
  const [saved, setSaved] = useState(false);
  // A reload after a save brings the server's version of every field (tags tidied, say).
  useEffect(() => setDraft(toDraft(subscriber)), [subscriber]);

  const edit = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setSaved(false);
  };
  const change = changes(draft, subscriber);
  const unchanged = 'patch' in change && Object.keys(change.patch).length === 0;
  const save = useAction(async () => {
    if ('problems' in change) {
      setChecked(true);
      const first = change.problems[0]!;
      document.getElementById(attributeInputId(attributesId, draft.attributes[first.row]!, first.field))?.focus();
      return;
    }
    setChecked(false);
    await api('PATCH', `/api/subscribers/${subscriber.id}`, change.patch);
    setSaved(true);
    onSaved();
  });
  const issue = (path: string) => issuesUnder(save.error, path);
  const attributeIssues = issuesByRow(save.error instanceof ApiError ? save.error.issues : [], draft.attributes);

  const discard = () => {
    setDraft(toDraft(subscriber));
    save.setError(undefined);
    setChecked(false);
  };

  return (
    <form className="card" onSubmit={submitTo(save)} aria-labelledby="subscriber-details">
      <h2 id="subscriber-details">Details</h2>
      <ErrorNotice error={save.error} title="Not saved." />
      {saved && <Notice kind="success">Changes saved.</Notice>}
      <Field label="Email" error={issue('email')}>
        <input type="email" required value={draft.email} onChange={(e) => edit('email', e.target.value)} />
      </Field>
      <Field label="Name" error={issue('name')}>
        <input value={draft.name} onChange={(e) => edit('name', e.target.value)} />
      </Field>
      <Field label="Language" hint="The language of the bulletins they receive." error={issue('language')}>
        <select value={draft.language} onChange={(e) => edit('language', e.target.value)}>
          <LanguageOptions current={draft.language} />
        </select>
      </Field>
      <Field
        label="Status"
        hint={
          'A change of status enters the consent history. ' +
          'Set active only for someone who has consented to receive our mail.'
        }
        error={issue('status')}
      >
        <select value={draft.status} onChange={(e) => edit('status', e.target.value as SubscriberStatus)}>
          {SUBSCRIBER_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Pause mail until"
        hint="No bulletins before this day. Leave empty for no pause."
        error={issue('pausedUntil')}
      >
        <input type="date" value={draft.pausedUntil} onChange={(e) => edit('pausedUntil', e.target.value)} />
      </Field>
      <TopicChoices
        topics={topics}
        selected={draft.topics}
        onChange={(keys) => edit('topics', keys)}
        error={issue('topics')}
      />
      <Field label="Tags" hint="Separated by commas or semicolons." error={issue('tags')}>
        <input value={draft.tags} onChange={(e) => edit('tags', e.target.value)} />
      </Field>
      <AttributeRowsField
        base={attributesId}
        rows={draft.attributes}
        onChange={(rows) => edit('attributes', rows)}
        problems={checked && 'problems' in change ? change.problems : []}
        serverMessages={attributeIssues.byRow}
        error={attributeIssues.unplaced.map((i) => i.message).join('; ') || undefined}
      />
      <div className="subscriber-form-actions">
        <button type="submit" className="button-primary" disabled={save.busy || unchanged}>
          {save.busy ? 'Saving…' : 'Save changes'}
        </button>
        {!unchanged && (
          <button type="button" className="button-quiet" onClick={discard}>
            Discard changes
          </button>
        )}
      </div>
    </form>
  );
}

/** The consent log's words as staff read them, and the colour of the status each leads to. */
const EVENT_LABELS: Record<string, [label: string, badge: string]> = {
  subscribed: ['Subscribed', 'active'],
  confirmed: ['Confirmed', 'active'],
  subscription_requested: ['Subscription requested', 'pending'],
  preferences_changed: ['Preferences changed', 'info'],
  paused: ['Paused', 'paused'],
  unsubscribed: ['Unsubscribed', 'unsubscribed'],
  bounced: ['Bounced', 'bounced'],
  complained: ['Complained', 'complained'],
};

function eventBadge(event: string) {
  const [kind, detail] = event.split(':');
  if (kind === 'suppressed')
    return <Badge value="failed" label={`Suppressed (${(detail ?? 'manual').replace(/_/g, ' ')})`} />;
  const [label, badge] = EVENT_LABELS[event] ?? [event.replace(/_/g, ' '), 'info'];
  return <Badge value={badge} label={label} />;
}

function ConsentHistory({ events }: { events: ConsentEvent[] }) {
  const newestFirst = [...events].reverse();
  return (
    <section className="card" aria-labelledby="consent-history">
      <h2 id="consent-history">Consent history</h2>
      {events.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Consent history, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Source</th>
                <th scope="col">Language</th>
                <th scope="col">Send</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((e, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the rows hold no state, so a key by place is enough
                <tr key={i}>
                  <td>{eventBadge(e.event)}</td>
                  <td>{e.source}</td>
                  <td>{e.language ? languageName(e.language) : <span className="muted">—</span>}</td>
                  <td>
                    {e.campaignId ? (
                      <Link to={`${BASE}/campaigns/${e.campaignId}`}>Send #{e.campaignId}</Link>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    <time dateTime={e.at}>{formatDate(e.at)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted consent-note">Newest first. The language is that of the text the person saw.</p>
    </section>
  );
}

function EraseDialog({ subscriber, open, onClose }: { subscriber: Subscriber; open: boolean; onClose(): void }) {
  return (
    <ConfirmDialog
      open={open}
      title="Erase this subscriber?"
      confirmLabel="Erase permanently"
      busyLabel="Erasing…"
      onConfirm={async () => {
        await api('DELETE', `/api/subscribers/${subscriber.id}`);
        navigate(`${BASE}/subscribers?erased=1`, { replace: true });
      }}
      onClose={onClose}
    >
      <p>
        Erasing removes the personal data of <strong>{subscriber.email}</strong> for good: their address, name, topics,
        tags, attributes and consent history. This cannot be undone.
      </p>
      <p>
        A keyed hash of the address stays on the suppression list, so the person is never mailed again nor added back by
        an import by mistake. The hash cannot be turned back into the address.
      </p>
    </ConfirmDialog>
  );
}
