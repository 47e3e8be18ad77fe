// The library: blocks and bulletin templates saved by name, with when and by whom; each can be
// renamed or deleted, and a template starts a bulletin. Blocks are inserted from the composer.
import { roleAtLeast } from '../../db/schema';
import { useStaff } from '../session';
import { useState, type ReactNode } from 'react';
import { blockLabel } from '../bulletins/model';
import { api } from '../api';
import { ConfirmDialog, ErrorNotice, formatDate, formatNumber, languageName, Loading, PageHeader } from '../components';
import { useAction, useApi } from '../hooks';
import { useTitle } from '../router';
import { authorName, librarySummary, type LibraryBlock, type TemplateSummary } from './model';
import { NameDialog } from './NameDialog';
import { startFromTemplate } from './templates';
import './library.css';

type Item = { kind: 'block'; item: LibraryBlock } | { kind: 'template'; item: TemplateSummary };
const PATHS = { block: '/api/blocks', template: '/api/templates' };

export function Library() {
  useTitle('Library');
  const blocks = useApi<{ data: LibraryBlock[] }>('/api/blocks');
  const templates = useApi<{ data: TemplateSummary[] }>('/api/templates');
  const [renaming, setRenaming] = useState<Item>();
  const [deleting, setDeleting] = useState<Item>();
  const start = useAction(startFromTemplate);
  // Writers save and rename; deleting what others may use is an editor's.
  const editor = roleAtLeast(useStaff().role, 'editor');

  const reload = (kind: Item['kind']) => (kind === 'block' ? blocks.reload() : templates.reload());
  const rename = async ({ kind, item }: Item, name: string) => {
    await api('PATCH', `${PATHS[kind]}/${item.id}`, { name });
    setRenaming(undefined);
    reload(kind);
  };
  const remove = async ({ kind, item }: Item) => {
    await api('DELETE', `${PATHS[kind]}/${item.id}`);
    setDeleting(undefined);
    reload(kind);
  };
  const actions = (entry: Item) => {
    const named = <span className="visually-hidden"> “{entry.item.name}”</span>;
    return (
      <>
        <button type="button" className="button-small" onClick={() => setRenaming(entry)}>
          Rename{named}
        </button>
        {editor && (
          <button type="button" className="button-small button-danger" onClick={() => setDeleting(entry)}>
            Delete{named}
          </button>
        )}
      </>
    );
  };

  return (
    <>
      <PageHeader title="Library" />
      <p className="library-intro">
        Blocks and bulletins saved to use again. A bulletin gets a copy of what it takes from here: changing or deleting
        a library item later leaves bulletins as they are.
      </p>

      <section className="library-section" aria-labelledby="library-blocks">
        <h2 id="library-blocks">Blocks</h2>
        <ErrorNotice error={blocks.error} title="The blocks could not be loaded." />
        {!blocks.data && !blocks.error && <Loading label="Loading the blocks…" />}
        {blocks.data?.data.length === 0 && (
          <p className="muted">
            No blocks yet. In a bulletin, “Save to library” on a block keeps it here; “From the library” under Add a
            block inserts it into another bulletin.
          </p>
        )}
        {!!blocks.data?.data.length && (
          <LibraryTable caption="Blocks in the library">
            {blocks.data.data.map((item) => (
              <tr key={item.id}>
                <td>
                  <span className="library-name">{item.name}</span>
                  <div className="small">{blockLabel(item.block.type)}</div>
                  <div className="muted small">{librarySummary(item.block) || 'No text'}</div>
                </td>
                <Saved item={item} />
                <td className="row-actions">{actions({ kind: 'block', item })}</td>
              </tr>
            ))}
          </LibraryTable>
        )}
      </section>

      <section className="library-section" aria-labelledby="library-templates">
        <h2 id="library-templates">Bulletin templates</h2>
        <ErrorNotice error={templates.error} title="The templates could not be loaded." />
        <ErrorNotice error={start.error} title="The bulletin was not started." />
        {!templates.data && !templates.error && <Loading label="Loading the templates…" />}
        {templates.data?.data.length === 0 && (
          <p className="muted">
            No templates yet. “Save as template” on a bulletin keeps its sections here; “New from template” on the
            Bulletins screen starts a bulletin from one.
          </p>
        )}
        {!!templates.data?.data.length && (
          <LibraryTable caption="Bulletin templates">
            {templates.data.data.map((item) => (
              <tr key={item.id}>
                <td>
                  <span className="library-name">{item.name}</span>
                  <div className="small">
                    {formatNumber(item.blocks)} {item.blocks === 1 ? 'block' : 'blocks'} in{' '}
                    {item.languages.map(languageName).join(', ')}
                  </div>
                  <div className="muted small">{item.title}</div>
                </td>
                <Saved item={item} />
                <td className="row-actions">
                  <button
                    type="button"
                    className="button-small button-primary"
                    disabled={start.busy}
                    onClick={() => void start.run(item.id)}
                  >
                    New bulletin<span className="visually-hidden"> from “{item.name}”</span>
                  </button>
                  {actions({ kind: 'template', item })}
                </td>
              </tr>
            ))}
          </LibraryTable>
        )}
      </section>

      <NameDialog
        open={renaming !== undefined}
        title={`Rename “${renaming?.item.name}”`}
        name={renaming?.item.name ?? ''}
        confirmLabel="Rename"
        onConfirm={(name) => rename(renaming!, name)}
        onClose={() => setRenaming(undefined)}
      />
      <ConfirmDialog
        open={deleting !== undefined}
        title={`Delete this ${deleting?.kind === 'template' ? 'template' : 'block'}?`}
        confirmLabel="Delete"
        onConfirm={() => remove(deleting!)}
        onClose={() => setDeleting(undefined)}
      >
        <p>“{deleting?.item.name}” goes from the library for good. Bulletins that took a copy of it keep their copy.</p>
      </ConfirmDialog>
    </>
  );
}

function LibraryTable({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="library-table">
        <caption className="visually-hidden">{caption}, by name</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Saved</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function Saved({ item }: { item: LibraryBlock | TemplateSummary }) {
  return (
    <td>
      {formatDate(item.createdAt)}
      <div className="muted small">by {authorName(item.createdBy)}</div>
      {item.updatedAt !== item.createdAt && <div className="muted small">changed {formatDate(item.updatedAt)}</div>}
    </td>
  );
}
