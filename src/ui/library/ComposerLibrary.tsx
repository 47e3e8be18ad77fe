// The library from the composer: save a block or the whole bulletin to it, insert a copy of a saved
// block. Where an inserted block came from is kept here, by the block's key, and never in the
// document: the bulletin holds a plain copy that API clients and the mail read as any block.
import { useState } from 'react';
import type { Block, BulletinDocument } from '../../bulletins/document';
import { api } from '../api';
import { blockLabel } from '../bulletins/model';
import { InsertFromLibraryDialog } from './InsertFromLibraryDialog';
import { fittedBlock, originNote, type LibraryBlock, type Template } from './model';
import { NameDialog } from './NameDialog';
import './library.css';

const BLOCK_HINT =
  'A name to find it by, e.g. “Petition call to action”. The library keeps a copy; this bulletin is unchanged.';
const TEMPLATE_HINT =
  'New bulletins can start from it, with its blocks and languages. ' +
  'The template is a copy: later changes here do not change it.';

type Open = { kind: 'insert' } | { kind: 'save-block'; index: number } | { kind: 'save-template' };

export function useComposerLibrary({
  document,
  insertBlock,
  announce,
}: {
  document: BulletinDocument;
  /** Adds the block at the end, as one step of undo with this label, and returns its key. */
  insertBlock(block: Block, label: string): string;
  /** Says what happened: `index` is the block inserted, to show and focus. */
  announce(text: string, index?: number): void;
}) {
  const [open, setOpen] = useState<Open>();
  /** The note on each block inserted from the library, by its key. */
  const [origins, setOrigins] = useState<ReadonlyMap<string, string>>(new Map());
  const close = () => setOpen(undefined);

  const insert = (item: LibraryBlock) => {
    const index = document.blocks.length;
    const key = insertBlock(fittedBlock(item.block, document.languages), 'Insert from the library');
    setOrigins((map) => new Map(map).set(key, originNote(item)));
    close();
    announce(`Block ${index + 1} (${blockLabel(item.block.type)}) inserted from the library: ${item.name}.`, index);
  };
  const saveBlock = async (index: number, name: string) => {
    await api<LibraryBlock>('POST', '/api/blocks', { name, block: document.blocks[index] });
    close();
    announce(`Block ${index + 1} saved to the library as “${name.trim()}”.`);
  };
  const saveTemplate = async (name: string) => {
    await api<Template>('POST', '/api/templates', { name, document });
    close();
    announce(`This bulletin saved as the template “${name.trim()}”.`);
  };

  const savingIndex = open?.kind === 'save-block' ? open.index : undefined;
  const savingBlock = savingIndex === undefined ? undefined : document.blocks[savingIndex];
  const dialogs = (
    <>
      <InsertFromLibraryDialog
        open={open?.kind === 'insert'}
        language={document.languages[0]!}
        onInsert={insert}
        onClose={close}
      />
      <NameDialog
        open={savingBlock !== undefined}
        title={`Save block ${(savingIndex ?? 0) + 1} to the library`}
        name={savingBlock ? blockLabel(savingBlock.type) : ''}
        hint={BLOCK_HINT}
        confirmLabel="Save to library"
        onConfirm={(name) => saveBlock(savingIndex!, name)}
        onClose={close}
      />
      <NameDialog
        open={open?.kind === 'save-template'}
        title="Save this bulletin as a template"
        name={document.title}
        hint={TEMPLATE_HINT}
        confirmLabel="Save template"
        onConfirm={saveTemplate}
        onClose={close}
      />
    </>
  );

  return {
    origins,
    dialogs,
    openInsert: () => setOpen({ kind: 'insert' }),
    openSaveBlock: (index: number) => setOpen({ kind: 'save-block', index }),
    openSaveTemplate: () => setOpen({ kind: 'save-template' }),
  };
}
