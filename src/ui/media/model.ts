// The media library as the staff app sees it: an upload (multipart, with its progress), and how an
// image's size is told.
import type { MediaItem, MediaList } from '../../media/schemas';
import { upload } from '../api';

export type { MediaItem, MediaList };

/**
 * Sends `file` to the media library, to be shown `width` CSS pixels wide. The server decides what
 * the file is from its bytes (its name and type are only for people), and answers the new item,
 * or the one already in the library with the same picture.
 */
export function uploadImage(file: File, width: number, onProgress: (fraction: number) => void): Promise<MediaItem> {
  const form = new FormData();
  form.append('file', file);
  return upload<MediaItem>(`/api/media?width=${width}`, form, undefined, onProgress);
}

/**
 * The file a drop or a paste carries, if it carries one; an image or not, the server says (a PDF
 * dropped by mistake gets its reason back rather than nothing happening).
 */
export function droppedFile(data: DataTransfer | null): File | undefined {
  return data?.files[0];
}

/** Whether a drag carries files (and not a text or a link being dragged around the page). */
export const carriesFiles = (data: DataTransfer | null) => data?.types.includes('Files') ?? false;

/** "48 kB", "1.2 MB": sizes as people read them (1 kB = 1,000 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1_000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1_000)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** "600 × 400 px" */
export const formatDimensions = (item: Pick<MediaItem, 'width' | 'height'>) => `${item.width} × ${item.height} px`;
