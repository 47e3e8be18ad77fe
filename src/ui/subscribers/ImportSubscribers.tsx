// CSV import: the columns it reads, the consent question (and, for pending people, whether to mail
// them the confirmation), an upload with its progress, and the report with a line for each row
// that was not imported.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ImportReport } from '../../audience/schemas';
import { upload } from '../api';
import { ErrorNotice, Field, formatNumber, Notice, PageHeader } from '../components';
import { ReturnLink, useReturn } from '../return-link';
import { BASE, Link, useTitle } from '../router';
import './subscribers.css';

type Stage = { name: 'choosing' } | { name: 'uploading'; fraction: number } | { name: 'done'; report: ImportReport };

export function ImportSubscribers() {
  useTitle('Import subscribers');
  const opener = useReturn();
  const [file, setFile] = useState<File | null>(null);
  const [status, setStatus] = useState<'active' | 'pending' | ''>('');
  const [confirm, setConfirm] = useState(false);
  const [stage, setStage] = useState<Stage>({ name: 'choosing' });
  const [error, setError] = useState<unknown>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || !status) return;
    setError(undefined);
    setStage({ name: 'uploading', fraction: 0 });
    try {
      const report = await upload<ImportReport>(
        `/api/subscribers/import?status=${status}${status === 'pending' && confirm ? '&confirm=true' : ''}`,
        file,
        'text/csv',
        (fraction) => setStage({ name: 'uploading', fraction }),
      );
      setStage({ name: 'done', report });
    } catch (e) {
      setError(e);
      setStage({ name: 'choosing' });
    }
  };

  return (
    <>
      <PageHeader
        title="Import subscribers"
        back={opener ? <ReturnLink arrow /> : <Link to={`${BASE}/subscribers`}>← All subscribers</Link>}
      />
      <div className="grid-2 import-layout">
        <form className="card" onSubmit={submit} aria-labelledby="import-file">
          <h2 id="import-file">File</h2>
          <ErrorNotice error={error} title="Nothing was imported." />
          <Field label="CSV file" hint="UTF-8, with a header line. Any size: it is read a batch at a time.">
            <input
              type="file"
              accept=".csv,text/csv"
              required
              disabled={stage.name === 'uploading'}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setStage({ name: 'choosing' });
              }}
            />
          </Field>
          <fieldset disabled={stage.name === 'uploading'}>
            <legend>Have these people consented?</legend>
            <label className="checkbox">
              <input
                type="radio"
                name="import-status"
                value="active"
                required
                checked={status === 'active'}
                onChange={() => setStatus('active')}
              />
              Yes: import them as active
            </label>
            <label className="checkbox">
              <input
                type="radio"
                name="import-status"
                value="pending"
                required
                checked={status === 'pending'}
                onChange={() => setStatus('pending')}
              />
              Not yet: import them as pending
            </label>
            <p className="field-hint">
              Active only for people who already consented to receive our mail (they signed up with us). Pending people
              get no bulletins until they confirm. Addresses already on the list keep their status either way: an import
              never subscribes anyone again.
            </p>
            {status === 'pending' && (
              <label className="checkbox">
                <input type="checkbox" checked={confirm} onChange={(e) => setConfirm(e.target.checked)} />
                Mail each new subscriber the confirmation (within the hourly limits: a long list goes out over the hours
                after)
              </label>
            )}
          </fieldset>
          <button type="submit" className="button-primary" disabled={stage.name === 'uploading'}>
            {stage.name === 'uploading' ? 'Importing…' : 'Import'}
          </button>
          {stage.name === 'uploading' && <UploadProgress fraction={stage.fraction} />}
        </form>
        <ExpectedColumns />
      </div>
      {stage.name === 'done' && <ImportResult report={stage.report} />}
    </>
  );
}

function UploadProgress({ fraction }: { fraction: number }) {
  const percent = Math.round(fraction * 100);
  return (
    <div className="upload-progress">
      <div
        className="progress"
        role="progressbar"
        aria-label="Upload"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div style={{ width: `${percent}%` }} />
      </div>
      <p className="muted" role="status">
        {percent < 100 ? `Uploading… ${percent}%` : 'Uploaded; the last rows are being imported…'}
      </p>
    </div>
  );
}

function ExpectedColumns() {
  const topics = `${BASE}/topics`;
  return (
    <section className="card" aria-labelledby="import-columns">
      <h2 id="import-columns">Columns</h2>
      <p>The first line names the columns, in any order. Only email is required.</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">What it holds</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>
                <code>email</code>
              </td>
              <td>The address (required)</td>
            </tr>
            <tr>
              <td>
                <code>name</code>
              </td>
              <td>The person's name</td>
            </tr>
            <tr>
              <td>
                <code>language</code>
              </td>
              <td>
                A language code such as <code>es</code> or <code>pt-BR</code> in any case, or a name such as{' '}
                <code>Spanish</code> or <code>Español</code>; English when empty
              </td>
            </tr>
            <tr>
              <td>
                <code>topics</code>
              </td>
              <td>
                Keys of existing <Link to={topics}>topics</Link>, separated by <code>;</code> <code>,</code> or{' '}
                <code>|</code>; a key that is not a topic fails the row
              </td>
            </tr>
            <tr>
              <td>
                <code>tags</code>
              </td>
              <td>Tags, separated the same way</td>
            </tr>
            <tr>
              <td>
                <code>attributes</code>
              </td>
              <td>A JSON object of attributes</td>
            </tr>
            <tr>
              <td>any other</td>
              <td>An attribute of that name</td>
            </tr>
          </tbody>
        </table>
      </div>
      <p className="muted">
        <code>id</code>, <code>status</code>, <code>created_at</code> and <code>updated_at</code> are ignored, so an
        exported file imports back. A known address gains the row's topics, tags and attributes; an address on the
        suppression list is not imported.
      </p>
      <pre className="csv-example">
        {'email,name,language,topics,city\nana@example.org,Ana Souza,es,weekly-bulletin,Lisbon'}
      </pre>
    </section>
  );
}

function ImportResult({ report }: { report: ImportReport }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The result may be below the fold: bring it into view, and keyboard and screen reader users with it.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card import-result" aria-labelledby="import-result">
      <h2 id="import-result" ref={heading} tabIndex={-1}>
        Result
      </h2>
      <Notice kind={report.failed ? 'warning' : 'success'}>
        Import finished: {formatNumber(report.created)} created, {formatNumber(report.merged)} merged
        {report.failed ? `, ${formatNumber(report.failed)} not imported` : ''}. <ReturnLink />
      </Notice>
      {report.confirmationsQueued !== undefined && (
        <p>
          {formatNumber(report.confirmationsQueued)}{' '}
          {report.confirmationsQueued === 1 ? 'confirmation mail' : 'confirmation mails'} queued, one to each new
          subscriber.
        </p>
      )}
      <dl className="stats">
        <div>
          <dt>Rows read</dt>
          <dd>{formatNumber(report.rows)}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatNumber(report.created)}</dd>
        </div>
        <div>
          <dt>Merged (address seen before)</dt>
          <dd>{formatNumber(report.merged)}</dd>
        </div>
        <div>
          <dt>Not imported</dt>
          <dd>{formatNumber(report.failed)}</dd>
        </div>
      </dl>
      {report.errors.length > 0 && (
        <>
          <h3>Rows not imported</h3>
          {report.failed > rowsListed(report) && (
            <p className="muted">Only the first {formatNumber(report.errors.length)} problems are listed.</p>
          )}
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col" className="number">
                    Line
                  </th>
                  <th scope="col">Email</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((e) => (
                  <tr key={`${e.line}-${e.message}`}>
                    <td className="number">{e.lastLine ? `${e.line}–${e.lastLine}` : e.line}</td>
                    <td>{e.email ?? <span className="muted">—</span>}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted">
            To import these rows, correct them in the file and import it again: the rows already imported are merged,
            not added twice.
          </p>
        </>
      )}
      <p>
        <Link to={`${BASE}/subscribers`}>See the subscribers</Link>
      </p>
    </section>
  );
}

/** The rows the listed problems account for: a quote that is never closed takes every line after it. */
function rowsListed(report: ImportReport): number {
  return report.errors.reduce((rows, e) => rows + (e.lastLine ? e.lastLine - e.line + 1 : 1), 0);
}
