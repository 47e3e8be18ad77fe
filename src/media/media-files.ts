// Where processed images live: a folder on this machine by default, or an S3-compatible store when
// Pregón runs on several machines. Names are content hashes, so a file is written once and never
// changes: whoever serves it may cache it forever.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** A stored file, ready to stream to a reader. */
export interface MediaFile {
  body: Readable;
  contentType: string;
  size: number;
}

export interface MediaFiles {
  /** Writes `name`; writing a name that exists already changes nothing (same name, same content). */
  put(name: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The file, or undefined when there is none by that name. */
  get(name: string): Promise<MediaFile | undefined>;
  /** Removes `name`; a name that does not exist is not an error. */
  delete(name: string): Promise<void>;
  /** The address readers' mail clients fetch `name` from. */
  url(name: string): string;
}

const CONTENT_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', gif: 'image/gif' };

/** `DATA_DIR/media`, served by Pregón itself at `baseUrl` (`PUBLIC_URL/media`). */
export class DiskMediaFiles implements MediaFiles {
  constructor(
    private readonly dir: string,
    private readonly baseUrl: string,
  ) {}

  async put(name: string, bytes: Buffer): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, name), bytes, { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }

  async get(name: string): Promise<MediaFile | undefined> {
    const path = join(this.dir, name);
    const size = await stat(path).then(
      (s) => s.size,
      () => undefined,
    );
    if (size === undefined) return undefined;
    const ext = name.slice(name.lastIndexOf('.') + 1);
    return { body: createReadStream(path), contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream', size };
  }

  async delete(name: string): Promise<void> {
    await rm(join(this.dir, name), { force: true });
  }

  url(name: string): string {
    return `${this.baseUrl}/${name}`;
  }
}

/** A name the files of a media store may have: `<sha256>.<ext>` or its sharp-screen twin `<sha256>-2x.<ext>`. */
export const MEDIA_NAME = /^[0-9a-f]{64}(-2x)?\.(jpg|png|gif)$/;

/**
 * The names of an image's two files: the hash of the one shown at its width, and the same with
 * `-2x` for twice that, so that a renderer given the first address knows the second.
 */
export function mediaNames(one: Buffer, ext: string): { one: string; two: string } {
  const hash = createHash('sha256').update(one).digest('hex');
  return { one: `${hash}.${ext}`, two: `${hash}-2x.${ext}` };
}
