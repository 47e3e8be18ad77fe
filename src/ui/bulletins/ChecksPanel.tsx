// The pre-send checks of the last saved version: errors first, each one a button that goes to the
// field it is about.
import { type ReactNode, useId } from 'react';
import type { Settings } from '../../settings/settings';
import { ErrorNotice } from '../components';
import { settingsField } from '../return-link';
import { Link, useLocation } from '../router';
import { useStaff } from '../session';
import { describeFinding, type BulletinDocument, type Checks, type Finding } from './model';

/** Findings about the organisation's settings rather than the bulletin: the Settings field each is about. */
const SETTINGS_FIELDS: Partial<Record<Finding['code'], { field: keyof Settings; link: string }>> = {
  no_postal_address: { field: 'postalAddress', link: 'Add it in Settings' },
  low_contrast: { field: 'brandColor', link: 'Change it in Settings' },
};

const listFormat = new Intl.ListFormat('en');
/** "Block 9", "Blocks 8 and 9", from block numbers (counted from 1). */
export const blockNumbers = (numbers: number[]) =>
  `${numbers.length === 1 ? 'Block' : 'Blocks'} ${listFormat.format(numbers.map(String))}`;

export function ChecksPanel({
  id,
  checks,
  unfinished = [],
  error,
  loading,
  document,
  version,
  onJump,
  onStillCorrect,
  children,
}: {
  id?: string;
  checks: Checks | undefined;
  /** The numbers of blocks just added and not typed in yet, whose findings are left out of `checks` until they are. */
  unfinished?: number[];
  error: unknown;
  loading: boolean;
  document: BulletinDocument;
  /** The saved version checked. */
  version: number;
  onJump(field: string, language?: string): void;
  /** Marks a translation_outdated finding's translation still correct; without it, no such button. */
  onStillCorrect?(finding: Finding): void;
  /** Shown under the summary: the translations' ready marks. */
  children?: ReactNode;
}) {
  const headingId = useId();
  const staff = useStaff();
  const { path } = useLocation();
  const findings = [...(checks?.findings ?? [])].sort((a, b) =>
    a.level === b.level ? 0 : a.level === 'error' ? -1 : 1,
  );
  const errors = findings.filter((f) => f.level === 'error').length;
  const warnings = findings.length - errors;

  return (
    <section className="card checks" id={id} aria-labelledby={headingId} aria-busy={loading}>
      <h2 id={headingId}>Checks</h2>
      <p className="muted side-note">Of version {version}, the last one saved.</p>
      <ErrorNotice error={error} title="The checks could not run." />
      {checks && (
        // Not a live region: it would speak after every autosave. The Send button's reason says the same.
        <p className={`checks-summary ${errors ? 'has-errors' : unfinished.length ? '' : 'is-ok'}`}>
          {errors === 0 && warnings === 0 && (unfinished.length ? 'Nothing to fix so far.' : '✓ Nothing to fix.')}
          {errors > 0 && `${errors} ${errors === 1 ? 'error' : 'errors'} to fix before sending`}
          {errors > 0 && warnings > 0 && ', '}
          {errors === 0 && warnings > 0 && !unfinished.length && 'Ready to send; '}
          {warnings > 0 && `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`}
          {loading && <span className="muted"> (checking again…)</span>}
        </p>
      )}
      {checks && unfinished.length > 0 && (
        <p className="muted side-note">
          {blockNumbers(unfinished)}, just added,{' '}
          {unfinished.length === 1 ? 'is checked once you type in it' : 'are checked once you type in them'}.
        </p>
      )}
      {children}
      {!checks && !error && <p className="muted">Checking…</p>}
      {findings.length > 0 && (
        <ul className="findings">
          {findings.map((finding, i) => {
            const { where, message } = describeFinding(document, finding);
            const content = (
              <>
                <span className={`badge badge-${finding.level}`}>{finding.level}</span>
                <span className="finding-text">
                  {where && <span className="finding-where">{where}</span>}
                  <span>{message}</span>
                </span>
              </>
            );
            const setting = SETTINGS_FIELDS[finding.code];
            const stillCorrect = finding.code === 'translation_outdated' && onStillCorrect;
            const jump = (
              <button type="button" className="finding" onClick={() => onJump(finding.field!, finding.language)}>
                {content}
              </button>
            );
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: two findings may be identical; the index tells them apart
              <li key={`${finding.code}-${finding.field ?? ''}-${finding.language ?? ''}-${i}`}>
                {finding.field && !setting ? (
                  stillCorrect ? (
                    <div className="finding-row">
                      {jump}
                      <button type="button" className="button-small" onClick={() => stillCorrect(finding)}>
                        Still correct
                        <span className="visually-hidden">: {where}</span>
                      </button>
                    </div>
                  ) : (
                    jump
                  )
                ) : (
                  <div className="finding">
                    {content}
                    {/* Settings opens on the field, with a way back here once saved. */}
                    {setting && staff.role === 'admin' && (
                      <Link to={settingsField(setting.field, path)}>{setting.link}</Link>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
