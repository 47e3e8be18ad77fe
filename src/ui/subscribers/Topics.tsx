// Topics: what people subscribe to, named in English and Spanish side by side. Admins change them.
import { useState } from 'react';
import type { SubscriberPage, Topic } from '../../audience/schemas';
import { api } from '../api';
import { ConfirmDialog, Dialog, ErrorNotice, Field, formatNumber, Loading, Notice, PageHeader } from '../components';
import { submitTo, useAction, useApi } from '../hooks';
import { ReturnLink, useReturn } from '../return-link';
import { BASE, Link, useTitle } from '../router';
import { useStaff } from '../session';
import { issuesUnder, topicName } from './fields';
import './subscribers.css';

/** The two languages every bulletin is written in; a topic's other languages are kept as they are. */
const LANGUAGES = [
  ['en', 'English'],
  ['es', 'Spanish'],
] as const;

type Editing = { mode: 'create' } | { mode: 'edit'; topic: Topic } | { mode: 'delete'; topic: Topic } | null;

export function Topics() {
  useTitle('Topics');
  const staff = useStaff();
  const admin = staff.role === 'admin';
  const topics = useApi<{ data: Topic[] }>('/api/topics');
  const [editing, setEditing] = useState<Editing>(null);
  const [done, setDone] = useState<string>();
  const opener = useReturn();

  const finish = (message: string) => {
    setEditing(null);
    setDone(message);
    topics.reload();
  };

  return (
    <>
      <PageHeader title="Topics" back={opener && <ReturnLink arrow />}>
        {admin && (
          <button
            type="button"
            className="button-primary"
            onClick={() => {
              setDone(undefined);
              setEditing({ mode: 'create' });
            }}
          >
            New topic
          </button>
        )}
      </PageHeader>
      <p className="muted topics-intro">
        Subscribers follow topics, and sends can go to a topic's followers. Public topics are offered on the subscribe
        form and in the preference centre; private ones are given by staff and imports.
        {!admin && ' Only admins can change topics.'}
      </p>
      {done && (
        <Notice kind="success">
          {done} <ReturnLink />
        </Notice>
      )}
      <ErrorNotice error={topics.error} title="The topics could not be loaded." />
      {!topics.data && topics.loading && <Loading label="Loading topics…" />}
      {topics.data && topics.data.data.length === 0 && (
        <div className="card audience-empty">
          <p>No topics yet.{admin ? ' Create the first one: subscribers and sends can then use it.' : ''}</p>
        </div>
      )}
      {topics.data && topics.data.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                {LANGUAGES.map(([code, language]) => (
                  <th key={code} scope="col">
                    {language} name
                  </th>
                ))}
                <th scope="col">Public</th>
                <th scope="col">Subscribers</th>
                {admin && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {topics.data.data.map((topic) => (
                <tr key={topic.key}>
                  <td>
                    <code>{topic.key}</code>
                  </td>
                  {LANGUAGES.map(([code]) => (
                    <td key={code} lang={code}>
                      {topic.name[code] ?? <span className="muted">—</span>}
                      {topic.description[code] && (
                        <div className="muted topic-description">{topic.description[code]}</div>
                      )}
                    </td>
                  ))}
                  <td>{topic.public ? 'Public' : 'Private'}</td>
                  <td>
                    <Link to={`${BASE}/subscribers?topic=${encodeURIComponent(topic.key)}`}>
                      See subscribers<span className="visually-hidden"> of {topicName(topic)}</span>
                    </Link>
                  </td>
                  {admin && (
                    <td className="topic-actions">
                      <button
                        type="button"
                        className="button-small"
                        onClick={() => setEditing({ mode: 'edit', topic })}
                      >
                        Edit<span className="visually-hidden"> {topicName(topic)}</span>
                      </button>
                      <button
                        type="button"
                        className="button-small button-danger"
                        onClick={() => setEditing({ mode: 'delete', topic })}
                      >
                        Delete<span className="visually-hidden"> {topicName(topic)}</span>
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {/* Mounted only while open, so each opening starts from the topic as saved. */}
      {admin && (editing?.mode === 'create' || editing?.mode === 'edit') && (
        <TopicDialog
          topic={editing.mode === 'edit' ? editing.topic : undefined}
          onClose={() => setEditing(null)}
          onSaved={(topic, created) => finish(`Topic “${topicName(topic)}” ${created ? 'created' : 'saved'}.`)}
        />
      )}
      {admin && editing?.mode === 'delete' && (
        <DeleteTopicDialog
          topic={editing.topic}
          onClose={() => setEditing(null)}
          onDeleted={() => finish(`Topic “${topicName(editing.topic)}” deleted.`)}
        />
      )}
    </>
  );
}

/** A key suggested from the English name until staff type one: "Housing & rent" → "housing-rent". */
const suggestKey = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);

/** The texts of one field, with the languages this form does not show kept and empty ones left out. */
function texts(original: Record<string, string>, edited: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [code, text] of Object.entries({ ...original, ...edited })) if (text.trim()) out[code] = text.trim();
  return out;
}

function TopicDialog({
  topic,
  onClose,
  onSaved,
}: {
  topic?: Topic;
  onClose(): void;
  onSaved(topic: Topic, created: boolean): void;
}) {
  const [key, setKey] = useState(topic?.key ?? '');
  const [keyTouched, setKeyTouched] = useState(false);
  const [name, setName] = useState<Record<string, string>>({ en: topic?.name.en ?? '', es: topic?.name.es ?? '' });
  const [description, setDescription] = useState<Record<string, string>>({
    en: topic?.description.en ?? '',
    es: topic?.description.es ?? '',
  });
  const [isPublic, setPublic] = useState(topic?.public ?? false);
  const save = useAction(async () => {
    const fields = {
      name: texts(topic?.name ?? {}, name),
      description: texts(topic?.description ?? {}, description),
      public: isPublic,
    };
    const saved = topic
      ? await api<Topic>('PATCH', `/api/topics/${encodeURIComponent(topic.key)}`, fields)
      : await api<Topic>('POST', '/api/topics', { key, ...fields });
    onSaved(saved, !topic);
  });
  const issue = (path: string) => issuesUnder(save.error, path);

  const setNameIn = (code: string, text: string) => {
    setName((n) => ({ ...n, [code]: text }));
    if (!topic && code === 'en' && !keyTouched) setKey(suggestKey(text));
  };

  return (
    <Dialog open title={topic ? `Edit topic “${topicName(topic)}”` : 'New topic'} onClose={onClose}>
      <form onSubmit={submitTo(save)} className="topic-form">
        <ErrorNotice error={save.error} title="Not saved." />
        <div className="topic-languages">
          {LANGUAGES.map(([code, language]) => (
            <Field key={code} label={`Name in ${language}`} error={issue(`name.${code}`)}>
              <input lang={code} value={name[code]} onChange={(e) => setNameIn(code, e.target.value)} />
            </Field>
          ))}
        </div>
        {issue('name') && !LANGUAGES.some(([code]) => issue(`name.${code}`)) && (
          <p className="field-error">Name: {issue('name')}</p>
        )}
        <div className="topic-languages">
          {LANGUAGES.map(([code, language]) => (
            <Field key={code} label={`Description in ${language}`} error={issue(`description.${code}`)}>
              <textarea
                lang={code}
                rows={2}
                value={description[code]}
                onChange={(e) => setDescription((d) => ({ ...d, [code]: e.target.value }))}
              />
            </Field>
          ))}
        </div>
        <p className="field-hint topic-hint">Descriptions are optional; the public forms show them beside the name.</p>
        {topic ? (
          <p>
            Key: <code>{topic.key}</code> <span className="muted">(imports and rules use it, so it cannot change)</span>
          </p>
        ) : (
          <Field
            label="Key"
            hint={
              'Lower-case letters, digits and dashes, such as weekly-bulletin. ' +
              'Imports and rules use it; it cannot change later.'
            }
            error={issue('key')}
          >
            <input
              required
              value={key}
              onChange={(e) => {
                setKey(e.target.value);
                setKeyTouched(true);
              }}
            />
          </Field>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={isPublic} onChange={(e) => setPublic(e.target.checked)} />
          Public: offered on the subscribe form and in the preference centre
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={save.busy}>
            {save.busy ? 'Saving…' : topic ? 'Save topic' : 'Create topic'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteTopicDialog({ topic, onClose, onDeleted }: { topic: Topic; onClose(): void; onDeleted(): void }) {
  const followers = useApi<SubscriberPage>(`/api/subscribers?topic=${encodeURIComponent(topic.key)}&perPage=1`);
  const total = followers.data?.total;
  const more = followers.data?.totalCapped ? 'More than ' : '';
  return (
    <ConfirmDialog
      title={`Delete topic “${topicName(topic)}”?`}
      confirmLabel="Delete topic"
      busyLabel="Deleting…"
      onConfirm={async () => {
        await api('DELETE', `/api/topics/${encodeURIComponent(topic.key)}`);
        onDeleted();
      }}
      onClose={onClose}
    >
      <p>
        {total === undefined
          ? 'Counting its subscribers…'
          : `${total === 1 && !more ? '1 subscriber follows' : `${more}${formatNumber(total)} subscribers follow`} ` +
            'this topic.'}{' '}
        Deleting it removes their subscriptions to it; the subscribers themselves stay. Rules and segments that name the
        topic will match no one through it.
      </p>
    </ConfirmDialog>
  );
}
