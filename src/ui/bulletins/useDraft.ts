// The document being composed: every change goes through here, onto an undo stack, and is saved
// about a second after the last one (the whole document, as a new version). A save the server
// refuses keeps the local document; the next change tries again. flush() saves what is left at
// once, for leaving the composer.
//
// Each save names the version it was made on. When someone else saved in between, the server
// answers 409 with their version: what each side changed is merged by field, and saved again on
// their version; fields both changed wait for a choice (`conflict`, `resolve`), and nothing saves
// until it is made. The local document stays as typed all along.
import { useCallback, useEffect, useRef, useState } from 'react';
import { type Merge, type MergeChoice, mergeDocuments, resolveMerge } from '../../bulletins/merge';
import { api, ApiError } from '../api';
import {
  newBlock,
  type Block,
  type BlockType,
  type Bulletin,
  type BulletinDocument,
  type BulletinVersion,
} from './model';

/** The document and a stable key per block (blocks have no ids; React and drag-and-drop need them). */
export interface Draft {
  document: BulletinDocument;
  keys: string[];
}

export interface Saved {
  version: number;
  versionId: number;
  /** The saved version's languages: the ones it can be previewed in. */
  languages: string[];
  /** The keys of the saved version's blocks, in its order: the block a finding's index names. */
  keys: string[];
  /** Whether the saved version has blocks for some readers (a block's `audience`). */
  forSomeReaders: boolean;
  at: Date;
}

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'failed' | 'conflict';

/** Someone else's save that changed fields this draft changed too: each waits for a choice. */
export interface SaveConflict {
  theirs: BulletinVersion;
  merge: Merge;
}

/** The version a 409 answer names as current, when the save was refused for being made on an older one. */
function newerVersion(error: unknown): BulletinVersion | undefined {
  if (!(error instanceof ApiError) || error.status !== 409 || error.code !== 'conflict') return undefined;
  return (error.body as { error: { current?: BulletinVersion } }).error.current;
}

const SAVE_DELAY_MS = 1000;
const UNDO_LIMIT = 100;

let lastKey = 0;
const newKey = () => `block-key-${++lastKey}`;
const draftOf = (document: BulletinDocument): Draft => ({ document, keys: document.blocks.map(newKey) });
/** What `saved` says of a version saved (ours) or found saved (theirs, on a conflict). */
const savedOf = (
  { document, version, versionId }: Pick<Bulletin, 'document' | 'version' | 'versionId'>,
  keys: string[],
  at: string,
): Saved => ({
  version,
  versionId,
  languages: document.languages,
  keys,
  forSomeReaders: document.blocks.some((block) => block.audience !== undefined),
  at: new Date(at),
});

export function useDraft(bulletin: Bulletin) {
  const path = `/api/bulletins/${bulletin.id}`;
  const [draft, setDraft] = useState(() => draftOf(bulletin.document));
  const [undoStack, setUndoStack] = useState<{ draft: Draft; label: string }[]>([]);
  const [saved, setSaved] = useState<Saved>(() => savedOf(bulletin, draft.keys, bulletin.updatedAt));
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [error, setError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);
  const [conflict, setConflict] = useState<SaveConflict>();

  // Saving reads the latest draft from refs: changes arrive while a save is on its way.
  const current = useRef(draft);
  const changes = useRef(0);
  const savedChanges = useRef(0);
  /** The save on its way, if one is. */
  const saving = useRef<Promise<void>>(undefined);
  /** A save was asked for while one was on its way: it runs when that one is back. */
  const queued = useRef(false);
  /** The field typed in last: a run of keystrokes in one field is one step of undo. */
  const lastField = useRef<string | undefined>(undefined);
  /** The server's document of the version the draft is made on: what a merge takes as the common ground. */
  const base = useRef({ document: bulletin.document, version: bulletin.version });
  /** A conflict waiting for a choice: saving waits with it. */
  const waiting = useRef<SaveConflict>(undefined);

  const apply = useCallback((next: Draft) => {
    current.current = next;
    changes.current += 1;
    setDraft(next);
    setStatus(waiting.current ? 'conflict' : 'pending');
    setGeneration(changes.current);
  }, []);

  const commit = useCallback(
    (next: Draft, label: string, field?: string) => {
      if (!field || field !== lastField.current) {
        const previous = current.current;
        setUndoStack((stack) => [...stack.slice(1 - UNDO_LIMIT), { draft: previous, label }]);
      }
      lastField.current = field;
      apply(next);
    },
    [apply],
  );

  /**
   * Takes `merged` (the draft merged with `theirs`) as the draft, made on their version: what
   * saves next saves on top of it. Blocks keep their keys; those only they added get new ones.
   */
  const adopt = useCallback(
    (theirs: BulletinVersion, merged: Omit<Merge, 'conflicts'>) => {
      const theirKeys = theirs.document.blocks.map(() => '');
      const keys = merged.blocks.map((from) => {
        const key = from.mine === undefined ? newKey() : current.current.keys[from.mine]!;
        if (from.theirs !== undefined) theirKeys[from.theirs] = key;
        return key;
      });
      base.current = { document: theirs.document, version: theirs.version };
      setSaved(
        savedOf(
          theirs,
          theirKeys.map((key) => key || newKey()),
          theirs.createdAt,
        ),
      );
      setError(undefined);
      lastField.current = undefined;
      apply({ document: merged.document, keys });
    },
    [apply],
  );

  /** A save refused because `theirs` was saved since: merge, and save again or wait for a choice. */
  const mergeWith = useCallback(
    (theirs: BulletinVersion) => {
      const merge = mergeDocuments(base.current.document, current.current.document, theirs.document);
      if (merge.conflicts.length === 0) {
        adopt(theirs, merge);
        queued.current = true;
        return;
      }
      waiting.current = { theirs, merge };
      setConflict(waiting.current);
      setStatus('conflict');
    },
    [adopt],
  );

  /** Saves the latest draft; resolves once it and any save asked for meanwhile are back. */
  const save = useCallback((): Promise<void> => {
    if (saving.current) {
      queued.current = true;
      return saving.current;
    }
    if (changes.current === savedChanges.current || waiting.current) return Promise.resolve();
    const upTo = changes.current;
    const sent = current.current;
    setStatus('saving');
    const run = (async () => {
      try {
        const answer = await api<Bulletin>('PUT', path, sent.document, {
          headers: { 'If-Match': `"${base.current.version}"` },
        });
        base.current = { document: answer.document, version: answer.version };
        savedChanges.current = upTo;
        setSaved(savedOf(answer, sent.keys, answer.updatedAt));
        setError(undefined);
        setStatus(upTo === changes.current ? 'saved' : 'pending');
      } catch (e) {
        const theirs = newerVersion(e);
        if (theirs) mergeWith(theirs);
        else {
          setError(e);
          setStatus('failed');
        }
      } finally {
        saving.current = undefined;
      }
      if (queued.current) {
        queued.current = false;
        await save();
      }
    })();
    saving.current = run;
    return run;
  }, [path, mergeWith]);

  /** Settles the conflict with a side chosen per field (by the conflict's id), and saves. */
  const resolve = useCallback(
    (choices: Readonly<Record<string, MergeChoice>>) => {
      const pending = waiting.current;
      if (!pending) return;
      // Merged again with the draft as it is now: it may have changed while the choice was open.
      const merge = mergeDocuments(base.current.document, current.current.document, pending.theirs.document);
      waiting.current = undefined;
      setConflict(undefined);
      adopt(pending.theirs, resolveMerge(merge, choices));
      void save();
    },
    [adopt, save],
  );

  /** Saves what is left now, after the save on its way; resolves to whether everything is saved. */
  const flush = useCallback(async (): Promise<boolean> => {
    await save();
    return changes.current === savedChanges.current;
  }, [save]);

  useEffect(() => {
    if (generation === 0) return;
    const timer = setTimeout(() => void save(), SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [generation, save]);

  // However the composer goes away (signing out, say), what is left is sent; the leave guard
  // (useLeaveGuard) is what waits for it and asks.
  useEffect(
    () => () => {
      if (changes.current !== savedChanges.current) void save();
    },
    [save],
  );

  /** Changes the document's content (not which blocks it has); `field` groups keystrokes into one undo step. */
  const edit = useCallback(
    (change: (document: BulletinDocument) => BulletinDocument, label: string, field?: string) => {
      commit({ ...current.current, document: change(current.current.document) }, label, field);
    },
    [commit],
  );

  const editBlock = useCallback(
    (index: number, block: Block, field?: string) => {
      const { document, keys } = current.current;
      commit(
        { keys, document: { ...document, blocks: document.blocks.with(index, block) } },
        `Edit block ${index + 1}`,
        field,
      );
    },
    [commit],
  );

  const changeBlocks = useCallback(
    (label: string, change: (entries: { block: Block; key: string }[]) => { block: Block; key: string }[]) => {
      const { document, keys } = current.current;
      const entries = change(document.blocks.map((block, i) => ({ block, key: keys[i]! })));
      commit(
        { document: { ...document, blocks: entries.map((e) => e.block) }, keys: entries.map((e) => e.key) },
        label,
      );
    },
    [commit],
  );

  /** Adds `block` at the end; returns its key. */
  const insertBlock = useCallback(
    (block: Block, label = 'Add block'): string => {
      const key = newKey();
      changeBlocks(label, (entries) => [...entries, { block, key }]);
      return key;
    },
    [changeBlocks],
  );

  const addBlock = useCallback(
    (type: BlockType): string => insertBlock(newBlock(type, current.current.document.languages)),
    [insertBlock],
  );

  const duplicateBlock = useCallback(
    (index: number): string => {
      const key = newKey();
      changeBlocks('Duplicate block', (entries) =>
        entries.toSpliced(index + 1, 0, { block: structuredClone(entries[index]!.block), key }),
      );
      return key;
    },
    [changeBlocks],
  );

  const removeBlock = useCallback(
    (index: number) => changeBlocks('Remove block', (entries) => entries.toSpliced(index, 1)),
    [changeBlocks],
  );

  const moveBlock = useCallback(
    (from: number, to: number) => {
      if (from === to || to < 0 || to >= current.current.keys.length) return;
      changeBlocks('Move block', (entries) => entries.toSpliced(from, 1).toSpliced(to, 0, entries[from]!));
    },
    [changeBlocks],
  );

  /** Puts another whole document in place (an earlier version) and saves it straight away. */
  const replace = useCallback(
    (document: BulletinDocument, label: string) => {
      commit(draftOf(document), label);
      void save();
    },
    [commit, save],
  );

  const undo = useCallback((): string | undefined => {
    const last = undoStack.at(-1);
    if (!last) return undefined;
    setUndoStack((stack) => stack.slice(0, -1));
    lastField.current = undefined;
    apply(last.draft);
    return last.label;
  }, [undoStack, apply]);

  return {
    draft,
    saved,
    status,
    /** Why the last save failed; cleared by the next one that succeeds. */
    error,
    /** Fields someone else changed too since the draft's version, waiting for a choice; nothing saves meanwhile. */
    conflict,
    resolve,
    issues: error instanceof ApiError ? error.issues : [],
    /** Changes not saved yet: waiting, on their way, refused or failed. */
    unsaved: status !== 'saved',
    flush,
    retry: save,
    edit,
    editBlock,
    addBlock,
    insertBlock,
    duplicateBlock,
    removeBlock,
    moveBlock,
    replace,
    undo,
    /** What undo would take back, e.g. "Remove block". */
    undoLabel: undoStack.at(-1)?.label,
  };
}
