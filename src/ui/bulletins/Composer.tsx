// The composer: the bulletin's fields and blocks on the left, saved as staff type; the checks and
// the real render of the saved version on the right.
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { api, ApiError, errorMessage } from '../api';
import { ErrorNotice, Loading, PageHeader } from '../components';
import { useAction, useApi } from '../hooks';
import { useComposerLibrary } from '../library/ComposerLibrary';
import { ReturnLink, useReturn } from '../return-link';
import { BASE, Link, navigate, useLeaveGuard, useLocation, useTitle } from '../router';
import { BlockList, Palette, type BlockActions } from './BlockList';
import { BulletinFields } from './BulletinFields';
import { SendList, useBulletinSends } from './BulletinSends';
import { blockNumbers, ChecksPanel } from './ChecksPanel';
import { COMPOSER_SECTIONS, ComposerJumps } from './ComposerJumps';
import { ComposerFieldsContext } from './fields';
import {
  blockLabel,
  describePath,
  fieldId,
  focusField,
  type BlockType,
  type Bulletin,
  type Checks,
  type Finding,
} from './model';
import { Presence } from './Presence';
import { PreviewPane } from './PreviewPane';
import { SaveConflicts } from './SaveConflicts';
import { ReadyToggles, useStillCorrect } from './TranslationMarks';
import { TestSendDialog } from './TestSendDialog';
import { useDraft, type Saved, type SaveStatus as Status } from './useDraft';
import { VersionsDialog } from './VersionsDialog';
import type { WelcomeMailStatus } from '../../sending/schemas';
import './composer.css';

export function Composer({ id }: { id: number }) {
  const bulletin = useApi<Bulletin>(`/api/bulletins/${id}`);
  const opener = useReturn();
  const back = opener ? <ReturnLink arrow /> : <Link to={`${BASE}/bulletins`}>← Bulletins</Link>;
  if (!bulletin.data) {
    return (
      <>
        <PageHeader title="Bulletin" back={back} />
        {bulletin.error ? (
          <ErrorNotice error={bulletin.error} title="The bulletin could not be loaded." />
        ) : (
          <Loading label="Loading the bulletin…" />
        )}
      </>
    );
  }
  return <ComposerScreen key={bulletin.data.id} bulletin={bulletin.data} back={back} />;
}

function ComposerScreen({ bulletin, back }: { bulletin: Bulletin; back: ReactNode }) {
  const draft = useDraft(bulletin);
  const { document: doc, keys } = draft.draft;
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<{ text: string; undo?: boolean }>();
  // ?test opens the test send at once (the setup checklist's link to it).
  const opensTest = useLocation().query.has('test');
  const [dialog, setDialog] = useState<'test' | 'versions' | undefined>(opensTest ? 'test' : undefined);
  /** Blocks added here and not typed in yet, by key: their findings wait until they are. */
  const [untouched, setUntouched] = useState<ReadonlySet<string>>(new Set());
  const reasonId = useId();
  const blocksHeadingId = useId();
  useTitle(doc.title || 'Untitled bulletin');
  const { sends, request } = useBulletinSends(bulletin.id);
  const sent = sends !== undefined && sends.length > 0;
  // Once a bulletin went out, the usual next step is next week's bulletin, started from this one.
  const copy = useAction(async () => {
    const next = await api<Bulletin>('POST', `/api/bulletins/${bulletin.id}/duplicate`);
    navigate(`${BASE}/bulletins/${next.id}`);
  });

  // Leaving with changes not saved yet saves them first: only changes that cannot be saved
  // (refused, failed, or still on their way after a few seconds) make the app ask.
  const { flush } = draft;
  useLeaveGuard(draft.unsaved ? async () => ((await savedInTime(flush)) ? undefined : LEAVE_QUESTION) : undefined);

  // The checks are of the saved version: run them again after each save.
  const checks = useApi<Checks>(`/api/bulletins/${bulletin.id}/checks`);
  const checkedVersion = useRef(draft.saved.versionId);
  const { reload: recheck } = checks;
  const stillCorrect = useStillCorrect(bulletin.id, recheck);
  useEffect(() => {
    if (draft.saved.versionId === checkedVersion.current) return;
    checkedVersion.current = draft.saved.versionId;
    recheck();
  }, [draft.saved.versionId, recheck]);

  const { undo: undoDraft } = draft;
  const undo = useCallback(() => {
    const label = undoDraft();
    if (label) setNotice({ text: `Undone: ${inSentence(label)}.` });
  }, [undoDraft]);

  // Ctrl+Z outside text fields undoes the last change to the document; in a text field it stays
  // the field's own undo.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey || event.key.toLowerCase() !== 'z')
        return;
      if (
        event.target instanceof Element &&
        event.target.closest('input, textarea, select, [contenteditable="true"], dialog')
      )
        return;
      event.preventDefault();
      undo();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [undo]);

  /** Shows the control for a path (expanding its block) and puts the cursor in it. */
  const jumpTo = (path: string, language?: string) => {
    const block = /^blocks\[(\d+)\]/.exec(path);
    const key = block ? keys[Number(block[1])] : undefined;
    if (key && collapsed.has(key)) flushSync(() => setCollapsed((set) => new Set([...set].filter((k) => k !== key))));
    focusField(fieldId(path, language));
  };

  /** Scrolls to a block just added and puts the cursor in its first field. */
  const showNewBlock = (index: number) =>
    requestAnimationFrame(() => {
      const section = window.document.getElementById(`block-${index}`);
      section?.scrollIntoView({ block: 'start', behavior: 'smooth' });
      (section?.querySelector<HTMLElement>('input, textarea, [contenteditable="true"]') ?? section)?.focus({
        preventScroll: true,
      });
    });

  const addBlock = (type: BlockType) => {
    const index = keys.length;
    const key = draft.addBlock(type);
    setUntouched((set) => new Set([...set, key]));
    setNotice({ text: `Block ${index + 1} (${blockLabel(type)}) added.` });
    showNewBlock(index);
  };

  const library = useComposerLibrary({
    document: doc,
    insertBlock: draft.insertBlock,
    announce: (text, index) => {
      setNotice({ text, undo: index !== undefined });
      if (index !== undefined) showNewBlock(index);
    },
  });

  const actions: BlockActions = {
    onChange: (index, block, field) => {
      draft.editBlock(index, block, field);
      const key = keys[index]!;
      if (untouched.has(key)) setUntouched((set) => new Set([...set].filter((k) => k !== key)));
    },
    onMove: (from, to) => {
      draft.moveBlock(from, to);
      setNotice({ text: `Block ${from + 1} moved to position ${to + 1}.` });
    },
    onDuplicate: (index) => {
      const key = draft.duplicateBlock(index);
      // A copy of a block not typed in yet waits as the block does.
      if (untouched.has(keys[index]!)) setUntouched((set) => new Set([...set, key]));
      setNotice({ text: `Block ${index + 1} copied as block ${index + 2}.` });
    },
    onRemove: (index) => {
      const type = doc.blocks[index]!.type;
      draft.removeBlock(index);
      setNotice({ text: `Block ${index + 1} (${blockLabel(type)}) removed.`, undo: true });
      // Focus goes to the block that took its place, else the one before, else the palette.
      const next = index < keys.length - 1 ? index : index - 1;
      requestAnimationFrame(() => {
        if (next < 0 || !focusField(`block-${next}`))
          window.document.querySelector<HTMLElement>('.palette button')?.focus();
      });
    },
    onToggle: (key) =>
      setCollapsed((set) => (set.has(key) ? new Set([...set].filter((k) => k !== key)) : new Set([...set, key]))),
    onSaveToLibrary: library.openSaveBlock,
  };

  // The checks are of the saved version: a finding's block index is a key of its blocks.
  const keyOf = (finding: Finding) => (finding.block === undefined ? undefined : draft.saved.keys[finding.block]);
  const shownChecks = checks.data && {
    ...checks.data,
    findings: checks.data.findings.filter((f) => !untouched.has(keyOf(f) ?? '')),
  };
  /** The numbers of the blocks just added whose errors are not shown yet. */
  const unfinished = keys.flatMap((key, i) =>
    untouched.has(key) && checks.data?.findings.some((f) => f.level === 'error' && keyOf(f) === key) ? [i + 1] : [],
  );
  const errors = shownChecks?.findings.filter((f) => f.level === 'error').length ?? 0;
  const toFix = [
    errors > 0 && `fix the ${errors === 1 ? 'error' : `${errors} errors`} in Checks`,
    unfinished.length > 0 && `fill in the new ${blockNumbers(unfinished).toLowerCase()}`,
  ].filter(Boolean);
  const sendBlocked =
    draft.error !== undefined || draft.conflict
      ? 'the latest changes are not saved yet.'
      : draft.status !== 'saved'
        ? 'saving…'
        : checks.error !== undefined
          ? 'the checks could not run; reload the page to try again.'
          : checks.loading || !checks.data
            ? 'checking…'
            : toFix.length > 0
              ? `${toFix.join(' and ')}.`
              : undefined;
  const allCollapsed = keys.length > 0 && keys.every((key) => collapsed.has(key));

  return (
    <div className="composer-screen">
      <PageHeader title={doc.title || 'Untitled bulletin'} back={back}>
        <button type="button" onClick={undo} disabled={!draft.undoLabel} title="Ctrl+Z outside a text field">
          <span aria-hidden="true">↶</span> Undo
          {draft.undoLabel && <span className="visually-hidden">: {inSentence(draft.undoLabel)}</span>}
        </button>
        <button type="button" onClick={() => setDialog('versions')}>
          Versions
        </button>
        <button type="button" onClick={library.openSaveTemplate}>
          Save as template
        </button>
        <button type="button" onClick={() => setDialog('test')}>
          Send a test…
        </button>
        <button
          type="button"
          className={sent ? undefined : 'button-primary'}
          disabled={sendBlocked !== undefined}
          aria-describedby={reasonId}
          onClick={() => navigate(`${BASE}/bulletins/${bulletin.id}/send`)}
        >
          {sent ? 'Send again…' : 'Send…'}
        </button>
        {sent && (
          <button type="button" className="button-primary" onClick={() => void copy.run()} disabled={copy.busy}>
            Copy as next week’s bulletin
          </button>
        )}
      </PageHeader>
      {copy.error !== undefined && <ErrorNotice error={copy.error} title="The copy was not made." />}
      <WelcomeMailNote bulletinId={bulletin.id} />
      {request && (
        <section className="notice bulletin-request" aria-label="Request to send this bulletin">
          <strong>Asked to send.</strong>{' '}
          {request.state === 'awaiting_approval' &&
            'Saving a change withdraws the request: the approver approves only what they were shown.'}
          <SendList sends={[request]} />
        </section>
      )}
      {sent && (
        <section className="notice bulletin-sent" aria-label="Sends of this bulletin">
          <strong>This bulletin went out.</strong> Changes made now change what a later send mails, not what was sent.
          <SendList sends={sends} />
        </section>
      )}
      <div className="composer-bar">
        <SaveStatus status={draft.status} saved={draft.saved} error={draft.error} onRetry={() => void draft.retry()} />
        <Presence bulletinId={bulletin.id} draft={doc} />
        <p className="send-reason" id={reasonId}>
          {sendBlocked
            ? `To send${sent ? ' again' : ''}: ${sendBlocked}`
            : sent
              ? 'Sent before: sending again asks first.'
              : 'Ready to send.'}
        </p>
      </div>
      {draft.issues.length > 0 && (
        <div className="notice notice-error save-issues">
          <strong>Not saved.</strong> Your changes are kept on this page; they save by themselves once these are fixed:
          <ul>
            {draft.issues.map((issue) => (
              <li key={issue.path + issue.message}>
                <button type="button" className="link-button" onClick={() => jumpTo(issue.path)}>
                  {describePath(doc, issue.path)}
                </button>
                : {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <SaveConflicts conflict={draft.conflict} language={doc.languages[0]!} onResolve={draft.resolve} />
      <div className="composer-announce">
        <p role="status">{notice?.text}</p>
        {notice?.undo && draft.undoLabel && (
          <button type="button" className="button-small" onClick={undo}>
            Undo
          </button>
        )}
      </div>

      <ComposerJumps checks={shownChecks} />

      <div className="composer">
        <div className="composer-main">
          <ComposerFieldsContext.Provider value={{ languages: doc.languages, issues: draft.issues }}>
            <BulletinFields document={doc} onEdit={draft.edit} />
            <section className="blocks-section" id={COMPOSER_SECTIONS.blocks} aria-labelledby={blocksHeadingId}>
              <div className="blocks-heading">
                <h2 id={blocksHeadingId}>Blocks</h2>
                {keys.length > 1 && (
                  <button
                    type="button"
                    className="button-quiet button-small"
                    onClick={() => setCollapsed(allCollapsed ? new Set() : new Set(keys))}
                  >
                    {allCollapsed ? 'Expand all' : 'Collapse all'}
                  </button>
                )}
              </div>
              <BlockList
                blocks={doc.blocks}
                keys={keys}
                languages={doc.languages}
                collapsed={collapsed}
                origins={library.origins}
                actions={actions}
              />
            </section>
            <Palette onAdd={addBlock} onLibrary={library.openInsert} />
          </ComposerFieldsContext.Provider>
        </div>
        <aside className="composer-side" aria-label="Checks and preview">
          <ChecksPanel
            id={COMPOSER_SECTIONS.checks}
            checks={shownChecks}
            unfinished={unfinished}
            error={checks.error}
            loading={checks.loading}
            document={doc}
            version={draft.saved.version}
            onJump={jumpTo}
            onStillCorrect={(finding) => void stillCorrect.run(finding)}
          >
            <ReadyToggles bulletinId={bulletin.id} languages={draft.saved.languages} onChange={recheck} />
            <ErrorNotice error={stillCorrect.error} title="The translation was not marked still correct." />
          </ChecksPanel>
          <PreviewPane
            id={COMPOSER_SECTIONS.preview}
            bulletinId={bulletin.id}
            version={draft.saved.version}
            versionId={draft.saved.versionId}
            languages={draft.saved.languages}
            forSomeReaders={draft.saved.forSomeReaders}
          />
        </aside>
      </div>

      <TestSendDialog
        open={dialog === 'test'}
        onClose={() => setDialog(undefined)}
        bulletinId={bulletin.id}
        languages={draft.saved.languages}
      />
      {library.dialogs}
      <VersionsDialog
        open={dialog === 'versions'}
        onClose={() => setDialog(undefined)}
        bulletinId={bulletin.id}
        currentVersion={draft.saved.version}
        onRestore={(document, version) => {
          draft.replace(document, `Restore version ${version}`);
          setDialog(undefined);
          setNotice({ text: `Version ${version} restored; it is saved as the newest version.`, undo: true });
        }}
      />
    </div>
  );
}

const LEAVE_QUESTION = 'Leave this bulletin? Its latest changes could not be saved and will be lost.';
/** How long leaving waits for the last save before asking. */
const LEAVE_WAIT_MS = 5000;

/** Whether `flush` saves everything within LEAVE_WAIT_MS. */
const savedInTime = (flush: () => Promise<boolean>) =>
  Promise.race([flush(), new Promise<false>((resolve) => setTimeout(resolve, LEAVE_WAIT_MS, false))]);

/** A change's label inside a sentence: "Make Spanish the fallback" → "make Spanish the fallback". */
const inSentence = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

const timeFormat = new Intl.DateTimeFormat('en', { timeStyle: 'short' });

function SaveStatus({
  status,
  saved,
  error,
  onRetry,
}: {
  status: Status;
  saved: Saved;
  error: unknown;
  onRetry(): void;
}) {
  const refused = error instanceof ApiError && error.issues.length > 0;
  let text: string;
  let kind: 'ok' | 'busy' | 'bad';
  if (status === 'conflict') {
    [text, kind] = ['Not saved: saved by someone else meanwhile; choose what to keep', 'bad'];
  } else if (status === 'saving' || (status === 'pending' && error === undefined)) {
    [text, kind] = ['Saving…', 'busy'];
  } else if (error !== undefined) {
    const reason = refused
      ? `${error.issues.length === 1 ? 'a field needs' : `${error.issues.length} fields need`} fixing`
      : errorMessage(error);
    [text, kind] = [`Not saved: ${reason}`, 'bad'];
  } else {
    [text, kind] = [`Saved at ${timeFormat.format(saved.at)}`, 'ok'];
  }
  return (
    <div className={`save-status save-${kind}`}>
      <span role="status">{text}</span>
      {kind === 'ok' && <span className="muted"> · version {saved.version}</span>}
      {kind === 'bad' && !refused && status !== 'conflict' && (
        <button type="button" className="button-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Says so when this bulletin is the welcome mail: a saved change reaches new readers only once an admin sends it. */
function WelcomeMailNote({ bulletinId }: { bulletinId: number }) {
  const welcome = useApi<WelcomeMailStatus>('/api/welcome-mail');
  if (welcome.data?.bulletinId !== bulletinId) return null;
  return (
    <p className="notice">
      <strong>This bulletin is the welcome mail</strong>
      {welcome.data.enabled ? ', which is on. ' : ', which is off. '}
      Saved changes go to people who confirm only once an admin sends this version from{' '}
      <Link to={`${BASE}/settings`}>Settings</Link>.
    </p>
  );
}
