// The stores images are kept in, held to one behaviour: a folder on disk, and an S3 bucket served
// by s3rver in this process, reached through the real AWS SDK with the client Pregón builds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  createMediaFiles,
  DiskMediaFiles,
  type MediaFiles,
  mediaNames,
  S3MediaFiles,
  s3Client,
} from '../../src/media/media-files.js';

const BUCKET = 'pregon-media';
const PREFIX = 'red/images';
const SECRET = 'x'.repeat(32);

let tmp: string;
let s3rver: S3rver;
let endpoint: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'pregon-media-'));
  s3rver = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: join(tmp, 's3'),
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await s3rver.run();
  endpoint = `http://127.0.0.1:${port}`;
  // What the SDK's credential chain reads on a server; s3rver takes these.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
  vi.stubEnv('AWS_REGION', 'us-east-1');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await s3rver.close();
  rmSync(tmp, { recursive: true, force: true });
});

const BASE_URL = 'https://news.example.org/media';
const stores: [string, () => MediaFiles][] = [
  ['a folder on disk', () => new DiskMediaFiles(join(tmp, 'disk'), BASE_URL)],
  ['an S3 bucket', () => new S3MediaFiles(s3Client(endpoint), BUCKET, PREFIX, BASE_URL)],
];

async function read(files: MediaFiles, name: string) {
  const file = await files.get(name);
  if (!file) return undefined;
  return { bytes: Buffer.concat(await file.body.toArray()), contentType: file.contentType, size: file.size };
}

describe.each(stores)('media files in %s', (_, make) => {
  let files: MediaFiles;
  beforeAll(() => {
    files = make();
  });

  it('gives back what was put, streamed with its type and size, until it is deleted', async () => {
    const bytes = Buffer.from('a JPEG, as far as the store cares');
    const { one, two } = mediaNames(bytes, 'jpg');
    await files.put(one, bytes, 'image/jpeg');
    await files.put(two, Buffer.from('twice as wide'), 'image/jpeg');
    expect(await read(files, one)).toEqual({ bytes, contentType: 'image/jpeg', size: bytes.length });
    expect((await read(files, two))?.bytes.toString()).toBe('twice as wide');
    await files.delete(one);
    expect(await files.get(one)).toBeUndefined();
    expect(await read(files, two)).toBeDefined();
  });

  it('writes a name once: putting it again changes nothing', async () => {
    const { one } = mediaNames(Buffer.from('first'), 'png');
    await files.put(one, Buffer.from('first'), 'image/png');
    await files.put(one, Buffer.from('second, longer'), 'image/png');
    expect(await read(files, one)).toEqual({ bytes: Buffer.from('first'), contentType: 'image/png', size: 5 });
  });

  it('has nothing under a name never put, and deleting it is no error', async () => {
    const { one } = mediaNames(Buffer.from('never stored'), 'gif');
    expect(await files.get(one)).toBeUndefined();
    await expect(files.delete(one)).resolves.toBeUndefined();
  });

  it('addresses a file under its base URL', () => {
    expect(files.url('abc.jpg')).toBe(`${BASE_URL}/abc.jpg`);
  });
});

describe('media files in a folder on disk', () => {
  it('reads nothing outside its folder, whatever name it is asked for', async () => {
    const files = new DiskMediaFiles(join(tmp, 'disk'), BASE_URL);
    for (const name of ['../s3', '../../etc/passwd', '', '.']) expect(await files.get(name), name).toBeUndefined();
  });
});

describe('media files in an S3 bucket', () => {
  it('stores an object under the prefix with its type and a cache header for ever', async () => {
    const files = new S3MediaFiles(s3Client(endpoint), BUCKET, PREFIX, BASE_URL);
    const { one } = mediaNames(Buffer.from('cached'), 'gif');
    await files.put(one, Buffer.from('cached'), 'image/gif');
    const object = await s3Client(endpoint).send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${one}` }));
    expect(object).toMatchObject({
      ContentType: 'image/gif',
      CacheControl: 'public, max-age=31536000, immutable',
      ContentLength: 6,
    });
  });
});

describe('createMediaFiles', () => {
  it('keeps files on disk under DATA_DIR/media, addressed under PUBLIC_URL/media, unless told', async () => {
    const dataDir = join(tmp, 'data');
    const files = createMediaFiles(
      loadConfig({ APP_SECRET: SECRET, DATA_DIR: dataDir, PUBLIC_URL: 'https://news.example.org' }),
    );
    expect(files).toBeInstanceOf(DiskMediaFiles);
    expect(files.url('abc.png')).toBe('https://news.example.org/media/abc.png');
    const { one } = mediaNames(Buffer.from('on disk'), 'png');
    await files.put(one, Buffer.from('on disk'), 'image/png');
    expect((await read(new DiskMediaFiles(join(dataDir, 'media'), BASE_URL), one))?.bytes.toString()).toBe('on disk');
  });

  it('reaches the bucket MEDIA_STORE names at the configured endpoint, addressed under MEDIA_PUBLIC_URL', async () => {
    const config = loadConfig({
      APP_SECRET: SECRET,
      DATA_DIR: join(tmp, 'data'),
      MEDIA_STORE: `s3://${BUCKET}/configured`,
      AWS_ENDPOINT_URL_S3: endpoint,
      MEDIA_PUBLIC_URL: 'https://cdn.example.org/pregon',
    });
    const files = createMediaFiles(config);
    expect(files).toBeInstanceOf(S3MediaFiles);
    expect(files.url('abc.jpg')).toBe('https://cdn.example.org/pregon/abc.jpg');
    const { one } = mediaNames(Buffer.from('in the bucket'), 'jpg');
    await files.put(one, Buffer.from('in the bucket'), 'image/jpeg');
    const object = await s3Client(endpoint).send(new HeadObjectCommand({ Bucket: BUCKET, Key: `configured/${one}` }));
    expect(object.ContentType).toBe('image/jpeg');
  });
});
