// Every saved version of the bulletin, grouped into editing sessions that say who saved them and
// what changed; two versions compared side by side; restoring one saves its document as the newest.
import { useEffect, useId, useState } from 'react';
import type { VersionSend } from '../../bulletins/schemas';
import { diffDocuments, type DetailedChange } from '../../bulletins/version-diff';
import { api, errorMessage } from '../api';
import { Badge, Dialog, ErrorNotice, formatDate, formatNumber, languageName, Loading } from '../components';
import { useApi } from '../hooks';
import type { BulletinDocument, BulletinVersion, BulletinVersionSummary } from './model';
import { authorName, editingSessions, type EditingSession, versionChanges } from './version-sessions';

interface Props {
  bulletinId: number;
  currentVersion: number;
  onRestore(document: BulletinDocument, version: number): void;
}

/** Two versions to compare, by version id: `from` the older as staff picked it, `to` the newer. */
interface Comparison {
  from: number;
  to: number;
}

export function VersionsDialog({ open, onClose, ...props }: Props & { open: boolean; onClose(): void }) {
  const [comparison, setComparison] = useState<Comparison>();
  const close = () => {
    setComparison(undefined);
    onClose();
  };
  return (
    <Dialog open={open} title={comparison ? 'Compare versions' : 'Versions'} onClose={close}>
      {/* The dialog renders its content only while open: each opening lists the versions saved since. */}
      <Versions {...props} comparison={comparison} onCompare={setComparison} />
    </Dialog>
  );
}

function Versions({
  bulletinId,
  currentVersion,
  onRestore,
  comparison,
  onCompare,
}: Props & { comparison: Comparison | undefined; onCompare(comparison: Comparison | undefined): void }) {
  const versions = useApi<{ data: BulletinVersionSummary[] }>(`/api/bulletins/${bulletinId}/versions`);
  const [restoring, setRestoring] = useState<number>();
  const [error, setError] = useState<string>();

  const restore = async (version: BulletinVersionSummary) => {
    setRestoring(version.version);
    setError(undefined);
    try {
      const { document } = await api<BulletinVersion>(
        'GET',
        `/api/bulletins/${bulletinId}/versions/${version.versionId}`,
      );
      onCompare(undefined);
      onRestore(document, version.version);
    } catch (e) {
      setError(`Version ${version.version} could not be read: ${errorMessage(e)}`);
    } finally {
      setRestoring(undefined);
    }
  };

  if (versions.error) return <ErrorNotice error={versions.error} title="The versions could not be loaded." />;
  if (!versions.data) return <Loading label="Loading the versions…" />;
  const all = versions.data.data;
  const actions: VersionActions = {
    bulletinId,
    currentVersion,
    restoring,
    restore: (version) => void restore(version),
    // The version picked against the current one; the current one against the version before it.
    compare: (version) => {
      const before = all[all.indexOf(version) + 1];
      const current = all.find((v) => v.version === currentVersion) ?? all[0]!;
      onCompare(
        version.versionId === current.versionId
          ? { from: (before ?? version).versionId, to: version.versionId }
          : { from: version.versionId, to: current.versionId },
      );
    },
  };
  const notice = error && (
    <div className="notice notice-error" role="alert">
      {error}
    </div>
  );
  if (comparison)
    return (
      <>
        {notice}
        <CompareVersions
          versions={all}
          comparison={comparison}
          onChange={onCompare}
          actions={actions}
          onBack={() => onCompare(undefined)}
        />
      </>
    );
  return (
    <>
      <p className="muted">
        The composer saves as you type: one sitting is one session. Restoring a version saves it again as the newest;
        the versions after it stay in this list.
      </p>
      {notice}
      <ol className="version-sessions">
        {editingSessions(all).map((session) => (
          <SessionItem key={session.versions[0]!.versionId} session={session} actions={actions} />
        ))}
      </ol>
    </>
  );
}

interface VersionActions {
  bulletinId: number;
  currentVersion: number;
  restoring: number | undefined;
  restore(version: BulletinVersionSummary): void;
  compare(version: BulletinVersionSummary): void;
}

/** A session: who, when, how many saves, what changed, its sends; its versions when opened. */
function SessionItem({ session, actions }: { session: EditingSession; actions: VersionActions }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const { versions } = session;
  const single = versions.length === 1 ? versions[0]! : undefined;
  const current = versions.some((v) => v.version === actions.currentVersion);
  return (
    <li className="version-session">
      <p className="version-session-head">
        <strong>{authorName(session.savedBy)}</strong>
        <span>{timeRange(session.from, session.to)}</span>
        <span className="muted">
          {single
            ? `version ${single.version}`
            : `${versions.length} saves, versions ${versions.at(-1)!.version}–${versions[0]!.version}`}
        </span>
        {current && <Badge value="current" label="current" />}
        {session.sends.length > 0 && <Badge value="sent" label="sent" />}
      </p>
      <ChangeSummary changes={session.changes} />
      {session.sends.map((send) => (
        <p key={send.campaignId} className="version-sent">
          {sentSentence(send)}
        </p>
      ))}
      {single ? (
        <VersionButtons version={single} actions={actions} />
      ) : (
        <>
          <button
            type="button"
            className="button-small button-quiet"
            aria-expanded={open}
            aria-controls={listId}
            onClick={() => setOpen(!open)}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span> {open ? 'Hide' : 'Show'} its {versions.length} versions
          </button>
          <ol id={listId} className="version-list" hidden={!open}>
            {open &&
              versions.map((version) => (
                <li key={version.versionId}>
                  <p className="version-session-head">
                    <span>Version {version.version}</span>
                    <span className="muted">{formatTime(version.createdAt)}</span>
                    {version.version === actions.currentVersion && <Badge value="current" label="current" />}
                    {version.sent && <Badge value="sent" label="sent" />}
                  </p>
                  <ChangeSummary changes={versionChanges(version)} />
                  <VersionButtons version={version} actions={actions} />
                </li>
              ))}
          </ol>
        </>
      )}
    </li>
  );
}

const SHOWN_CHANGES = 4;

/** "Added …; Edited Spanish body of block 2; and 3 more changes". */
function ChangeSummary({ changes }: { changes: string[] }) {
  if (changes.length === 0) return <p className="version-changes muted">No changes (saved as it was)</p>;
  const more = changes.length - SHOWN_CHANGES;
  return (
    <p className="version-changes">
      {changes.slice(0, SHOWN_CHANGES).join('; ')}
      {more > 0 && `; and ${more} more change${more === 1 ? '' : 's'}`}
    </p>
  );
}

function VersionButtons({ version, actions }: { version: BulletinVersionSummary; actions: VersionActions }) {
  const isCurrent = version.version === actions.currentVersion;
  const which = <span className="visually-hidden"> version {version.version}</span>;
  return (
    <div className="actions">
      <a
        href={`/api/bulletins/${actions.bulletinId}/preview?versionId=${version.versionId}`}
        target="_blank"
        rel="noreferrer"
        className="button-small button"
      >
        Preview{which}
      </a>
      {!(isCurrent && version.version === 1) && (
        <button type="button" className="button-small" onClick={() => actions.compare(version)}>
          {isCurrent ? 'Compare with the one before' : 'Compare with current'}
          {which}
        </button>
      )}
      {!isCurrent && (
        <button
          type="button"
          className="button-small"
          disabled={actions.restoring !== undefined}
          onClick={() => actions.restore(version)}
        >
          {actions.restoring === version.version ? 'Restoring…' : 'Restore'}
          {which}
        </button>
      )}
    </div>
  );
}

/** Two versions side by side: what changed from one to the other, and both as subscribers get them. */
function CompareVersions({
  versions,
  comparison,
  onChange,
  actions,
  onBack,
}: {
  versions: BulletinVersionSummary[];
  comparison: Comparison;
  onChange(comparison: Comparison): void;
  actions: VersionActions;
  onBack(): void;
}) {
  const from = versions.find((v) => v.versionId === comparison.from)!;
  const to = versions.find((v) => v.versionId === comparison.to)!;
  const documents = useVersionDocuments(actions.bulletinId, from.versionId, to.versionId);
  const [chosen, setLanguage] = useState<string>();
  const languages = documents.data
    ? [...new Set([...documents.data[1].languages, ...documents.data[0].languages])]
    : [];
  const language = chosen && languages.includes(chosen) ? chosen : languages[0];
  const fromId = useId();
  const toId = useId();
  const languageId = useId();

  const option = (v: BulletinVersionSummary) => (
    <option key={v.versionId} value={v.versionId}>
      Version {v.version}, {formatDate(v.createdAt)}, {authorName(v.savedBy)}
    </option>
  );
  return (
    <div className="version-compare">
      <button type="button" className="button-small button-quiet" onClick={onBack}>
        ← All versions
      </button>
      <div className="compare-pick">
        <div className="field">
          <label htmlFor={fromId}>From</label>
          <select
            id={fromId}
            value={from.versionId}
            onChange={(e) => onChange({ ...comparison, from: Number(e.target.value) })}
          >
            {versions.map(option)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={toId}>To</label>
          <select
            id={toId}
            value={to.versionId}
            onChange={(e) => onChange({ ...comparison, to: Number(e.target.value) })}
          >
            {versions.map(option)}
          </select>
        </div>
        {languages.length > 1 && (
          <div className="field">
            <label htmlFor={languageId}>Language</label>
            <select id={languageId} value={language} onChange={(e) => setLanguage(e.target.value)}>
              {languages.map((l) => (
                <option key={l} value={l}>
                  {languageName(l)}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {documents.error ? (
        <ErrorNotice error={documents.error} title="The versions could not be loaded." />
      ) : !documents.data ? (
        <Loading label="Loading the two versions…" />
      ) : (
        <>
          <h3>
            From version {from.version} to version {to.version}
          </h3>
          <ChangeList changes={diffDocuments(...documents.data)} />
          <div className="compare-previews">
            {[
              [from, documents.data[0]],
              [to, documents.data[1]],
            ].map(([version, document]) => (
              <VersionPreview
                key={(version as BulletinVersionSummary).versionId}
                bulletinId={actions.bulletinId}
                version={version as BulletinVersionSummary}
                document={document as BulletinDocument}
                language={language!}
              />
            ))}
          </div>
        </>
      )}
      {from.version !== actions.currentVersion && (
        <div className="dialog-actions">
          <button type="button" disabled={actions.restoring !== undefined} onClick={() => actions.restore(from)}>
            {actions.restoring === from.version ? 'Restoring…' : `Restore version ${from.version}`}
          </button>
        </div>
      )}
    </div>
  );
}

/** The two versions' documents, read again whenever either changes. */
function useVersionDocuments(bulletinId: number, from: number, to: number) {
  const [state, setState] = useState<{ data?: [BulletinDocument, BulletinDocument]; error?: unknown }>({});
  useEffect(() => {
    let live = true;
    setState({});
    const read = (id: number) =>
      api<BulletinVersion>('GET', `/api/bulletins/${bulletinId}/versions/${id}`).then((v) => v.document);
    Promise.all([read(from), read(to)]).then(
      (data) => live && setState({ data }),
      (error: unknown) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
  }, [bulletinId, from, to]);
  return state;
}

/** The changes, each text edit with its words before and after. */
function ChangeList({ changes }: { changes: DetailedChange[] }) {
  if (changes.length === 0) return <p className="muted">The two versions are the same.</p>;
  return (
    <ul className="compare-changes">
      {changes.map((change) => (
        <li key={`${change.kind} ${change.block} ${change.field} ${change.language} ${change.text}`}>
          {change.text}
          {change.before !== undefined && change.after !== undefined && (
            <div className="compare-values">
              <div>
                <span className="compare-label">Before</span>
                {change.before || <span className="muted">(empty)</span>}
              </div>
              <div>
                <span className="compare-label">After</span>
                {change.after || <span className="muted">(empty)</span>}
              </div>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

function VersionPreview({
  bulletinId,
  version,
  document,
  language,
}: {
  bulletinId: number;
  version: BulletinVersionSummary;
  document: BulletinDocument;
  language: string;
}) {
  const title = `Version ${version.version}`;
  return (
    <figure className="compare-preview">
      <figcaption>
        <strong>{title}</strong> · {formatDate(version.createdAt)} · {authorName(version.savedBy)}
      </figcaption>
      {document.languages.includes(language) ? (
        <iframe
          src={`/api/bulletins/${bulletinId}/preview?${previewQuery(version.versionId, language)}`}
          title={`${title} in ${languageName(language)}`}
          sandbox="allow-same-origin allow-popups"
        />
      ) : (
        <p className="muted">
          Version {version.version} is not in {languageName(language)}.
        </p>
      )}
    </figure>
  );
}

const dayFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat('en', { timeStyle: 'short' });
const formatTime = (iso: string) => timeFormat.format(new Date(iso));

/** "Dec 4, 2026, 2:02 PM–2:09 PM" (one time within a minute), both dates when a session crossed midnight. */
function timeRange(from: string, to: string): string {
  if (formatDate(from) === formatDate(to)) return formatDate(from);
  const sameDay = dayFormat.format(new Date(from)) === dayFormat.format(new Date(to));
  return `${formatDate(from)}–${sameDay ? formatTime(to) : formatDate(to)}`;
}

/** "Sent to 4,812 people on Dec 4, 2026". */
function sentSentence(send: VersionSend): string {
  const people = `${formatNumber(send.recipients)} ${send.recipients === 1 ? 'person' : 'people'}`;
  return send.startedAt ? `Sent to ${people} on ${dayFormat.format(new Date(send.startedAt))}` : `Sending to ${people}`;
}

function previewQuery(versionId: number, language: string): string {
  return new URLSearchParams({ versionId: String(versionId), lang: language }).toString();
}
