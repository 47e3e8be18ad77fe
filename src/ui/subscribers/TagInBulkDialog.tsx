// Tag in bulk: one tag added to (or taken from) many subscribers at once, from pasted addresses
// (sent as JSON) or a CSV file (streamed as it is, however long), with the server's counts and
// the rows it could not read (POST /api/subscribers/tags, docs/audience.md "Tags in bulk").
import { useId, useState, type FormEvent } from 'react';
import type { BulkTagProblem, BulkTagReport, TagAction } from '../../audience/schemas';
import { api, upload } from '../api';
import { Dialog, ErrorNotice, Field, formatNumber } from '../components';
import { issuesUnder } from './fields';

/** Addresses as people paste them: one a line, or separated by commas, semicolons or spaces. */
export const pastedAddresses = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

type Source = 'paste' | 'file';

export function TagInBulkDialog({ open, onClose, onTagged }: { open: boolean; onClose(): void; onTagged(): void }) {
  const name = useId();
  const [tag, setTag] = useState('');
  const [action, setAction] = useState<TagAction>('add');
  const [source, setSource] = useState<Source>('paste');
  const [pasted, setPasted] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<false | number>(false);
  const [error, setError] = useState<unknown>();
  const [report, setReport] = useState<BulkTagReport>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setReport(undefined);
    setBusy(0);
    try {
      const answer =
        source === 'paste'
          ? await api<BulkTagReport>('POST', '/api/subscribers/tags', { tag, action, emails: pastedAddresses(pasted) })
          : await upload<BulkTagReport>(
              `/api/subscribers/tags?${new URLSearchParams({ tag, action })}`,
              file!,
              'text/csv',
              setBusy,
            );
      setReport(answer);
      if (answer.changed > 0) onTagged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const issue = (path: string) => issuesUnder(error, path);
  const addresses = pastedAddresses(pasted).length;
  const ready = tag.trim() !== '' && (source === 'paste' ? addresses > 0 : file !== null);

  return (
    <Dialog open={open} title="Tag in bulk" onClose={onClose}>
      <form onSubmit={submit} className="tag-in-bulk">
        <ErrorNotice error={error} beside={['tag', 'action', 'emails']} />
        <Field label="Tag" hint="Up to 64 characters, e.g. signed-petition-62500" error={issue('tag')}>
          <input value={tag} onChange={(e) => setTag(e.target.value)} required maxLength={64} />
        </Field>
        <fieldset>
          <legend>Action</legend>
          <label className="checkbox">
            <input type="radio" name={`${name}-action`} checked={action === 'add'} onChange={() => setAction('add')} />
            Add the tag
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name={`${name}-action`}
              checked={action === 'remove'}
              onChange={() => setAction('remove')}
            />
            Remove the tag
          </label>
        </fieldset>
        <fieldset>
          <legend>Addresses</legend>
          <label className="checkbox">
            <input
              type="radio"
              name={`${name}-source`}
              checked={source === 'paste'}
              onChange={() => setSource('paste')}
            />
            Paste them
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name={`${name}-source`}
              checked={source === 'file'}
              onChange={() => setSource('file')}
            />
            A CSV file (such as an export of a petition's signers)
          </label>
        </fieldset>
        {source === 'paste' ? (
          <Field
            label="Addresses"
            hint={`One a line, or separated by commas; up to 10,000 (a longer list goes as a CSV file). ${
              addresses ? `${formatNumber(addresses)} so far.` : ''
            }`}
            error={issue('emails')}
          >
            <textarea rows={6} value={pasted} onChange={(e) => setPasted(e.target.value)} />
          </Field>
        ) : (
          <Field
            label="CSV file"
            hint="The column headed email is read (or the first column); other columns are ignored. Any size."
          >
            <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </Field>
        )}
        {report && <TagReport report={report} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {report ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="button-primary" disabled={!ready || busy !== false}>
            {busy === false
              ? action === 'add'
                ? 'Add the tag'
                : 'Remove the tag'
              : source === 'file' && busy < 1
                ? `Uploading… ${Math.round(busy * 100)}%`
                : 'Tagging…'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function TagReport({ report }: { report: BulkTagReport }) {
  const done = report.action === 'add' ? 'gained the tag' : 'lost the tag';
  const already = report.action === 'add' ? 'had it already' : 'did not have it';
  const counts: [string, number][] = [
    ['Matched', report.matched],
    [`Changed (${done})`, report.changed],
    [`Unchanged (${already})`, report.unchanged],
    ['Not found', report.notFound],
    ['Duplicates', report.duplicates],
    ['Failed', report.failed],
  ];
  return (
    <section className="tag-report" aria-labelledby="tag-report-title">
      <h3 id="tag-report-title" role="status">
        “{report.tag}”: {formatNumber(report.changed)} {report.changed === 1 ? 'subscriber' : 'subscribers'} {done}.
      </h3>
      <dl className="stats tag-report-counts">
        {counts.map(([label, n]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{formatNumber(n)}</dd>
          </div>
        ))}
      </dl>
      {report.notFound > 0 && (
        <p className="muted">Not found: addresses of no subscriber. No one is ever added by tagging.</p>
      )}
      {report.errors.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption>Rows not read{report.failed > report.errors.length ? ' (the first ones)' : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Address</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((problem) => (
                <tr key={`${problem.line ?? ''}-${problem.index ?? ''}-${problem.message}`}>
                  <td>{where(problem)}</td>
                  <td>{problem.email ?? ''}</td>
                  <td>{problem.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** "Line 14", "Lines 14–20" for a CSV row; "Address 3" (from 1) for a pasted one. */
function where(problem: BulkTagProblem): string {
  if (problem.line !== undefined)
    return problem.lastLine !== undefined ? `Lines ${problem.line}–${problem.lastLine}` : `Line ${problem.line}`;
  return problem.index !== undefined ? `Address ${problem.index + 1}` : '';
}
