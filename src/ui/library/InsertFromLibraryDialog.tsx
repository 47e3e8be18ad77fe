// The blocks saved in the library, each with a button that inserts a copy of it into the bulletin.
import { blockLabel } from '../bulletins/model';
import { Dialog, ErrorNotice, Loading } from '../components';
import { useApi } from '../hooks';
import { BASE, Link } from '../router';
import { authorName, librarySummary, type LibraryBlock } from './model';

export function InsertFromLibraryDialog({
  open,
  language,
  onInsert,
  onClose,
}: {
  open: boolean;
  /** The bulletin's first language, the one a block's summary is shown in. */
  language: string;
  onInsert(item: LibraryBlock): void;
  onClose(): void;
}) {
  return (
    <Dialog open={open} title="Insert from the library" onClose={onClose}>
      {/* Rendered only while open: each opening lists the blocks saved since. */}
      <LibraryBlocks language={language} onInsert={onInsert} />
    </Dialog>
  );
}

function LibraryBlocks({ language, onInsert }: { language: string; onInsert(item: LibraryBlock): void }) {
  const blocks = useApi<{ data: LibraryBlock[] }>('/api/blocks');
  if (blocks.error) return <ErrorNotice error={blocks.error} title="The library could not be loaded." />;
  if (!blocks.data) return <Loading label="Loading the library…" />;
  if (blocks.data.data.length === 0)
    return (
      <p>
        The library has no blocks yet. Save one with “Save to library” on any block; the{' '}
        <Link to={`${BASE}/library`}>Library</Link> lists what is saved.
      </p>
    );
  return (
    <>
      <p className="muted">The bulletin gets a copy: changing the library block later does not change it.</p>
      <ul className="library-choices">
        {blocks.data.data.map((item) => (
          <li key={item.id}>
            <div>
              <strong>{item.name}</strong> <span className="muted">· {blockLabel(item.block.type)}</span>
              <div className="muted small">
                {librarySummary(item.block, language) || 'No text yet'} · saved by {authorName(item.createdBy)}
              </div>
            </div>
            <button type="button" className="button-small" onClick={() => onInsert(item)}>
              Insert<span className="visually-hidden"> “{item.name}”</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
