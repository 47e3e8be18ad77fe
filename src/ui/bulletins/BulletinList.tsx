// Every bulletin with its state (from its latest send), last change and key numbers; new,
// new from a template, duplicate (last week's as the start of this week's), delete drafts.
import { roleAtLeast } from '../../db/schema';
import { useStaff } from '../session';
import { useState } from 'react';
import type { CampaignListItem as Campaign } from '../../sending/schemas';
import { api } from '../api';
import {
  Badge,
  ConfirmDialog,
  ErrorNotice,
  Field,
  formatDate,
  formatNumber,
  languageName,
  Loading,
  PageHeader,
  useOrganisationLanguages,
} from '../components';
import { useAction, useApi } from '../hooks';
import { TemplatePicker } from '../library/TemplatePicker';
import { BASE, Link, navigate, useTitle } from '../router';
import type { Bulletin, BulletinDocument, BulletinSummary } from './model';
import './bulletin-list.css';

/** A new bulletin, in the organisation's `languages` (Settings): the first is its fallback. */
export function emptyBulletin(languages: readonly string[]): BulletinDocument {
  return {
    version: 1,
    title: 'Untitled bulletin',
    languages: [...languages],
    subject: Object.fromEntries(languages.map((language) => [language, ''])),
    blocks: [],
  };
}

const FILTERS = [
  ['all', 'All bulletins'],
  ['draft', 'Drafts'],
  ['awaiting_approval', 'Awaiting approval'],
  ['scheduled', 'Scheduled'],
  ['sending', 'Sending'],
  ['sent', 'Sent'],
] as const;
type Filter = (typeof FILTERS)[number][0];

/** What a bulletin's latest send makes it: a bulletin never sent is a draft. */
function stateOf(campaign: Campaign | undefined): string {
  if (!campaign) return 'draft';
  return campaign.state === 'preparing' ? 'sending' : campaign.state;
}

export function BulletinList() {
  useTitle('Bulletins');
  const bulletins = useApi<{ data: BulletinSummary[] }>('/api/bulletins');
  const campaigns = useApi<{ data: Campaign[] }>('/api/campaigns');
  const [deleting, setDeleting] = useState<BulletinSummary>();
  const [picking, setPicking] = useState(false);
  const [filter, setFilter] = useState<Filter>('all');
  const [search, setSearch] = useState('');

  // Campaigns come newest first: the first one of a bulletin is its latest send.
  const latest = new Map<number, Campaign>();
  for (const campaign of campaigns.data?.data ?? [])
    if (!latest.has(campaign.bulletinId)) latest.set(campaign.bulletinId, campaign);

  const open = (bulletin: Bulletin) => navigate(`${BASE}/bulletins/${bulletin.id}`);
  // New and Duplicate share one error and disable each other.
  const act = useAction((action: () => Promise<void>) => action());
  const languages = useOrganisationLanguages();
  const create = () =>
    act.run(async () => open(await api<Bulletin>('POST', '/api/bulletins', emptyBulletin(languages))));
  const duplicate = (id: number) =>
    act.run(async () => open(await api<Bulletin>('POST', `/api/bulletins/${id}/duplicate`)));
  const remove = async (bulletin: BulletinSummary) => {
    await api('DELETE', `/api/bulletins/${bulletin.id}`);
    setDeleting(undefined);
    bulletins.setData({ data: (bulletins.data?.data ?? []).filter((b) => b.id !== bulletin.id) });
  };

  const all = bulletins.data?.data ?? [];
  const words = search.trim().toLowerCase();
  const shown = all.filter(
    (b) =>
      (filter === 'all' || stateOf(latest.get(b.id)) === filter) && (!words || b.title.toLowerCase().includes(words)),
  );

  return (
    <>
      <PageHeader title="Bulletins">
        <button type="button" onClick={() => setPicking(true)} disabled={act.busy}>
          New from template…
        </button>
        <button type="button" className="button-primary" onClick={() => void create()} disabled={act.busy}>
          New bulletin
        </button>
      </PageHeader>
      <ErrorNotice error={act.error} />
      <ErrorNotice error={bulletins.error} title="The bulletins could not be loaded." />
      <ErrorNotice error={campaigns.error} title="The sends could not be loaded, so states are missing." />
      {!bulletins.data && !bulletins.error && <Loading label="Loading the bulletins…" />}
      {bulletins.data && all.length === 0 && (
        <div className="card list-empty">
          <h2>No bulletins yet</h2>
          <p>
            Start the first one with New bulletin. After that, Duplicate last week’s bulletin to start the next one with
            its blocks in place.
          </p>
        </div>
      )}
      {all.length > 0 && (
        <>
          <div className="list-filters">
            <Field label="Show">
              <select value={filter} onChange={(event) => setFilter(event.target.value as Filter)}>
                {FILTERS.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Find by title">
              <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
            </Field>
          </div>
          <div className="table-wrap">
            <table className="bulletin-table">
              <caption className="visually-hidden">Bulletins, most recently changed first</caption>
              <thead>
                <tr>
                  <th scope="col">Bulletin</th>
                  <th scope="col">State</th>
                  <th scope="col">Last change</th>
                  <th scope="col">Languages</th>
                  <th scope="col" className="number">
                    Blocks
                  </th>
                  <th scope="col">Latest send</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((bulletin) => (
                  <BulletinRow
                    key={bulletin.id}
                    bulletin={bulletin}
                    campaign={latest.get(bulletin.id)}
                    busy={act.busy}
                    onDuplicate={() => void duplicate(bulletin.id)}
                    onDelete={() => setDeleting(bulletin)}
                  />
                ))}
              </tbody>
            </table>
          </div>
          {shown.length === 0 && (
            <p className="muted list-none">No bulletin matches. Show all bulletins or change the words.</p>
          )}
        </>
      )}
      <TemplatePicker open={picking} onClose={() => setPicking(false)} />
      <ConfirmDialog
        open={deleting !== undefined}
        title="Delete this draft?"
        confirmLabel="Delete draft"
        onConfirm={() => remove(deleting!)}
        onClose={() => setDeleting(undefined)}
      >
        <p>
          “{deleting?.title}” and its {deleting?.version === 1 ? 'one version' : `${deleting?.version} versions`} are
          deleted for good.
        </p>
      </ConfirmDialog>
    </>
  );
}

function BulletinRow({
  bulletin,
  campaign,
  busy,
  onDuplicate,
  onDelete,
}: {
  bulletin: BulletinSummary;
  campaign: Campaign | undefined;
  busy: boolean;
  onDuplicate(): void;
  onDelete(): void;
}) {
  const state = stateOf(campaign);
  const named = <span className="visually-hidden"> “{bulletin.title}”</span>;
  // A writer composes: a send's report and deleting a bulletin are an editor's.
  const editor = roleAtLeast(useStaff().role, 'editor');
  return (
    <tr>
      <td>
        <Link to={`${BASE}/bulletins/${bulletin.id}`} className="bulletin-title">
          {bulletin.title}
        </Link>
        <div className="muted small">version {bulletin.version}</div>
      </td>
      <td>
        <Badge value={state} />
        {campaign?.state === 'scheduled' && <div className="muted small">for {formatDate(campaign.scheduledAt)}</div>}
        {campaign?.state === 'declined' && <div className="muted small">{campaign.stateReason}</div>}
        {campaign?.state === 'sent' && <div className="muted small">{formatDate(campaign.finishedAt)}</div>}
      </td>
      <td>{formatDate(bulletin.updatedAt)}</td>
      <td>{bulletin.languages.map(languageName).join(', ')}</td>
      <td className="number">{formatNumber(bulletin.blocks)}</td>
      <td>
        {campaign ? (
          <>
            {campaign.counts.total > 0 ? (
              <span>
                {formatNumber(campaign.counts.sent)} of {formatNumber(campaign.counts.total)} sent
              </span>
            ) : (
              <span className="muted">No recipients yet</span>
            )}
            {editor && (
              <div className="small">
                <Link to={`${BASE}/campaigns/${campaign.id}`}>View send{named}</Link>
              </div>
            )}
          </>
        ) : (
          <span className="muted">Not sent</span>
        )}
      </td>
      <td className="row-actions">
        <button type="button" className="button-small" onClick={onDuplicate} disabled={busy}>
          Duplicate{named}
        </button>
        {state === 'draft' && editor && (
          <button type="button" className="button-small button-danger" onClick={onDelete} disabled={busy}>
            Delete{named}
          </button>
        )}
      </td>
    </tr>
  );
}
