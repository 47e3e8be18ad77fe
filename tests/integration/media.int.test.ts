// The media library over the real routes: real sharp, a real folder, the worker sending through the
// SES emulator. An upload is kept once, served with headers that let anyone cache it and nobody
// run it; bad files are refused naming why with nothing stored; an image a sent bulletin shows
// stays, in the mail and in the archive.
import { readdir } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../src/bulletins/document.js';
import { migrateUpTo } from '../../src/db/migrate.js';
import type { MediaItem, MediaList } from '../../src/media/schemas.js';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { startTestApp, TEST_PUBLIC_URL, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, databaseKinds } from '../helpers/databases.js';
import { migrateUpToOn } from '../helpers/migrations.js';
import { databaseSnapshot } from '../helpers/snapshot.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SEND_TIMEOUT = 120_000;

/** A photograph-like JPEG: noise over a gradient, so it compresses as a photo does. */
async function photo(width: number, height: number, seed = 1): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed;
  for (let i = 0; i < pixels.length; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = ((i / 3) % width) * (200 / width) + (state % 56);
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** The first bytes of a PNG that says it is `width`×`height`: its signature and IHDR, no pixels. */
function pngHeader(width: number, height: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([8, 2, 0, 0, 0], 8);
  const type = Buffer.from('IHDR');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, data])));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(13);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), length, type, data, crc]);
}

describe.each(databaseKinds())('the media library on %s', (kind) => {
  let ses: SesEmulator;
  let app: TestApp;
  let jpeg: Buffer;
  let png: Buffer;

  const upload = (bytes: Buffer, filename = 'photo.jpg', type = 'image/jpeg', query = '') => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
    return app.request('POST', `/api/media${query}`, { body: form as unknown as string });
  };
  const files = async () => (await readdir(app.mediaDir).catch(() => [] as string[])).sort();
  const list = async () => ((await (await app.request('GET', '/api/media')).json()) as MediaList).items;
  const served = (url: string, method = 'GET') => fetch(url.replace(TEST_PUBLIC_URL, app.baseUrl), { method });
  const errorOf = async (res: Response) => (await res.json()) as { error: { message: string; issues?: unknown[] } };
  /** Sends the bulletin to `readers` new subscribers, published in the archive: the campaign, the last mail's HTML. */
  const sendPublished = async (bulletinId: number, readers: number) => {
    await importAudience(app, readers);
    await app.request('PATCH', '/api/topics/weekly-bulletin', { json: { public: true } });
    const sent = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
      json: { resend: true, rule: { emailDomain: 'example.org' }, archive: true },
    });
    expect(sent.status).toBe(201);
    const campaign = await sent.json();
    await waitForCampaign(app, campaign.id, ['sent']);
    const mails = ((await (await fetch(`${ses.url}/store`)).json()) as { emails: { body: { html: string } }[] }).emails;
    return { campaign, html: mails.at(-1)!.body.html };
  };

  beforeAll(async () => {
    ses = await startSesEmulator(0);
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true });
    [jpeg, png] = await Promise.all([
      photo(1600, 1000),
      sharp({ create: { width: 800, height: 600, channels: 4, background: '#336699' } })
        .png()
        .toBuffer(),
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await ses?.close();
  });

  it('keeps an uploaded JPEG at its width and twice that, served to anyone to cache and to no one to run', async () => {
    const res = await upload(jpeg, 'Vigil at the border.jpg', 'image/jpeg', '?width=300');
    expect(res.status).toBe(201);
    const item = (await res.json()) as MediaItem;
    expect(item).toMatchObject({ type: 'jpeg', width: 300, height: 188, name: 'Vigil at the border.jpg' });
    expect(item.createdBy).toEqual({ kind: 'token', name: 'admin' });
    expect(item.url).toMatch(new RegExp(`^${TEST_PUBLIC_URL}/media/[0-9a-f]{64}\\.jpg$`));
    expect(item.url2x).toBe(item.url.replace('.jpg', '-2x.jpg'));

    for (const [url, width, bytes] of [
      [item.url, 300, item.bytes],
      [item.url2x, 600, item.bytes2x],
    ] as const) {
      const got = await served(url);
      expect(got.status).toBe(200);
      expect(Object.fromEntries(got.headers)).toMatchObject({
        'content-type': 'image/jpeg',
        'content-length': String(bytes),
        'cache-control': IMMUTABLE,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'cross-origin-resource-policy': 'cross-origin',
      });
      const body = Buffer.from(await got.arrayBuffer());
      expect((await sharp(body).metadata()).width).toBe(width);
      const head = await served(url, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(bytes));
      expect(head.headers.get('cache-control')).toBe(IMMUTABLE);
    }

    const audit = await (await app.request('GET', '/api/audit?action=media_uploaded')).json();
    expect(audit.data[0]).toMatchObject({ action: 'media_uploaded', target: { type: 'media', id: item.id } });
  });

  it('answers the same image uploaded again with the one it has: same id, no file twice', async () => {
    const first = (await (await upload(jpeg, 'a.jpg')).json()) as MediaItem;
    const before = await files();
    const again = await upload(jpeg, 'another name.jpg');
    expect(again.status).toBe(200);
    expect(((await again.json()) as MediaItem).id).toBe(first.id);
    expect(await files()).toEqual(before);
    expect((await list()).filter((i) => i.url === first.url)).toHaveLength(1);
  });

  it('reads the type from the bytes: a PNG sent as x.jpg of type image/jpeg is kept as a PNG', async () => {
    const res = await upload(png, 'x.jpg', 'image/jpeg');
    expect(res.status).toBe(201);
    const item = (await res.json()) as MediaItem;
    expect(item.type).toBe('png');
    expect(item.url).toMatch(/\.png$/);
    const got = await served(item.url);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await got.arrayBuffer())).metadata()).format).toBe('png');
  });

  it('serves only the names the library gives', async () => {
    for (const path of [
      '/media/..%2F..%2Fetc%2Fpasswd',
      `/media/${'a'.repeat(64)}.svg`,
      `/media/${'A'.repeat(64)}.jpg`,
      `/media/${'0'.repeat(64)}.jpg`,
    ]) {
      expect((await fetch(`${app.baseUrl}${path}`)).status, path).toBe(404);
    }
  });

  const multipart = (body: string, boundary = 'b0undary') => ({
    body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });

  it.each([
    ['a truncated JPEG', () => upload(jpeg.subarray(0, Math.floor(jpeg.length / 2))), [400], 'file'],
    ['a 50,000×50,000 PNG', () => upload(pngHeader(50_000, 50_000), 'bomb.png', 'image/png'), [400, 413], 'file'],
    [
      'an SVG',
      () =>
        upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'), 'a.svg', 'image/svg+xml'),
      [400],
      'file',
    ],
    [
      'a PDF',
      () => upload(Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'), 'a.pdf'),
      [400],
      'file',
    ],
    ['an empty file', () => upload(Buffer.alloc(0)), [400], 'file'],
    ['an empty body', () => app.request('POST', '/api/media', multipart('')), [400], 'body'],
    [
      'a form with no file field',
      () => {
        const form = new FormData();
        form.append('picture', new Blob([new Uint8Array(jpeg)]), 'a.jpg');
        return app.request('POST', '/api/media', { body: form as unknown as string });
      },
      [400],
      'file',
    ],
    [
      'a text/plain body',
      () => app.request('POST', '/api/media', { body: 'hello', headers: { 'content-type': 'text/plain' } }),
      [415],
      'text/plain',
    ],
    ['an 11 MB file', () => upload(Buffer.alloc(11 * 1024 * 1024, 0xff)), [413], '10 MB'],
  ] as const)('refuses %s, naming why, and keeps nothing', async (_what, send, statuses, named) => {
    const before = await databaseSnapshot(app.db);
    const filesBefore = await files();
    const res = await send();
    expect(statuses as readonly number[]).toContain(res.status);
    expect(JSON.stringify(await errorOf(res))).toContain(named);
    expect(await databaseSnapshot(app.db)).toEqual(before);
    expect(await files()).toEqual(filesBefore);
  });

  it('takes an upload from a writer, and deleting only from an editor', async () => {
    const writer = (await app.stores.staff.createToken({ name: 'writer', role: 'writer' })).token;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await photo(64, 64, 7))]), 'w.jpg');
    const res = await app.request('POST', '/api/media', { token: writer, body: form as unknown as string });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as MediaItem;
    expect((await app.request('DELETE', `/api/media/${id}`, { token: writer })).status).toBe(403);
    expect((await app.request('DELETE', `/api/media/${id}`, { token: app.editorToken })).status).toBe(204);
    expect((await app.request('DELETE', `/api/media/${id}`)).status).toBe(404);
  });

  it(
    'keeps an image a sent bulletin shows, in its mail (with its 2x twin) and archive page, once the bulletin changed',
    async () => {
      const image = (await (await upload(await photo(1200, 800, 3), 'march.jpg')).json()) as MediaItem;
      const block: Block = { type: 'image', src: image.url, alt: { en: 'The march', es: 'La marcha' } };
      const document = exampleBulletin();
      document.title = 'Weekly 12';
      document.blocks.push(block);
      const bulletinId = await sendableBulletin(app, document);
      expect((await list()).find((i) => i.id === image.id)!.usedBy).toEqual([
        { bulletinId, title: 'Weekly 12', sent: false },
      ]);
      // A draft's image is not deleted either: the bulletin is named.
      const draftRefusal = await app.request('DELETE', `/api/media/${image.id}`);
      expect(draftRefusal.status).toBe(409);
      expect((await errorOf(draftRefusal)).error.message).toContain('“Weekly 12”');

      const { campaign, html } = await sendPublished(bulletinId, 3);
      expect(html).toContain(`src="${image.url}"`);
      expect(html).toContain(`srcset="${image.url2x} 2x"`);

      // The bulletin changes: its document no longer shows the image, the sent mail still does.
      const current = await (await app.request('GET', `/api/bulletins/${bulletinId}`)).json();
      const saved = await app.request('PUT', `/api/bulletins/${bulletinId}`, {
        json: { ...current.document, blocks: current.document.blocks.slice(0, -1) },
        headers: { 'if-match': `"${current.version}"` },
      });
      expect(saved.status, await saved.clone().text()).toBe(200);

      expect((await list()).find((i) => i.id === image.id)!.usedBy).toEqual([
        { bulletinId, title: 'Weekly 12', sent: true },
      ]);
      const refused = await app.request('DELETE', `/api/media/${image.id}`);
      expect(refused.status).toBe(409);
      expect((await errorOf(refused)).error.message).toBe(
        'Used by the sent bulletin “Weekly 12”; sent mail and the archive show it',
      );
      const archive = await fetch(`${app.baseUrl}/archive/${campaign.id}?lang=en`);
      expect(archive.status).toBe(200);
      expect(await archive.text()).toContain(image.url);
      expect((await served(image.url)).status).toBe(200);
      expect((await served(image.url2x)).status).toBe(200);
    },
    SEND_TIMEOUT,
  );

  it('refuses to delete the logo, and deletes an unused image with both its files', async () => {
    const image = (await (await upload(await photo(300, 200, 9), 'logo.jpg')).json()) as MediaItem;
    const settings = await app.request('PUT', '/api/settings', { json: { logoUrl: image.url } });
    expect(settings.status).toBe(200);
    expect((await list()).find((i) => i.id === image.id)!.usedAsLogo).toBe(true);
    const refused = await app.request('DELETE', `/api/media/${image.id}`, { token: app.editorToken });
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).error.message).toContain('logo');

    await app.request('PUT', '/api/settings', { json: { logoUrl: '' } });
    const names = [image.url, image.url2x].map((url) => url.slice(url.lastIndexOf('/') + 1));
    expect(await files()).toEqual(expect.arrayContaining(names));
    expect((await app.request('DELETE', `/api/media/${image.id}`, { token: app.editorToken })).status).toBe(204);
    expect(await files()).not.toEqual(expect.arrayContaining([names[0]]));
    expect((await files()).some((f) => names.includes(f))).toBe(false);
    expect((await served(image.url)).status).toBe(404);
    expect((await list()).some((i) => i.id === image.id)).toBe(false);
    const audit = await (await app.request('GET', '/api/audit?action=media_deleted')).json();
    expect(audit.data[0]).toMatchObject({ target: { type: 'media', id: image.id } });
  });

  it(
    'keeps the logo a sent bulletin went out with once the logo changed, in its mail and archive page',
    async () => {
      const [old, next] = await Promise.all(
        [11, 12].map(
          async (seed) => (await (await upload(await photo(360, 120, seed), 'logo.jpg')).json()) as MediaItem,
        ),
      );
      expect((await app.request('PUT', '/api/settings', { json: { logoUrl: old!.url } })).status).toBe(200);
      const document = exampleBulletin();
      document.title = 'Weekly 13';
      const bulletinId = await sendableBulletin(app, document);
      const { campaign, html } = await sendPublished(bulletinId, 2);
      expect(html).toContain(old!.url);

      // A new logo: nothing current shows the old one, but the sent mail and the archive page do.
      expect((await app.request('PUT', '/api/settings', { json: { logoUrl: next!.url } })).status).toBe(200);
      const item = (await list()).find((i) => i.id === old!.id)!;
      expect(item.usedAsLogo).toBe(false);
      expect(item.usedBy).toContainEqual({ bulletinId, title: 'Weekly 13', sent: true });
      const refused = await app.request('DELETE', `/api/media/${old!.id}`, { token: app.editorToken });
      expect(refused.status).toBe(409);
      expect((await errorOf(refused)).error.message).toBe(
        'Used by the sent bulletin “Weekly 13”; sent mail and the archive show it',
      );
      const archive = await (await fetch(`${app.baseUrl}/archive/${campaign.id}?lang=en`)).text();
      expect(archive).toContain(old!.url);
      expect(archive).not.toContain(next!.url);
      expect((await served(old!.url)).status).toBe(200);
      await app.request('PUT', '/api/settings', { json: { logoUrl: '' } });
    },
    SEND_TIMEOUT,
  );
});

describe.each(databaseKinds())('migration 0022 on %s', (kind) => {
  it('makes the media table, one row per 1x file name', async () => {
    const test = await createTestDatabase(kind, (database) => migrateUpTo(database, '0021-send-approval'));
    try {
      await migrateUpToOn(kind, test.database, '0022-media');
      const row = {
        name: `${'a'.repeat(64)}.jpg`,
        name2x: `${'a'.repeat(64)}-2x.jpg`,
        type: 'jpeg' as const,
        width: 600,
        height: 400,
        bytes: 1000,
        bytes2x: 3000,
        original_name: 'a.jpg',
        created_by_kind: 'staff' as const,
        created_by: 'ana@example.org',
        created_at: new Date().toISOString(),
      };
      await test.database.db.insertInto('media').values(row).execute();
      await expect(test.database.db.insertInto('media').values(row).execute()).rejects.toThrow();
      await expect(
        test.database.db
          .insertInto('media')
          .values({ ...row, name: 'b.jpg', type: 'webp' as 'jpeg' })
          .execute(),
      ).rejects.toThrow();
    } finally {
      await test.drop();
    }
  });
});

describe.each(databaseKinds())('images of a Pregón at an http address (development) on %s', (kind) => {
  const LOCAL = 'http://localhost:3000';
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(kind, { env: { PUBLIC_URL: LOCAL } });
  });
  afterAll(() => app?.close());

  it('takes its own images as the logo and in a block; any other http image is still refused', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await photo(120, 80, 5))]), 'local.jpg');
    const item = (await (
      await app.request('POST', '/api/media', { body: form as unknown as string })
    ).json()) as MediaItem;
    expect(item.url.startsWith(`${LOCAL}/media/`)).toBe(true);

    expect((await app.request('PUT', '/api/settings', { json: { logoUrl: item.url } })).status).toBe(200);
    const elsewhere = await app.request('PUT', '/api/settings', { json: { logoUrl: 'http://nnirr.org/logo.png' } });
    expect(elsewhere.status).toBe(400);
    expect((await elsewhere.json()).error.issues).toEqual([{ path: 'logoUrl', message: 'must be an https URL' }]);

    const document = exampleBulletin();
    document.blocks.push(
      { type: 'image', src: item.url, alt: { en: 'Ours', es: 'Nuestra' } },
      { type: 'image', src: 'http://nnirr.org/theirs.jpg', alt: { en: 'Theirs', es: 'Suya' } },
    );
    const { id } = await (await app.request('POST', '/api/bulletins', { json: document })).json();
    const { findings } = await (await app.request('GET', `/api/bulletins/${id}/checks`)).json();
    const about = (index: number) =>
      findings.filter((f: { field?: string }) => f.field?.startsWith(`blocks[${index}].src`));
    expect(about(document.blocks.length - 2)).toEqual([]);
    expect(about(document.blocks.length - 1)).toContainEqual(expect.objectContaining({ code: 'insecure_link' }));
    const preview = await (await app.request('GET', `/api/bulletins/${id}/preview?lang=en`)).text();
    expect(preview).toContain(`srcset="${item.url2x} 2x"`);
  });
});
