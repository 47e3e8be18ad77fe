// One send: its progress live (state, a progress bar, rate, errors), the controls its state allows
// (pause, resume, cancel, retry failed, reschedule) and, once mail has gone, the report.
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { AudiencePreview } from '../../audience/schemas';
import { DELIVERY_STATUSES, settled, type DeliveryStatus } from '../../sending/campaign-states';
import type { CampaignReport, Comparison } from '../../sending/schemas';
import { api } from '../api';
import { campaignHistory } from '../audit/describe-entry';
import {
  Badge,
  ConfirmDialog,
  Dialog,
  ErrorNotice,
  formatDate,
  formatNumber,
  languageName,
  Loading,
  PageHeader,
} from '../components';
import type { Finding } from '../../bulletins/schemas';
import { useAction, useApi } from '../hooks';
import { BASE, Link, useTitle } from '../router';
import { useStaff } from '../session';
import { audienceSentence, plural } from './AudienceCounts';
import { isoToLocal, localToIso, ScheduleField } from './ScheduleField';
import { useLiveReport } from './use-live-report';
import './campaigns.css';

// Chart.js is the one large piece of the app: it loads only when a report is shown.
const ReportCharts = lazy(() => import('./ReportCharts'));

interface BulletinVersion {
  title: string;
  document: { languages: string[]; blocks: { type: string; heading?: Record<string, string> }[] };
}

const STATE_TEXT: Record<CampaignReport['state'], string> = {
  scheduled: 'Waiting for its start time.',
  preparing: 'Rendering the bulletin and taking the audience.',
  sending: 'Sending.',
  paused: 'Paused: nothing is sent until it is resumed.',
  sent: 'Every message has been handed to SES or settled.',
  cancelled: 'Cancelled: messages not yet sent will not be.',
  failed: 'Failed.',
  awaiting_approval: 'Awaiting approval: another editor or admin approves it (or declines it) before anything is sent.',
  declined: 'Declined: nothing was sent.',
  withdrawn: 'Withdrawn: the bulletin changed after the request; nothing was sent.',
};

const WELCOME_SENDING = 'Open: each person who confirms gets this welcome mail, once, while it is on.';

export function CampaignPage({ id }: { id: number }) {
  const live = useLiveReport(id);
  const report = live.report;
  const version = useApi<BulletinVersion>(
    report ? `/api/bulletins/${report.bulletinId}/versions/${report.bulletinVersionId}` : null,
  );
  const welcome = report?.kind === 'welcome';
  const title = welcome ? `Welcome mail: ${version.data?.title ?? id}` : (version.data?.title ?? `Send ${id}`);
  useTitle(title);
  // The welcome mail's campaigns are not in the list of sends: they are reached from the settings.
  const back = welcome ? (
    <Link to={`${BASE}/settings`}>← Settings</Link>
  ) : (
    <Link to={`${BASE}/campaigns`}>← All sends</Link>
  );

  if (!report) {
    return (
      <>
        <PageHeader title={title} back={back} />
        {live.error ? <ErrorNotice error={live.error} /> : <Loading />}
      </>
    );
  }
  return (
    <>
      <PageHeader title={title} back={back}>
        <Controls report={report} onChanged={live.refresh} />
      </PageHeader>
      <ErrorNotice error={live.error} title="The latest numbers could not be loaded." />
      <Progress report={report} version={version.data} polling={live.mode === 'polling'} />
      {report.state === 'awaiting_approval' && version.data && (
        <ApprovalReview report={report} languages={version.data.document.languages} />
      )}
      {(report.counts.sent > 0 || report.state === 'sent') && <Report report={report} version={version.data} />}
    </>
  );
}

function Progress({
  report,
  version,
  polling,
}: {
  report: CampaignReport;
  version: BulletinVersion | undefined;
  polling: boolean;
}) {
  // Before the start there is no ledger to measure: the audience is taken when the send starts.
  const begun = report.counts.total > 0 || ['sending', 'paused', 'sent'].includes(report.state);
  return (
    <section className="card" aria-labelledby="progress-title">
      <h2 id="progress-title">Progress</h2>
      <p role="status" className="campaign-state">
        <Badge value={report.state} /> {report.state === 'declined' && 'Declined: '}
        {report.stateReason ??
          (report.kind === 'welcome' && report.state === 'sending' ? WELCOME_SENDING : STATE_TEXT[report.state])}
      </p>
      {report.history.length > 0 && <p className="campaign-history">{campaignHistory(report.history, formatDate)}.</p>}
      <dl className="campaign-times">
        <div>
          <dt>{report.startedAt ? 'Scheduled for' : 'Starts'}</dt>
          <dd>{formatDate(report.scheduledAt)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDate(report.startedAt)}</dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>{formatDate(report.finishedAt)}</dd>
        </div>
        <div>
          <dt>Priority</dt>
          <dd>
            {report.priority === 'urgent'
              ? 'Urgent: goes out before other sends in progress, which continue after'
              : 'Normal'}
          </dd>
        </div>
        <div>
          <dt>Link tracking</dt>
          <dd>
            {report.tracking === 'off'
              ? 'Off (sensitive send: no link counted)'
              : 'Clicks counted per link and language, in aggregate'}
          </dd>
        </div>
        <div>
          <dt>Public archive</dt>
          <dd>
            {!report.archive ? (
              'Not published'
            ) : report.state === 'sent' ? (
              <a href={`/archive/${report.id}`}>Published</a>
            ) : (
              'Published once sent'
            )}
          </dd>
        </div>
      </dl>
      {polling && <p className="muted">The live connection broke; the numbers are checked every 2 seconds instead.</p>}
      {begun ? (
        <Ledger report={report} />
      ) : (
        ['scheduled', 'awaiting_approval'].includes(report.state) &&
        version && <AudienceNow report={report} languages={version.document.languages} />
      )}
      {report.lastErrors.length > 0 && (
        <>
          <h3 className="errors-title">Last errors</h3>
          <ul className="last-errors">
            {report.lastErrors.map((e) => (
              <li key={`${e.deliveryId} ${e.at}`}>
                <Badge value={e.status} /> <span className="muted">{formatDate(e.at)}</span> {e.error}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The delivery ledger of a send that has begun: the progress bar, the counts, the counts per language. */
function Ledger({ report }: { report: CampaignReport }) {
  const { counts } = report;
  const done = settled(counts);
  const percent = counts.total > 0 ? Math.floor((done * 100) / counts.total) : report.state === 'sent' ? 100 : 0;
  const languages = Object.keys(report.byLanguage).sort();
  return (
    <>
      <div className="progress-line">
        <div
          className="progress"
          role="progressbar"
          aria-label="Messages settled"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={`${percent}%: ${formatNumber(done)} of ${formatNumber(counts.total)}`}
        >
          <div style={{ width: `${percent}%` }} />
        </div>
        <span className="progress-text">
          <strong>{percent}%</strong> · {formatNumber(done)} of {plural(counts.total, 'message')} settled
        </span>
      </div>
      <dl className="stats">
        <Stat label="Sent" value={counts.sent} />
        <Stat label="Waiting" value={counts.queued + counts.sending} />
        <Stat label="Failed" value={counts.failed} />
        <Stat
          label="Skipped"
          value={counts.skipped}
          hint="Left, paused or were suppressed after the audience was taken"
        />
        <Stat label="Unknown" value={counts.unknown} hint="A worker stopped while sending: they may have been sent" />
        {counts.cancelled > 0 && <Stat label="Cancelled" value={counts.cancelled} />}
        <div>
          <dt>Rate</dt>
          <dd>{report.rate === null ? '—' : `${formatNumber(report.rate)}/s`}</dd>
        </div>
      </dl>
      {languages.length > 0 && (
        <div className="table-wrap row-headed">
          <table>
            <caption className="visually-hidden">Messages by language and status</caption>
            <thead>
              <tr>
                <th scope="col">Language</th>
                {SHOWN_STATUSES.map((status) => (
                  <th key={status} scope="col" className="number">
                    {status[0]!.toUpperCase() + status.slice(1)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {languages.map((code) => (
                <tr key={code}>
                  <th scope="row">{languageName(code)}</th>
                  {SHOWN_STATUSES.map((status) => (
                    <td key={status} className="number">
                      {formatNumber(report.byLanguage[code]![status] ?? 0)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Who a scheduled send would reach if it started now. */
function AudienceNow({ report, languages }: { report: CampaignReport; languages: string[] }) {
  const [preview, setPreview] = useState<AudiencePreview>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const controller = new AbortController();
    api<AudiencePreview>(
      'POST',
      '/api/audience/preview',
      { rule: report.rule, ...(report.topic ? { topic: report.topic } : {}) },
      { signal: controller.signal },
    )
      .then(setPreview)
      .catch((e: unknown) => controller.signal.aborted || setError(e));
    return () => controller.abort();
  }, [report.rule, report.topic]);
  if (error) return <ErrorNotice error={error} title="Who it would reach cannot be counted now." />;
  return (
    <p className="progress-note">
      {report.requestedAudience !== null &&
        `When approval was asked for, it would have gone to ${plural(report.requestedAudience, 'subscriber')}. `}
      {preview
        ? `Counted now, it would go to ${audienceSentence(preview, languages)}.`
        : 'Counting who it would reach…'}{' '}
      Who is eligible is taken again when it starts.
    </p>
  );
}

/**
 * What an approver decides on: the mail as it will go in each language (the version the request
 * pinned: a save of the bulletin withdraws the request) and the pre-send checks.
 */
function ApprovalReview({ report, languages }: { report: CampaignReport; languages: string[] }) {
  const checks = useApi<{ ok: boolean; findings: Finding[] }>(`/api/bulletins/${report.bulletinId}/checks`);
  const [language, setLanguage] = useState(languages[0]!);
  const findings = checks.data?.findings ?? [];
  return (
    <section className="card approval-review" aria-labelledby="approval-title">
      <h2 id="approval-title">To approve</h2>
      <h3>Checks</h3>
      <ErrorNotice error={checks.error} title="The checks could not be run." />
      {checks.data &&
        (findings.length === 0 ? (
          <p className="approval-checks-ok">The pre-send checks found nothing to mend.</p>
        ) : (
          <ul className="approval-checks">
            {findings.map((f) => (
              <li key={`${f.code} ${f.language ?? ''} ${f.field ?? ''} ${f.message}`}>
                <Badge value={f.level} /> {f.language && `${languageName(f.language)}: `}
                {f.message}
              </li>
            ))}
          </ul>
        ))}
      <h3>The mail in each language</h3>
      <fieldset className="approval-languages" aria-label="Language of the preview">
        {languages.map((code) => (
          <button key={code} type="button" aria-pressed={code === language} onClick={() => setLanguage(code)}>
            {languageName(code)}
          </button>
        ))}
      </fieldset>
      <iframe
        className="approval-preview"
        title={`The mail in ${languageName(language)}`}
        sandbox=""
        src={`/api/bulletins/${report.bulletinId}/preview?lang=${encodeURIComponent(language)}&versionId=${
          report.bulletinVersionId
        }`}
      />
    </section>
  );
}

/** The statuses the language table shows; "sending" is folded into the queue as it lasts a moment. */
const SHOWN_STATUSES: DeliveryStatus[] = DELIVERY_STATUSES.filter((s) => s !== 'sending');

function Stat({ label, value, hint }: { label: string; value: number; hint?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{formatNumber(value)}</dd>
      {hint && value > 0 && <dd className="stat-hint">{hint}</dd>}
    </div>
  );
}

type Action = 'cancel' | 'retry' | 'reschedule' | 'decline';

function Controls({ report, onChanged }: { report: CampaignReport; onChanged(): void }) {
  const [dialog, setDialog] = useState<Action>();
  const [includeUnknown, setIncludeUnknown] = useState(false);
  const [sendAt, setSendAt] = useState('');
  const [comment, setComment] = useState('');
  const me = useStaff();
  const { state, counts } = report;
  const ownRequest = report.requestedBy?.kind === 'staff' && report.requestedBy.id === me.id;

  const call = async (method: 'POST' | 'PATCH', path: string, body?: unknown) => {
    await api(method, `/api/campaigns/${report.id}${path}`, body);
    setDialog(undefined);
    onChanged();
  };
  // Pause, resume and reschedule; the confirm dialogs run `call` themselves.
  const act = useAction(call);
  const open = (action: Action) => {
    act.setError(undefined);
    if (action === 'reschedule') setSendAt(isoToLocal(report.scheduledAt));
    setDialog(action);
  };
  const retryable = ['sending', 'paused', 'sent'].includes(state) && counts.failed + counts.unknown > 0;
  const rescheduleAt = localToIso(sendAt);

  return (
    <>
      {state === 'awaiting_approval' &&
        (ownRequest ? (
          <span className="muted">Your own request: another editor or admin approves it.</span>
        ) : (
          <>
            <button
              type="button"
              className="button-primary"
              onClick={() => void act.run('POST', '/approve')}
              disabled={act.busy}
            >
              Approve
            </button>
            <button type="button" onClick={() => open('decline')}>
              Decline…
            </button>
          </>
        ))}
      {state === 'sending' && (
        <button type="button" onClick={() => void act.run('POST', '/pause')} disabled={act.busy}>
          Pause
        </button>
      )}
      {state === 'paused' && (
        <button
          type="button"
          className="button-primary"
          onClick={() => void act.run('POST', '/resume')}
          disabled={act.busy}
        >
          Resume
        </button>
      )}
      {state === 'scheduled' && (
        <button type="button" onClick={() => open('reschedule')}>
          Reschedule…
        </button>
      )}
      {retryable && (
        <button type="button" onClick={() => open('retry')}>
          Retry failed…
        </button>
      )}
      {/* The welcome mail is ended by turning it off in Settings; the server refuses to cancel it while it is on. */}
      {report.kind !== 'welcome' &&
        ['awaiting_approval', 'scheduled', 'preparing', 'sending', 'paused'].includes(state) && (
          <button type="button" className="button-danger" onClick={() => open('cancel')}>
            Cancel send…
          </button>
        )}
      {!dialog && <ErrorNotice error={act.error} />}

      <ConfirmDialog
        open={dialog === 'cancel'}
        title="Cancel this send?"
        confirmLabel="Cancel the send"
        cancelLabel="Keep sending"
        onConfirm={() => call('POST', '/cancel')}
        onClose={() => setDialog(undefined)}
      >
        <p>
          {counts.total > 0
            ? `${plural(counts.queued, 'message')} not yet sent will not be. ` +
              `${plural(counts.sent, 'message')} already sent stay sent.`
            : 'Nothing has been sent; nothing will be.'}{' '}
          A cancelled send cannot be started again; send the bulletin anew instead.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={dialog === 'retry'}
        title="Retry failed messages?"
        confirmLabel="Retry"
        cancelLabel="Not now"
        danger={false}
        disabled={counts.failed + (includeUnknown ? counts.unknown : 0) === 0}
        onConfirm={() =>
          call('POST', '/retry-failed', { include: includeUnknown ? ['failed', 'unknown'] : ['failed'] })
        }
        onClose={() => setDialog(undefined)}
      >
        <p>{plural(counts.failed, 'failed message')} will be queued and sent again.</p>
        {counts.unknown > 0 && (
          <label className="checkbox retry-unknown">
            <input
              type="checkbox"
              checked={includeUnknown}
              onChange={(e) => setIncludeUnknown(e.target.checked)}
              aria-describedby="unknown-explained"
            />
            Include the {plural(counts.unknown, 'message')} whose fate is unknown
          </label>
        )}
        {counts.unknown > 0 && (
          <p id="unknown-explained" className="muted">
            A worker stopped while sending these: SES may have taken them, so retrying them may send some people a
            second copy.
          </p>
        )}
      </ConfirmDialog>

      <Dialog open={dialog === 'decline'} title="Decline this send" onClose={() => setDialog(undefined)}>
        <label className="field">
          <span>Why (the one who asked reads it)</span>
          <textarea
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            rows={4}
            aria-invalid={act.issue('comment') ? true : undefined}
          />
        </label>
        {act.issue('comment') && <p className="field-error">{act.issue('comment')}</p>}
        {!act.issue('comment') && <ErrorNotice error={act.error} />}
        <div className="dialog-actions">
          <button type="button" onClick={() => setDialog(undefined)}>
            Not now
          </button>
          <button
            type="button"
            className="button-danger"
            disabled={act.busy || !comment.trim()}
            onClick={() => void act.run('POST', '/decline', { comment })}
          >
            Decline
          </button>
        </div>
      </Dialog>

      <Dialog open={dialog === 'reschedule'} title="Reschedule this send" onClose={() => setDialog(undefined)}>
        <ScheduleField label="Send at" value={sendAt} onChange={setSendAt} error={act.issue('scheduledAt')} />
        {!act.issue('scheduledAt') && <ErrorNotice error={act.error} />}
        <div className="dialog-actions">
          <button type="button" onClick={() => setDialog(undefined)}>
            Keep the time
          </button>
          <button
            type="button"
            className="button-primary"
            disabled={act.busy || !rescheduleAt}
            onClick={() => void act.run('PATCH', '', { scheduledAt: rescheduleAt })}
          >
            Reschedule
          </button>
        </div>
      </Dialog>
    </>
  );
}

function Report({ report, version }: { report: CampaignReport; version: BulletinVersion | undefined }) {
  const comparison = useApi<Comparison>(`/api/campaigns/${report.id}/comparison`);
  // Loaded again when the state changes: the comparison's row for this send then has its final numbers.
  const shownState = useRef(report.state);
  const reloadComparison = comparison.reload;
  useEffect(() => {
    if (shownState.current === report.state) return;
    shownState.current = report.state;
    reloadComparison();
  }, [report.state, reloadComparison]);
  const blockLabel = (index: number) => {
    const block = version?.document.blocks[index];
    const heading = block?.heading?.[version!.document.languages[0]!];
    const shown = heading && heading.length > 40 ? `${heading.slice(0, 39)}…` : heading;
    return `Block ${index + 1}${block ? ` (${block.type.replace(/_/g, ' ')}${heading ? `: ${shown}` : ''})` : ''}`;
  };
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">Report</h2>
      {report.state !== 'sent' && <p className="muted">The numbers grow while the send goes on.</p>}
      <Suspense fallback={<Loading label="Loading the charts…" />}>
        <ReportCharts report={report} comparison={comparison.data} blockLabel={blockLabel} />
      </Suspense>
      <ErrorNotice error={comparison.error} title="The comparison with earlier sends could not be loaded." />
    </section>
  );
}
