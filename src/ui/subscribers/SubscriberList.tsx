// Subscribers: search and filter (kept in the address, so going back to the list finds it as it
// was), a page at a time by the list's cursors (next, previous: the same cost at any depth); add
// one, import a CSV file, export what the filters select.
import { useState, type FormEvent } from 'react';
import type { Subscriber, SubscriberPage, Topic } from '../../audience/schemas';
import { SUBSCRIBER_STATUSES } from '../../db/schema';
import { api } from '../api';
import {
  Badge,
  Dialog,
  ErrorNotice,
  Field,
  formatDate,
  formatNumber,
  LanguageOptions,
  languageName,
  useOrganisationLanguages,
  Loading,
  Notice,
  PageHeader,
} from '../components';
import { submitTo, useAction, useApi, useDebounced } from '../hooks';
import { BASE, Link, navigate, useLocation, useTitle } from '../router';
import { useStaff } from '../session';
import { issuesUnder, topicName, TopicChoices } from './fields';
import { splitList } from './split-list';
import { TagInBulkDialog } from './TagInBulkDialog';
import './subscribers.css';

const PER_PAGE = 50;
const FILTERS = ['email', 'status', 'topic', 'language', 'tag'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

export function SubscriberList() {
  useTitle('Subscribers');
  const staff = useStaff();
  const { query } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? ''])) as Filters;
  const cursor = query.get('cursor') ?? '';
  const filtering = FILTERS.some((name) => filters[name]);
  const erased = query.get('erased') === '1';

  // The two typed filters wait for a pause in typing before they reach the address.
  const [email, setEmail] = useState(filters.email);
  const [tag, setTag] = useState(filters.tag);
  const [adding, setAdding] = useState(false);
  const [tagging, setTagging] = useState(false);

  const filterQuery = (next: Filters) => {
    const params = new URLSearchParams();
    for (const name of FILTERS) if (next[name]) params.set(name, next[name]);
    return params;
  };
  /** A change of filter goes back to the first page; `toCursor` is a page of the same filters. */
  const show = (changes: Partial<Filters>, toCursor?: string) => {
    const params = filterQuery({ ...filters, ...changes });
    if (toCursor) params.set('cursor', toCursor);
    navigate(`${BASE}/subscribers${params.size ? `?${params}` : ''}`, { replace: true });
  };
  const applyTyped = () => {
    if (email.trim() !== filters.email || tag.trim() !== filters.tag) show({ email: email.trim(), tag: tag.trim() });
  };
  useDebounced(applyTyped, 350, [email, tag]);

  const listParams = filterQuery(filters);
  if (cursor) listParams.set('cursor', cursor);
  listParams.set('perPage', String(PER_PAGE));
  const list = useApi<SubscriberPage>(`/api/subscribers?${listParams}`);
  const topics = useApi<{ data: Topic[] }>('/api/topics');

  const clear = () => {
    setEmail('');
    setTag('');
    show({ email: '', status: '', topic: '', language: '', tag: '' });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    applyTyped();
  };
  const exportQuery = filterQuery(filters).toString();

  return (
    <>
      <PageHeader title="Subscribers">
        <button type="button" className="button-primary" onClick={() => setAdding(true)}>
          Add subscriber
        </button>
        <Link className="button" to={`${BASE}/subscribers/import`}>
          Import CSV
        </Link>
        <button type="button" className="button" onClick={() => setTagging(true)}>
          Tag in bulk
        </button>
        {staff.role === 'admin' && (
          // A plain link: the browser sends the session cookie and saves the streamed file itself.
          <a className="button" href={`/api/subscribers/export${exportQuery ? `?${exportQuery}` : ''}`} download>
            Export CSV
          </a>
        )}
      </PageHeader>

      {erased && (
        <Notice kind="success">
          The subscriber was erased. Their address stays on the suppression list as a keyed hash.
        </Notice>
      )}

      {/* biome-ignore lint/a11y/useSemanticElements: a form that submits; role=search names its purpose */}
      <form role="search" aria-label="Filter subscribers" className="card subscriber-filters" onSubmit={submit}>
        <Field label="Email contains">
          <input
            type="search"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            placeholder="name@example.org"
          />
        </Field>
        <Field label="Status">
          <select value={filters.status} onChange={(e) => show({ status: e.target.value })}>
            <option value="">Any status</option>
            {SUBSCRIBER_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Topic">
          <select value={filters.topic} onChange={(e) => show({ topic: e.target.value })}>
            <option value="">Any topic</option>
            {topics.data?.data.map((topic) => (
              <option key={topic.key} value={topic.key}>
                {topicName(topic)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Language">
          <select value={filters.language} onChange={(e) => show({ language: e.target.value })}>
            <option value="">Any language</option>
            <LanguageOptions current={filters.language} />
          </select>
        </Field>
        <Field label="Tag">
          <input value={tag} onChange={(e) => setTag(e.target.value)} />
        </Field>
        <div className="subscriber-filter-actions">
          <button type="submit">Search</button>
          {filtering && (
            <button type="button" className="button-quiet" onClick={clear}>
              Clear filters
            </button>
          )}
        </div>
      </form>

      <ErrorNotice error={list.error} title="The subscribers could not be loaded." />
      {!list.data && list.loading && <Loading label="Loading subscribers…" />}
      {list.data && (
        <section aria-labelledby="subscriber-results" aria-busy={list.loading}>
          <h2 id="subscriber-results" className="visually-hidden">
            Results
          </h2>
          <p className="subscriber-count" role="status">
            {subscriberCount(list.data)}
            {filtering ? ' match these filters' : ''}
          </p>
          {list.data.total === 0 ? (
            <div className="card audience-empty">
              {filtering ? (
                <p>No subscriber matches these filters.</p>
              ) : (
                <p>
                  No subscribers yet. Add one, or <Link to={`${BASE}/subscribers/import`}>import a CSV file</Link>.
                </p>
              )}
            </div>
          ) : (
            <SubscriberTable subscribers={list.data.data} topics={topics.data?.data ?? []} />
          )}
          {(list.data.next || list.data.previous) && (
            <nav className="subscriber-pager" aria-label="Pages">
              <button
                type="button"
                disabled={!list.data.previous}
                onClick={() => list.data?.previous && show({}, list.data.previous)}
              >
                Previous page
              </button>
              <button
                type="button"
                disabled={!list.data.next}
                onClick={() => list.data?.next && show({}, list.data.next)}
              >
                Next page
              </button>
            </nav>
          )}
        </section>
      )}

      <TagInBulkDialog open={tagging} onClose={() => setTagging(false)} onTagged={list.reload} />
      <AddSubscriberDialog open={adding} topics={topics.data?.data ?? []} onClose={() => setAdding(false)} />
    </>
  );
}

/** "1 subscriber", "1,234 subscribers", or past the count's cap "more than 10,000 subscribers". */
function subscriberCount({ total, totalCapped }: SubscriberPage): string {
  if (totalCapped) return `More than ${formatNumber(total)} subscribers`;
  return total === 1 ? '1 subscriber' : `${formatNumber(total)} subscribers`;
}

function SubscriberTable({ subscribers, topics }: { subscribers: Subscriber[]; topics: Topic[] }) {
  const byKey = new Map(topics.map((topic) => [topic.key, topic]));
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Language</th>
            <th scope="col">Topics</th>
            <th scope="col">Tags</th>
            <th scope="col">Added</th>
          </tr>
        </thead>
        <tbody>
          {subscribers.map((s) => (
            <tr key={s.id}>
              <td>
                <Link to={`${BASE}/subscribers/${s.id}`}>{s.email}</Link>
              </td>
              <td>{s.name || <span className="muted">—</span>}</td>
              <td>
                <Badge value={s.status} />
              </td>
              <td>{languageName(s.language)}</td>
              <td>
                {s.topics.map((key) => (byKey.has(key) ? topicName(byKey.get(key)!) : key)).join(', ') || (
                  <span className="muted">—</span>
                )}
              </td>
              <td>{s.tags.join(', ') || <span className="muted">—</span>}</td>
              <td>{formatDate(s.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Adds one person; on success their page opens. */
function AddSubscriberDialog({ open, topics, onClose }: { open: boolean; topics: Topic[]; onClose(): void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  // The organisation's first language until one is chosen.
  const organisation = useOrganisationLanguages();
  const [chosenLanguage, setLanguage] = useState<string>();
  const language = chosenLanguage ?? organisation[0]!;
  const [status, setStatus] = useState<'pending' | 'active'>('pending');
  // Pending and never mailed, no one could ever confirm: the mail is the default.
  const [sendConfirmation, setSendConfirmation] = useState(true);
  const [chosen, setChosen] = useState<string[]>([]);
  const [tags, setTags] = useState('');
  const add = useAction(async () => {
    const created = await api<Subscriber>('POST', '/api/subscribers', {
      email,
      name,
      language,
      status,
      sendConfirmation: status === 'pending' && sendConfirmation,
      topics: chosen,
      tags: splitList(tags),
    });
    navigate(`${BASE}/subscribers/${created.id}`);
  });
  const issue = (path: string) => issuesUnder(add.error, path);

  return (
    <Dialog open={open} title="Add a subscriber" onClose={onClose}>
      <form onSubmit={submitTo(add)}>
        <ErrorNotice error={add.error} />
        <Field label="Email" error={issue('email')}>
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label="Name" error={issue('name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Language" error={issue('language')}>
          <select value={language} onChange={(e) => setLanguage(e.target.value)}>
            <LanguageOptions languages={organisation} />
          </select>
        </Field>
        <fieldset>
          <legend>Consent</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="new-subscriber-status"
              checked={status === 'pending'}
              onChange={() => setStatus('pending')}
            />
            Pending: gets no bulletins until they confirm their subscription
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="new-subscriber-status"
              checked={status === 'active'}
              onChange={() => setStatus('active')}
            />
            Active: only for someone who has already consented to receive our mail
          </label>
          {status === 'pending' && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={sendConfirmation}
                onChange={(e) => setSendConfirmation(e.target.checked)}
              />
              Mail them the confirmation now
            </label>
          )}
        </fieldset>
        <TopicChoices topics={topics} selected={chosen} onChange={setChosen} error={issue('topics')} />
        <Field label="Tags" hint="Separated by commas or semicolons." error={issue('tags')}>
          <input value={tags} onChange={(e) => setTags(e.target.value)} />
        </Field>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={add.busy}>
            {add.busy ? 'Saving…' : 'Save subscriber'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
