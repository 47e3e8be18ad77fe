// The media library in a dialog: each image with its size and who added it, and a button that puts
// its address in the field the dialog was opened from.
import { authorName } from '../library/model';
import { Dialog, ErrorNotice, formatDate, Loading } from '../components';
import { useApi } from '../hooks';
import { BASE, Link } from '../router';
import { formatBytes, formatDimensions, type MediaItem, type MediaList } from './model';

export function MediaPickerDialog({
  open,
  onPick,
  onClose,
}: {
  open: boolean;
  onPick(item: MediaItem): void;
  onClose(): void;
}) {
  return (
    <Dialog open={open} title="Choose from the media library" onClose={onClose}>
      {/* Rendered only while open: each opening lists the images uploaded since. */}
      <MediaChoices onPick={onPick} />
    </Dialog>
  );
}

function MediaChoices({ onPick }: { onPick(item: MediaItem): void }) {
  const media = useApi<MediaList>('/api/media');
  if (media.error) return <ErrorNotice error={media.error} title="The media library could not be loaded." />;
  if (!media.data) return <Loading label="Loading the media library…" />;
  if (media.data.items.length === 0)
    return (
      <p>
        The media library has no images yet. “Upload image…” beside an image field adds one; the{' '}
        <Link to={`${BASE}/media`}>Media</Link> screen lists them.
      </p>
    );
  return (
    <ul className="media-choices">
      {media.data.items.map((item) => (
        <li key={item.id}>
          <img className="media-choice-thumb" src={item.url} alt="" loading="lazy" />
          <div className="media-choice-text">
            <strong>{item.name}</strong>
            <div className="muted small">
              {formatDimensions(item)} · {formatBytes(item.bytes)}
            </div>
            <div className="muted small">
              Added {formatDate(item.createdAt)} by {authorName(item.createdBy)}
            </div>
          </div>
          <button type="button" className="button-small" onClick={() => onPick(item)}>
            Use<span className="visually-hidden"> “{item.name}”</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
