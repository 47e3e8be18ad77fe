// The pieces every screen uses: headers, fields with their errors, notices, dialogs, badges.
import { cloneElement, useEffect, useId, useRef, type ReactElement, type ReactNode } from 'react';
import { ApiError, errorMessage } from './api';
import { languageName } from '../audience/languages';
import { DEFAULT_SETTINGS, type Settings } from '../settings/settings';
import { useAction, useApi } from './hooks';

export function PageHeader({ title, children, back }: { title: ReactNode; children?: ReactNode; back?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        {back && <div className="page-back">{back}</div>}
        <h1>{title}</h1>
      </div>
      {children && <div className="page-actions">{children}</div>}
    </header>
  );
}

/**
 * An error from the server or the network, with the fields it names; `beside` lists the fields a
 * form shows its issues beside already, which the notice leaves out.
 */
export function ErrorNotice({ error, title, beside = [] }: { error: unknown; title?: string; beside?: string[] }) {
  if (!error) return null;
  const issues = error instanceof ApiError ? error.issues.filter((issue) => !beside.includes(issue.path)) : [];
  return (
    <div className="notice notice-error" role="alert">
      {title && <strong>{title} </strong>}
      <ServerText text={errorMessage(error)} />
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={issue.path + issue.message}>
              <code>{issue.path}</code>: <ServerText text={issue.message} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A message from the server as words: what it quotes in backticks (a command such as `npm start`) shows as code. */
export function ServerText({ text }: { text: string }) {
  // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text, known by their place
  return <>{text.split(/`([^`]+)`/).map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warning'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role="status">
      {children}
    </div>
  );
}

/** A field's hint and error under its control, with the ids its aria-describedby names. */
export function FieldNotes(props: { hint?: ReactNode; hintId?: string; error?: string; errorId?: string }) {
  return (
    <>
      {props.hint && (
        <p className="field-hint" id={props.hintId}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p className="field-error" id={props.errorId}>
          <ServerText text={props.error} />
        </p>
      )}
    </>
  );
}

/**
 * A labelled form control: the label, hint and error are tied to the control given as the only
 * child (it gets the id and aria-describedby).
 */
export function Field({
  label,
  hint,
  error,
  children,
  className,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactElement<Record<string, unknown>>;
  className?: string;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const control = cloneElement(children, {
    id: (children.props.id as string | undefined) ?? id,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
    'aria-invalid': error ? true : undefined,
  });
  return (
    <div className={`field ${error ? 'field-invalid' : ''} ${className ?? ''}`}>
      <label htmlFor={(children.props.id as string | undefined) ?? id}>{label}</label>
      {control}
      <FieldNotes hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

/** A modal dialog (the native <dialog>: focus is kept inside and Escape closes it). */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose(): void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      {open && (
        <>
          <header className="dialog-header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="button-quiet" onClick={onClose} aria-label="Close">
              ✕
            </button>
          </header>
          {children}
        </>
      )}
    </dialog>
  );
}

interface ConfirmDialogProps {
  open?: boolean;
  title: string;
  confirmLabel: ReactNode;
  /** The confirm button's words while `onConfirm` runs ("Deleting…"); the same words if not given. */
  busyLabel?: ReactNode;
  cancelLabel?: string;
  /** A red confirm button for what cannot be undone (the default); otherwise the primary one. */
  danger?: boolean;
  disabled?: boolean;
  onConfirm(): Promise<void>;
  onClose(): void;
  children: ReactNode;
}

/**
 * A question before an action: Cancel, or the confirm button, which runs `onConfirm`. An error
 * keeps the dialog open and is shown in it; on success `onConfirm` closes it (or goes elsewhere).
 */
export function ConfirmDialog({ open = true, title, ...body }: ConfirmDialogProps) {
  // The body is inside the dialog, which shows it only while open: each opening starts without an error.
  return (
    <Dialog open={open} title={title} onClose={body.onClose}>
      <ConfirmBody {...body} />
    </Dialog>
  );
}

function ConfirmBody({
  confirmLabel,
  busyLabel = confirmLabel,
  cancelLabel = 'Cancel',
  danger = true,
  disabled = false,
  onConfirm,
  onClose,
  children,
}: Omit<ConfirmDialogProps, 'open' | 'title'>) {
  const confirm = useAction(onConfirm);
  return (
    <>
      <ErrorNotice error={confirm.error} />
      {children}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {cancelLabel}
        </button>
        <button
          type="button"
          className={danger ? 'button-danger' : 'button-primary'}
          disabled={disabled || confirm.busy}
          onClick={() => void confirm.run()}
        >
          {confirm.busy ? busyLabel : confirmLabel}
        </button>
      </div>
    </>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label}
    </p>
  );
}

/** A state or status word in its colour: draft, scheduled, sending, sent, failed… */
export function Badge({ value, label }: { value: string; label?: string }) {
  return <span className={`badge badge-${value}`}>{label ?? value.replace(/_/g, ' ')}</span>;
}

const numberFormat = new Intl.NumberFormat('en');
export const formatNumber = (n: number) => numberFormat.format(n);

const dayFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat('en', { timeStyle: 'short' });
const unbroken = (text: string) => text.replace(/\s/g, '\u00a0');
/** "Dec 4, 2026, 4:15 PM": in a narrow column it breaks after the day only, never inside the day or the time. */
export const formatDate = (iso: string | null | undefined) =>
  iso ? `${unbroken(dayFormat.format(new Date(iso)))}, ${unbroken(timeFormat.format(new Date(iso)))}` : '—';

/** Language codes as staff read them: "Spanish" for es, "Brazilian Portuguese" for pt-BR. */
export { languageName };

/** The organisation's languages (Settings), which staff pick from; the defaults until they load. */
export function useOrganisationLanguages(): readonly string[] {
  return useApi<Settings>('/api/settings').data?.languages ?? DEFAULT_SETTINGS.languages;
}

/**
 * <option>s for a language select: the organisation's languages (or `languages`, the Settings
 * page's unsaved ones), with `current` kept when it is another: a subscriber may read any language.
 */
export function LanguageOptions(props: { languages?: readonly string[]; current?: string }) {
  const organisation = useOrganisationLanguages();
  const { languages = organisation, current } = props;
  return (
    <>
      {current && !languages.includes(current) && <option value={current}>{languageName(current)}</option>}
      {languages.map((code) => (
        <option key={code} value={code}>
          {languageName(code)}
        </option>
      ))}
    </>
  );
}
