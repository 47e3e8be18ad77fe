// The media library: every uploaded image with its size, who added it and where it is used, an
// upload (button, drop or paste anywhere on the screen), and delete for editors.
import { useEffect, useRef, useState } from 'react';
import { roleAtLeast } from '../../db/schema';
import { api } from '../api';
import { ConfirmDialog, ErrorNotice, formatDate, Loading, PageHeader } from '../components';
import { useApi } from '../hooks';
import { authorName } from '../library/model';
import { BASE, Link, useTitle } from '../router';
import { useStaff } from '../session';
import { UploadButton, UploadError, UploadStatus, useImageUploader, type ImageUploader } from './ImageUpload';
import { FULL_WIDTH } from '../../media/shown-widths';
import { formatBytes, formatDimensions, type MediaItem, type MediaList } from './model';
import './media.css';

export function MediaLibrary() {
  useTitle('Media library');
  const media = useApi<MediaList>('/api/media');
  const uploader = useImageUploader(FULL_WIDTH, () => media.reload());
  usePasteOnScreen(uploader);
  const [deleting, setDeleting] = useState<MediaItem>();
  // Anyone composing uploads; deleting what others may use is an editor's, as in the block library.
  const editor = roleAtLeast(useStaff().role, 'editor');

  const remove = async (item: MediaItem) => {
    await api('DELETE', `/api/media/${item.id}`);
    setDeleting(undefined);
    media.reload();
  };

  return (
    <div className={uploader.dragging ? 'media-screen image-upload-dragging' : 'media-screen'} {...uploader.dropTarget}>
      <PageHeader title="Media library">
        <UploadButton uploader={uploader} className="button-primary">
          Upload image…
        </UploadButton>
      </PageHeader>
      <p className="media-intro">
        The images of bulletins and the logo, resized for the mail (and at twice the size for sharp screens). Drop an
        image on this screen or paste one to add it; an image field of a bulletin takes one the same way, or chooses it
        from here.
      </p>
      <div className="media-upload-notes">
        <UploadStatus uploader={uploader} />
        <UploadError uploader={uploader} />
      </div>
      <ErrorNotice error={media.error} title="The media library could not be loaded." />
      {!media.data && !media.error && <Loading label="Loading the media library…" />}
      {media.data?.items.length === 0 && (
        <p className="media-empty">
          No images yet. Upload one here, or with “Upload image…” beside an image field in a bulletin or the logo in
          Settings: it is kept here to use again with “Choose from library”.
        </p>
      )}
      {!!media.data?.items.length && (
        <ul className="media-grid" aria-label="Images, newest first">
          {media.data.items.map((item) => (
            <li key={item.id} className="media-card">
              <div className="media-thumb">
                <img src={item.url} alt={item.name} loading="lazy" />
              </div>
              <div className="media-card-body">
                <h2 className="media-name">{item.name}</h2>
                <p className="small">
                  {formatDimensions(item)} · {formatBytes(item.bytes)}
                  <span className="muted"> ({formatBytes(item.bytes2x)} for sharp screens)</span>
                </p>
                <p className="muted small">
                  Added {formatDate(item.createdAt)} by {authorName(item.createdBy)}
                </p>
                <Uses item={item} />
                {editor && (
                  <button
                    type="button"
                    className="button-small button-danger media-delete"
                    onClick={() => setDeleting(item)}
                  >
                    Delete<span className="visually-hidden"> “{item.name}”</span>
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={deleting !== undefined}
        title={`Delete “${deleting?.name}”?`}
        confirmLabel="Delete"
        busyLabel="Deleting…"
        onConfirm={() => remove(deleting!)}
        onClose={() => setDeleting(undefined)}
      >
        <p>
          It goes from the media library and its address stops working. An image a bulletin or the logo shows is not
          deleted: take it out of the bulletin, or change the logo, first.
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** Where the image is shown: the bulletins (linked to their composer) and the logo. */
function Uses({ item }: { item: MediaItem }) {
  if (!item.usedBy.length && !item.usedAsLogo) return <p className="muted small">Not used yet</p>;
  return (
    <div className="small">
      Used in:
      <ul className="media-uses">
        {item.usedBy.map((use) => (
          <li key={use.bulletinId}>
            <Link to={`${BASE}/bulletins/${use.bulletinId}`}>{use.title || 'Untitled bulletin'}</Link>
            {use.sent && <span className="muted"> (sent)</span>}
          </li>
        ))}
        {item.usedAsLogo && <li>the logo</li>}
      </ul>
    </div>
  );
}

/**
 * A picture pasted anywhere on the screen is uploaded (a text pasted into a field is not a picture
 * and is left alone): nothing needs the focus first, as a drop does not.
 */
function usePasteOnScreen(uploader: ImageUploader): void {
  const latest = useRef(uploader.onPaste);
  latest.current = uploader.onPaste;
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => latest.current(event);
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, []);
}
