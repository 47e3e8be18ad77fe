// Where processed images live: a folder on this machine by default, or an S3-compatible store when
// Pregón runs on several machines. Names are content hashes, so a file is written once and never
// changes: whoever serves it may cache it forever.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { MediaStoreConfig } from '../config.js';
import { MEDIA_NAME } from './media-names.js';

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
    // The name comes from a reader's address: nothing outside the folder is ever read.
    if (!MEDIA_NAME.test(name)) return undefined;
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

/**
 * A bucket of an S3-compatible store (Amazon S3, MinIO, R2…), under `prefix`, for Pregón on several
 * machines. Credentials come from the AWS SDK's usual chain (environment, profile, instance role).
 */
export class S3MediaFiles implements MediaFiles {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly baseUrl: string,
  ) {}

  async put(name: string, bytes: Buffer, contentType: string): Promise<void> {
    // Asked first rather than sent with If-None-Match, which not every S3-compatible store knows.
    // Two uploads racing both write the same bytes under the same name: no harm.
    const exists = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(name) })).then(
      () => true,
      (err: unknown) => {
        if (err instanceof NotFound) return false;
        throw err;
      },
    );
    if (exists) return;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(name),
        Body: bytes,
        ContentType: contentType,
        // Served straight from the bucket (or a CDN before it), a name's content never changes.
        CacheControl: 'public, max-age=31536000, immutable',
      }),
    );
  }

  async get(name: string): Promise<MediaFile | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(name) }));
      return {
        body: object.Body as Readable,
        contentType: object.ContentType ?? 'application/octet-stream',
        size: object.ContentLength ?? 0,
      };
    } catch (err) {
      if (err instanceof NoSuchKey) return undefined;
      throw err;
    }
  }

  async delete(name: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(name) }));
  }

  url(name: string): string {
    return `${this.baseUrl}/${name}`;
  }

  private key(name: string): string {
    return this.prefix ? `${this.prefix}/${name}` : name;
  }
}

/**
 * The S3 client for the media store. `endpoint` (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL) points it
 * at an S3-compatible store, which addresses buckets by path rather than by host name.
 */
export function s3Client(endpoint: string | undefined): S3Client {
  return new S3Client({
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    // Checksums only where S3 requires them: several S3-compatible stores refuse the SDK's default ones.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** The store MEDIA_STORE names; files are addressed under MEDIA_PUBLIC_URL. */
export function createMediaFiles(config: { mediaStore: MediaStoreConfig; mediaPublicUrl: string }): MediaFiles {
  const store = config.mediaStore;
  return store.kind === 'disk'
    ? new DiskMediaFiles(store.dir, config.mediaPublicUrl)
    : new S3MediaFiles(s3Client(store.endpoint), store.bucket, store.prefix, config.mediaPublicUrl);
}

/**
 * The names of an image's two files: the hash of the one shown at its width, and the same with
 * `-2x` for twice that, so that a renderer given the first address knows the second.
 */
export function mediaNames(one: Buffer, ext: string): { one: string; two: string } {
  const hash = createHash('sha256').update(one).digest('hex');
  return { one: `${hash}.${ext}`, two: `${hash}-2x.${ext}` };
}
