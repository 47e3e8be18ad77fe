// A media library of a test's own: a folder under the system's temporary one, made at the first
// upload (so a test that uploads nothing leaves nothing), served at the test's PUBLIC_URL/media.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskMediaFiles } from '../../src/media/media-files.js';

export function testMediaDir(): string {
  return join(tmpdir(), `pregon-media-${randomUUID()}`);
}

export function testMediaFiles(publicUrl = 'https://news.example.org', dir = testMediaDir()): DiskMediaFiles {
  return new DiskMediaFiles(dir, `${publicUrl}/media`);
}
