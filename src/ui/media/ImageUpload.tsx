// An image's address field that also takes the image itself: dropped on it, pasted into it, picked
// from the computer or from the media library. The upload goes to the media library and the field
// gets the address the library serves it at.
import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { ApiError, errorMessage } from '../api';
import { ServerText } from '../components';
import { carriesFiles, droppedFile, formatDimensions, uploadImage, type MediaItem } from './model';
import { MediaPickerDialog } from './MediaPickerDialog';
import './media.css';

export function ImageUpload({
  name,
  address,
  width,
  onChosen,
  children,
}: {
  /** The field's name as words ("Image URL (Spanish)"), which the buttons' accessible names end with. */
  name: string;
  /** The address in the field now: its image is shown small beside the buttons, to see which it is. */
  address: string;
  /** The width the image is shown at, in CSS pixels: what the library resizes it for. */
  width: number;
  /** An image uploaded or chosen from the library. */
  onChosen(item: MediaItem): void;
  /** The address field itself. */
  children: ReactNode;
}) {
  const uploader = useImageUploader(width, onChosen);
  const [picking, setPicking] = useState(false);
  const forName = <span className="visually-hidden"> for {name}</span>;
  return (
    <div
      className={uploader.dragging ? 'image-upload image-upload-dragging' : 'image-upload'}
      {...uploader.dropTarget}
      onPaste={uploader.onPaste}
    >
      {children}
      <div className="image-upload-actions">
        {/^https?:\/\/[^/\s]+\/\S/i.test(address.trim()) && (
          // Decorative: the field says which image it is; an address that does not load shows nothing.
          <img
            className="image-upload-thumb"
            src={address.trim()}
            alt=""
            onError={(event) => {
              event.currentTarget.hidden = true;
            }}
            onLoad={(event) => {
              event.currentTarget.hidden = false;
            }}
          />
        )}
        <UploadButton uploader={uploader}>Upload image…{forName}</UploadButton>
        <button type="button" className="button-small" onClick={() => setPicking(true)}>
          Choose from library{forName}
        </button>
        <UploadStatus uploader={uploader} />
      </div>
      <UploadError uploader={uploader} />
      <MediaPickerDialog
        open={picking}
        onPick={(item) => {
          setPicking(false);
          onChosen(item);
        }}
        onClose={() => setPicking(false)}
      />
    </div>
  );
}

export interface ImageUploader {
  /** Sends `file` to the library; what it answers goes to `onUploaded`, a refusal to `error`. */
  start(file: File): Promise<void>;
  /** The share sent so far while an upload is under way. */
  progress: number | undefined;
  /** What the last upload did, in words (read out by the status). */
  done: string | undefined;
  error: { file: string; message: string } | undefined;
  /** A file is being dragged over the target. */
  dragging: boolean;
  /** The drop handlers for the element that takes a file. */
  dropTarget: {
    onDragOver(event: DragEvent): void;
    onDragLeave(event: DragEvent): void;
    onDrop(event: DragEvent): void;
  };
  /** Uploads a pasted picture; a pasted text (an address) goes into its field as usual. */
  onPaste(event: Pick<ClipboardEvent, 'clipboardData' | 'preventDefault'>): void;
}

/** Uploads to the media library, from a drop on `dropTarget`, a paste or `start`. */
export function useImageUploader(width: number, onUploaded: (item: MediaItem) => void): ImageUploader {
  const [progress, setProgress] = useState<number>();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<ImageUploader['error']>();
  const [dragging, setDragging] = useState(false);

  const start = async (file: File) => {
    setError(undefined);
    setDone(undefined);
    setProgress(0);
    try {
      const item = await uploadImage(file, width, setProgress);
      setDone(`Uploaded “${item.name}”, ${formatDimensions(item)}.`);
      onUploaded(item);
    } catch (e) {
      // The server names the reason on the field `file` (not an image, a PDF, too large…).
      const message = e instanceof ApiError ? (e.issueFor('file') ?? e.message) : errorMessage(e);
      setError({ file: file.name || 'The pasted image', message });
    } finally {
      setProgress(undefined);
    }
  };

  const dropTarget: ImageUploader['dropTarget'] = {
    onDragOver(event) {
      if (!carriesFiles(event.dataTransfer)) return;
      // Taking the drop here: otherwise the browser would open the file in place of the app.
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      setDragging(true);
    },
    onDragLeave(event) {
      if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
    },
    onDrop(event) {
      const file = droppedFile(event.dataTransfer);
      setDragging(false);
      if (!file) return;
      event.preventDefault();
      void start(file);
    },
  };
  const onPaste: ImageUploader['onPaste'] = (event) => {
    const file = droppedFile(event.clipboardData);
    if (!file) return;
    event.preventDefault();
    void start(file);
  };
  return { start, progress, done, error, dragging, dropTarget, onPaste };
}

/** A button that opens the computer's file picker, for images only; disabled while an upload runs. */
export function UploadButton({
  uploader,
  className = 'button-small',
  children,
}: {
  uploader: ImageUploader;
  className?: string;
  children: ReactNode;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={uploader.progress !== undefined}
        onClick={() => input.current?.click()}
      >
        {children}
      </button>
      <input
        ref={input}
        type="file"
        accept="image/*"
        hidden
        onChange={(event) => {
          const file = event.target.files?.[0];
          // Emptied, so picking the same file again is a change too.
          event.target.value = '';
          if (file) void uploader.start(file);
        }}
      />
    </>
  );
}

export function UploadStatus({ uploader }: { uploader: ImageUploader }) {
  const { progress, done } = uploader;
  return (
    <span className="image-upload-status" role="status">
      {progress !== undefined ? `Uploading… ${Math.round(progress * 100)}%` : done}
    </span>
  );
}

export function UploadError({ uploader }: { uploader: ImageUploader }) {
  if (!uploader.error) return null;
  return (
    <p className="field-error" role="alert">
      {uploader.error.file} was not uploaded: <ServerText text={uploader.error.message} />
    </p>
  );
}
