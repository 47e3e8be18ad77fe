// Images in Chromium: one uploaded from the file picker of a bulletin's image field and shown by the
// preview from /media/, one per language (dropped on the Spanish column), a file that is no image
// refused beside the field, the logo uploaded in Settings, the Media library screen (where each is
// used, delete refused for an image in use, none for writers; axe, 1440 and 390 px), and a test
// copy whose HTML shows the uploaded images.
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import type { MediaList } from '../../src/media/schemas.js';
import { sendableBulletin } from '../helpers/campaigns.js';
import { field, removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

const ANA = 'ana@example.org';
const ALT = { en: 'Volunteers clearing the harbour', es: 'Voluntarias limpiando el puerto' };
const DOCUMENT: BulletinDocument = {
  version: 1,
  title: 'Harbour clean-up',
  languages: ['en', 'es'],
  topic: 'weekly-bulletin',
  subject: { en: 'The harbour, clean again', es: 'El puerto, limpio otra vez' },
  blocks: [
    { type: 'text', body: { en: 'Thank you all for coming.', es: 'Gracias a todas por venir.' } },
    { type: 'image', src: '', alt: ALT },
  ],
};
/** An address the media library serves: `<base>/media/<sha256>.<ext>`. */
const MEDIA_ADDRESS = (ext: string) => new RegExp(`/media/[0-9a-f]{64}\\.${ext}$`);
const hashOf = (address: string) => /\/media\/([0-9a-f]{64})\./.exec(address)![1]!;

describe('images: upload, the media library, per-language images and the logo', () => {
  let b: BrowserApp;
  let bulletinId: number;
  let photo: Buffer;
  let english = '';
  let spanish = '';
  let logo = '';

  const page = () => b.page;
  const block = () => b.region('Block 2: Image');
  const stored = async () =>
    (await (await b.app.request('GET', `/api/bulletins/${bulletinId}`)).json()).document as BulletinDocument;
  /** An image's card on the Media library screen, by its name. */
  const card = (name: string) =>
    page()
      .getByRole('listitem')
      .filter({ has: page().getByRole('heading', { name }) });
  const library = async () => ((await (await b.app.request('GET', '/api/media')).json()) as MediaList).items;

  /**
   * The addresses the server gives are on PUBLIC_URL, a host this machine cannot reach: the browser
   * fetches them from the test server instead, as a mail client would from the real one.
   */
  const servePublicMedia = async (target: Page) => {
    const app = new URL(b.app.baseUrl);
    await target.context().route(
      (url) => url.pathname.startsWith('/media/') && url.host !== app.host && url.hostname !== 'localhost',
      async (route) => {
        const answer = await fetch(new URL(new URL(route.request().url()).pathname, b.app.baseUrl));
        await route.fulfill({
          status: answer.status,
          contentType: answer.headers.get('content-type') ?? undefined,
          body: Buffer.from(await answer.arrayBuffer()),
        });
      },
    );
  };

  beforeAll(async () => {
    b = await startBrowserApp('media');
    bulletinId = await sendableBulletin(b.app, DOCUMENT);
    photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#2a6f97' } })
      .jpeg()
      .toBuffer();
    await b.signIn(ANA, 'editor');
    await servePublicMedia(page());
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  it('uploads an image from the file picker of an image field; the preview shows it from /media/', async () => {
    await b.open(`/admin/bulletins/${bulletinId}`);
    const chooser = page().waitForEvent('filechooser');
    await block().getByRole('button', { name: 'Upload image… for Image URL' }).click();
    await (await chooser).setFiles({ name: 'harbour.jpg', mimeType: 'image/jpeg', buffer: photo });
    // Shown 600 pixels wide, the width of the mail: the 1200-pixel photo is its sharp-screen copy.
    await block().getByRole('status').filter({ hasText: 'Uploaded “harbour.jpg”, 600 × 400 px.' }).waitFor();
    const src = field(block(), 'Image URL');
    await expect.poll(() => src.inputValue()).toMatch(MEDIA_ADDRESS('jpg'));
    english = await src.inputValue();
    await b.saved();
    expect((await stored()).blocks[1]).toEqual({ type: 'image', src: english, alt: ALT });

    const preview = page().locator('iframe[title="Preview: English, desktop width"]').contentFrame();
    const image = preview.getByRole('img', { name: ALT.en });
    await expect.poll(() => image.getAttribute('src')).toContain(`/media/${hashOf(english)}`);
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    // Pregón serves the file itself, the JPEG at the width it is shown.
    const served = await fetch(new URL(new URL(english).pathname, b.app.baseUrl));
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(await sharp(Buffer.from(await served.arrayBuffer())).metadata()).toMatchObject({ width: 600, height: 400 });
    await b.expectAccessible('the composer with an uploaded image');
    await b.screenshot('composer-uploaded-1440');
  });

  it('gives each language its own image with its own upload, and refuses a file that is no image', async () => {
    await block().getByRole('button', { name: 'Image URL: give each language its own image' }).click();
    const spanishField = field(block(), 'Image URL (Spanish)');
    const englishField = field(block(), 'Image URL (English)');
    expect(await englishField.inputValue()).toBe(english);
    await block().getByRole('button', { name: 'Upload image… for Image URL (Spanish)' }).waitFor();
    await block().getByRole('button', { name: 'Choose from library for Image URL (English)' }).waitFor();

    // A PNG dragged onto the Spanish column: the column shows it takes the drop, then uploads it.
    const png = await sharp({ create: { width: 800, height: 600, channels: 4, background: '#c0392b80' } })
      .png()
      .toBuffer();
    const dropped = await page().evaluateHandle(
      ([bytes, name]) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes as number[])], name as string, { type: 'image/png' }));
        return data;
      },
      [[...png], 'puerto.png'] as const,
    );
    const spanishColumn = spanishField.locator('xpath=ancestor::div[contains(@class, "image-upload")][1]');
    await spanishColumn.dispatchEvent('dragover', { dataTransfer: dropped });
    await expect.poll(() => spanishColumn.getAttribute('class')).toContain('image-upload-dragging');
    await b.screenshot('drop-target-1440');
    await spanishColumn.dispatchEvent('drop', { dataTransfer: dropped });
    await expect.poll(() => spanishField.inputValue()).toMatch(MEDIA_ADDRESS('png'));
    spanish = await spanishField.inputValue();
    expect(await spanishColumn.getAttribute('class')).not.toContain('image-upload-dragging');
    await b.saved();
    expect((await stored()).blocks[1]).toEqual({ type: 'image', src: { en: english, es: spanish }, alt: ALT });

    // A PDF pasted into the English column: the server's reason shows beside it, the address stays.
    await englishField.evaluate((input) => {
      const data = new DataTransfer();
      data.items.add(
        new File(['%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'], 'minutes.pdf', { type: 'application/pdf' }),
      );
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await block().getByRole('alert').filter({ hasText: 'minutes.pdf was not uploaded:' }).waitFor();
    expect(await englishField.inputValue()).toBe(english);
    await b.expectAccessible('an image per language, one refused');
    await b.screenshot('per-language-1440');
  });

  it('uploads the logo in Settings at the width the theme shows it, and chooses from the library there', async () => {
    const admin = await b.otherStaff('admin@example.org', 'admin');
    await servePublicMedia(admin);
    await admin.goto('/admin/settings');
    const logoField = admin.getByLabel('Logo URL', { exact: true });
    await logoField.waitFor();

    await admin.getByRole('button', { name: 'Choose from library for Logo URL' }).click();
    const picker = admin.getByRole('dialog', { name: 'Choose from the media library' });
    await picker.getByRole('button', { name: 'Use “puerto.png”' }).waitFor();
    await picker.getByRole('button', { name: 'Use “harbour.jpg”' }).click();
    await expect.poll(() => picker.isVisible()).toBe(false);
    expect(await logoField.inputValue()).toBe(english);

    const chooser = admin.waitForEvent('filechooser');
    await admin.getByRole('button', { name: 'Upload image… for Logo URL' }).click();
    const mark = await sharp({ create: { width: 720, height: 240, channels: 4, background: '#8a2b12' } })
      .png()
      .toBuffer();
    await (await chooser).setFiles({ name: 'logo.png', mimeType: 'image/png', buffer: mark });
    await admin.getByRole('status').filter({ hasText: 'Uploaded “logo.png”, 180 × 60 px.' }).waitFor();
    logo = await logoField.inputValue();
    expect(logo).toMatch(MEDIA_ADDRESS('png'));
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByText('Settings saved.').waitFor();
    expect((await (await b.app.request('GET', '/api/settings')).json()).logoUrl).toBe(logo);
    await admin.context().close();
  });

  it('lists every image on the Media library screen, with its size and where it is used', async () => {
    await page().getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Media' }).click();
    await page().getByRole('heading', { level: 1, name: 'Media library' }).waitFor();
    const harbour = card('harbour.jpg');
    await harbour.getByRole('img', { name: 'harbour.jpg' }).waitFor();
    const text = await harbour.innerText();
    expect(text).toContain('600 × 400 px');
    expect(text).toMatch(/\d+ kB/);
    expect(text).toContain(`by ${ANA}`);
    const used = harbour.getByRole('link', { name: 'Harbour clean-up' });
    expect(await used.getAttribute('href')).toBe(`/admin/bulletins/${bulletinId}`);
    await card('puerto.png').getByRole('link', { name: 'Harbour clean-up' }).waitFor();
    expect(await card('logo.png').innerText()).toContain('the logo');
    await expect
      .poll(() => harbour.getByRole('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    // Newest first.
    expect(await page().locator('.media-name').allInnerTexts()).toEqual(['logo.png', 'puerto.png', 'harbour.jpg']);
    expect((await library()).map((item) => item.name)).toEqual(['logo.png', 'puerto.png', 'harbour.jpg']);

    await b.expectAccessible('the Media library');
    await b.screenshot('library-1440');
    await page().setViewportSize({ width: 390, height: 844 });
    expect(await page().evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    await b.screenshot('library-390');
    await page().setViewportSize({ width: 1440, height: 900 });
  });

  it('uploads on the screen and deletes an image no one uses; refuses one a bulletin shows, saying which', async () => {
    const chooser = page().waitForEvent('filechooser');
    await page().getByRole('button', { name: 'Upload image…' }).click();
    const spare = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#1d6b3a' } })
      .jpeg()
      .toBuffer();
    await (await chooser).setFiles({ name: 'spare.jpg', mimeType: 'image/jpeg', buffer: spare });
    await card('spare.jpg').getByText('Not used yet').waitFor();

    await card('harbour.jpg').getByRole('button', { name: 'Delete “harbour.jpg”' }).click();
    const confirm = page().getByRole('dialog', { name: 'Delete “harbour.jpg”?' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('alert').filter({ hasText: 'Harbour clean-up' }).waitFor();
    await b.expectAccessible('delete refused');
    await b.screenshot('delete-refused-1440');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect((await library()).map((item) => item.name)).toContain('harbour.jpg');

    await card('spare.jpg').getByRole('button', { name: 'Delete “spare.jpg”' }).click();
    await page().getByRole('dialog', { name: 'Delete “spare.jpg”?' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => card('spare.jpg').count()).toBe(0);
    expect((await library()).map((item) => item.name)).toEqual(['logo.png', 'puerto.png', 'harbour.jpg']);
  });

  it('shows writers the library without a delete button', async () => {
    const writer = await b.otherStaff('wendy@example.org', 'writer');
    await writer.goto('/admin/media');
    await writer.getByRole('heading', { level: 2, name: 'harbour.jpg' }).waitFor();
    await writer.getByRole('button', { name: 'Upload image…' }).waitFor();
    expect(await writer.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    await writer.context().close();
  });

  it('sends a test copy in each language whose HTML shows its uploaded image and the logo', async () => {
    const before = (await b.mails()).length;
    const answer = await b.app.request('POST', `/api/bulletins/${bulletinId}/test`, { json: { to: [ANA] } });
    expect(answer.ok).toBe(true);
    await expect.poll(async () => (await b.mails()).length, { timeout: 20_000 }).toBe(before + 2);
    const mails = (await b.mails()).slice(before);
    const html = (lang: string) => mails.find((mail) => mail.subject.startsWith(`[TEST ${lang}]`))!.body.html!;
    expect(html('EN')).toContain(`/media/${hashOf(english)}`);
    expect(html('ES')).toContain(`/media/${hashOf(spanish)}`);
    expect(html('ES')).not.toContain(`/media/${hashOf(english)}.jpg`);
    expect(html('EN')).toContain(`/media/${hashOf(logo)}`);
  });
});
