// Reads an upload's one file from a multipart/form-data body as it streams in, never more than
// MAX_UPLOAD_BYTES of it: what is past the limit is read and dropped, so the client hears the
// answer instead of a connection cut under it.
import type { Request } from 'express';
import busboy from 'busboy';
import { AppError } from '../errors.js';
import { MAX_UPLOAD_BYTES } from './image-processing.js';

/** The form field the file comes in. */
export const UPLOAD_FIELD = 'file';

export interface Upload {
  bytes: Buffer;
  /** The name the client gave the file ('' when none), for display only. */
  filename: string;
}

const fileIssue = (message: string) => [{ path: UPLOAD_FIELD, message }];

export function readUpload(req: Request): Promise<Upload> {
  if (!req.is('multipart/form-data')) {
    const sent = req.get('content-type')?.split(';')[0]?.trim().slice(0, 60) || 'none';
    throw new AppError('unsupported_media_type', `Send the image as multipart/form-data, not ${sent}`, [
      { path: 'headers.content-type', message: `must be multipart/form-data, not ${sent}` },
    ]);
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // A file, and a few small fields a form may add: nothing else is kept in memory.
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 10, fieldSize: 1024, parts: 20 },
      });
    } catch {
      // No boundary in the Content-Type.
      throw AppError.invalid([{ path: 'headers.content-type', message: 'must name the multipart boundary' }]);
    }
    let file: Upload | undefined;
    let tooLarge = false;
    parser.on('file', (field, stream, info) => {
      if (field !== UPLOAD_FIELD || file) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.on('end', () => {
        file = { bytes: Buffer.concat(chunks), filename: info.filename ?? '' };
      });
    });
    parser.on('error', () =>
      reject(AppError.invalid([{ path: 'body', message: 'is not a readable multipart/form-data body' }])),
    );
    parser.on('close', () => {
      if (tooLarge) {
        reject(new AppError('payload_too_large', 'The file is larger than 10 MB', fileIssue('must be at most 10 MB')));
      } else if (!file) {
        reject(AppError.invalid(fileIssue('must be an image file; the form sent none')));
      } else if (file.bytes.length === 0) {
        reject(AppError.invalid(fileIssue('is empty')));
      } else resolve(file);
    });
    // A client gone mid-upload: busboy would wait for the rest of the body forever.
    req.on('aborted', () => reject(AppError.invalid([{ path: 'body', message: 'ended before the whole form came' }])));
    req.on('error', reject);
    req.pipe(parser);
  });
}
