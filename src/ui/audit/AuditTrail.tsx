// The audit trail (admins): who signed in, sent, paused, exported, erased and changed what,
// newest first, filtered by person, action and days; older entries a page at a time.
import { useState } from 'react';
import { AUDIT_ACTIONS } from '../../audit/audit-actions';
import type { AuditEntry, AuditPage } from '../../audit/schemas';
import type { StaffMember, TokenInfo } from '../../staff/schemas';
import { api } from '../api';
import { ErrorNotice, formatDate, Loading, PageHeader } from '../components';
import { useApi } from '../hooks';
import { BASE, Link, useTitle } from '../router';
import { describeEntry } from './describe-entry';
import './audit.css';

const PAGE = 50;

/** The filters as the form holds them: a person ("staff:3", "token:5"), an action, days (yyyy-mm-dd). */
interface Filters {
  person: string;
  action: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { person: '', action: '', from: '', to: '' };

export function AuditTrail() {
  useTitle('Audit trail');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const staff = useApi<{ data: StaffMember[] }>('/api/staff');
  const tokens = useApi<{ data: TokenInfo[] }>('/api/tokens');
  const query = auditQuery(filters);
  const first = useApi<AuditPage>(`/api/audit?${query}`);
  // Older pages, fetched with the cursor, for the filters they were fetched with: a change of
  // filters starts again from the first page.
  const [older, setOlder] = useState<{ query: string; entries: AuditEntry[]; next: number | null }>();
  const [olderError, setOlderError] = useState<{ query: string; error: unknown }>();
  const [loadingOlder, setLoadingOlder] = useState(false);

  const shown = older?.query === query ? older : undefined;
  const entries = [...(first.data?.data ?? []), ...(shown?.entries ?? [])];
  const next = shown ? shown.next : (first.data?.next ?? null);
  const loadOlder = async () => {
    if (next === null) return;
    setLoadingOlder(true);
    try {
      const page = await api<AuditPage>('GET', `/api/audit?${query}&before=${next}`);
      setOlder({ query, entries: [...(shown?.entries ?? []), ...page.data], next: page.next });
      setOlderError(undefined);
    } catch (error) {
      setOlderError({ query, error });
    } finally {
      setLoadingOlder(false);
    }
  };
  const set = (change: Partial<Filters>) => setFilters((f) => ({ ...f, ...change }));

  return (
    <>
      <PageHeader title="Audit trail" />
      <p className="audit-intro">
        Who signed in, sent, paused, exported, erased or changed settings, staff and tokens. Entries are kept for a
        limited time (400 days unless the installation says otherwise).
      </p>
      <form className="card audit-filters" aria-label="Filter the audit trail" onSubmit={(e) => e.preventDefault()}>
        <label>
          Person
          <select value={filters.person} onChange={(e) => set({ person: e.target.value })}>
            <option value="">Everyone</option>
            {staff.data?.data.map((s) => (
              <option key={`staff:${s.id}`} value={`staff:${s.id}`}>
                {s.email}
              </option>
            ))}
            {tokens.data?.data.map((t) => (
              <option key={`token:${t.id}`} value={`token:${t.id}`}>
                API token “{t.name}”
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <select value={filters.action} onChange={(e) => set({ action: e.target.value })}>
            <option value="">Any action</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" value={filters.from} onChange={(e) => set({ from: e.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
        </label>
        {Object.values(filters).some(Boolean) && (
          <button type="button" className="button-quiet" onClick={() => setFilters(NO_FILTERS)}>
            Clear filters
          </button>
        )}
      </form>
      <ErrorNotice error={first.error} title="The audit trail could not be loaded." />
      {!first.data && first.loading && <Loading label="Loading the audit trail…" />}
      {first.data && entries.length === 0 && <p className="card admin-empty">Nothing recorded matches.</p>}
      {entries.length > 0 && (
        <ol className="audit-list" aria-label="Audit entries, newest first">
          {entries.map((entry) => (
            <li key={entry.id} className="audit-entry">
              <time dateTime={entry.at}>{formatDate(entry.at)}</time>
              <span className="audit-what">
                {describeEntry(entry)}
                {entry.target?.type === 'campaign' && (
                  <>
                    {' '}
                    <Link to={`${BASE}/campaigns/${entry.target.id}`}>
                      Open<span className="visually-hidden"> campaign {entry.target.id}</span>
                    </Link>
                  </>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
      <ErrorNotice
        error={olderError?.query === query ? olderError.error : undefined}
        title="Older entries could not be loaded."
      />
      {next !== null && entries.length > 0 && (
        <button type="button" className="audit-more" disabled={loadingOlder} onClick={() => void loadOlder()}>
          {loadingOlder ? 'Loading…' : 'Older entries'}
        </button>
      )}
    </>
  );
}

/** The query string of GET /api/audit for the filters; days are whole days where the admin is. */
function auditQuery(filters: Filters): string {
  const params = new URLSearchParams({ limit: String(PAGE) });
  const [kind, id] = filters.person.split(':');
  if (kind === 'staff' && id) params.set('staffId', id);
  if (kind === 'token' && id) params.set('tokenId', id);
  if (filters.action) params.set('action', filters.action);
  if (filters.from) params.set('from', new Date(`${filters.from}T00:00`).toISOString());
  if (filters.to) {
    const dayAfter = new Date(`${filters.to}T00:00`);
    dayAfter.setDate(dayAfter.getDate() + 1);
    params.set('to', dayAfter.toISOString());
  }
  return params.toString();
}
