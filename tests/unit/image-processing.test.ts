// Image processing with the real sharp: what is kept, converted, refused, and what never leaves
// with the image (metadata that can say where a photographed person was).
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { ImageRefused, MAX_UPLOAD_BYTES, type ProcessedImage, processImage } from '../../src/media/image-processing.js';

const SERIAL = 'SN-4471-0932-PREGON';
const AUTHOR = 'Photographer Jane Roe';
const COMMENT = 'taken outside 12 Calle Ocho';
// The GPS position's seconds, as the EXIF rationals (little-endian numerator, denominator) hold them.
const GPS_SECONDS = [4612, 5600].map((seconds) => rational(seconds, 100));

function rational(numerator: number, denominator: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32LE(numerator);
  bytes.writeUInt32LE(denominator, 4);
  return bytes;
}

function photo(width: number, height: number, colour = '#c08040') {
  return sharp({ create: { width, height, channels: 3, background: colour } });
}

/** A camera's JPEG: EXIF with GPS and serials, XMP, an IPTC byline, a comment, a P3 profile, rotated. */
async function cameraJpeg(width: number, height: number): Promise<Buffer> {
  const jpeg = await photo(width, height)
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'Canon', Model: 'EOS R5' },
      IFD2: { BodySerialNumber: SERIAL },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '40/1 26/1 4612/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '79/1 58/1 5600/100',
      },
    })
    .withIccProfile('p3')
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        `<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>${AUTHOR}</dc:creator>` +
        '</rdf:Description></rdf:RDF></x:xmpmeta>',
    )
    .toBuffer();
  // sharp writes neither IPTC nor comments: they go in by hand, right after the start of image.
  return Buffer.concat([
    jpeg.subarray(0, 2),
    iptcSegment(AUTHOR),
    jpegSegment(0xfe, Buffer.from(COMMENT)),
    jpeg.subarray(2),
  ]);
}

function jpegSegment(marker: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** An APP13 segment carrying an IPTC byline (2:80), as Photoshop and newsroom tools write it. */
function iptcSegment(byline: string): Buffer {
  const dataset = Buffer.concat([Buffer.from([0x1c, 0x02, 0x50, 0, byline.length]), Buffer.from(byline)]);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(dataset.length);
  const resource = Buffer.concat([Buffer.from('8BIM'), Buffer.from([0x04, 0x04, 0, 0]), size, dataset]);
  const padded = resource.length % 2 ? Buffer.concat([resource, Buffer.from([0])]) : resource;
  return jpegSegment(0xed, Buffer.concat([Buffer.from('Photoshop 3.0\0'), padded]));
}

/** A PNG whose header claims `width` × `height` pixels over a few bytes of data: a decompression bomb. */
function pngHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, not interlaced
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * An iPhone's HEIC as far as its header goes: an HEVC-coded image item. sharp cannot write HEVC,
 * so the container is built by hand (ftyp, meta with hdlr, pitm, iloc, iinf, iprp, then mdat).
 */
function heicHeader(width: number, height: number): Buffer {
  const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const u16 = (n: number) => Buffer.from([n >>> 8, n & 255]);
  const box = (type: string, ...parts: Buffer[]) => {
    const body = Buffer.concat(parts);
    return Buffer.concat([u32(body.length + 8), Buffer.from(type), body]);
  };
  const fullBox = (type: string, version: number, ...parts: Buffer[]) =>
    box(type, Buffer.from([version, 0, 0, 0]), ...parts);
  const hvcC = box(
    'hvcC',
    Buffer.from([1, 1, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 90, 0xf0, 0, 0xfc, 0xfd, 0xf8, 0xf8, 0, 0, 0x0f, 0]),
  );
  const data = Buffer.alloc(32, 0x11);
  const head = (dataOffset: number) =>
    Buffer.concat([
      box('ftyp', Buffer.from('heic'), u32(0), Buffer.from('mif1heic')),
      fullBox(
        'meta',
        0,
        fullBox('hdlr', 0, u32(0), Buffer.from('pict'), Buffer.alloc(13)),
        fullBox('pitm', 0, u16(1)),
        fullBox('iloc', 0, Buffer.from([0x44, 0]), u16(1), u16(1), u16(0), u16(1), u32(dataOffset), u32(data.length)),
        fullBox('iinf', 0, u16(1), fullBox('infe', 2, u16(1), u16(0), Buffer.from('hvc1\0'))),
        box(
          'iprp',
          box('ipco', hvcC, fullBox('ispe', 0, u32(width), u32(height))),
          fullBox('ipma', 0, u32(1), u16(1), Buffer.from([2, 0x81, 0x02])),
        ),
      ),
    ]);
  return Buffer.concat([head(head(0).length + 8), box('mdat', data)]);
}

async function refusal(input: Buffer): Promise<ImageRefused> {
  const err = await processImage(input, { width: 600 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageRefused);
  return err as ImageRefused;
}

const renditions = (image: ProcessedImage) => [image.one, image.two];

describe('processImage', () => {
  it("strips a camera photo's EXIF (GPS, serial), XMP, IPTC, comment and profile at both widths", async () => {
    const input = await cameraJpeg(1600, 1200);
    const before = await sharp(input).metadata();
    expect([before.exif, before.xmp, before.iptc, before.icc].every(Boolean)).toBe(true);
    for (const value of [SERIAL, AUTHOR, COMMENT, ...GPS_SECONDS]) expect(input.includes(value)).toBe(true);

    const image = await processImage(input, { width: 600 });
    expect(image.type).toBe('jpeg');
    for (const { bytes } of renditions(image)) {
      const after = await sharp(bytes).metadata();
      expect(after).toMatchObject({ format: 'jpeg', hasProfile: false });
      for (const field of ['exif', 'xmp', 'iptc', 'icc', 'comments', 'orientation'] as const) {
        expect(after[field], field).toBeUndefined();
      }
      for (const value of [SERIAL, AUTHOR, COMMENT, 'Canon', 'Exif', 'Photoshop', ...GPS_SECONDS]) {
        expect(bytes.includes(value), String(value)).toBe(false);
      }
    }
  });

  it('applies the EXIF orientation before dropping it', async () => {
    // Stored 1600 × 1200 and marked "rotate 90°": the photo is 1200 wide and 1600 high.
    const image = await processImage(await cameraJpeg(1600, 1200), { width: 600 });
    expect(image.one).toMatchObject({ width: 600, height: 800 });
    expect(image.two).toMatchObject({ width: 1200, height: 1600 });
    expect(await sharp(image.two.bytes).metadata()).toMatchObject({ width: 1200, height: 1600 });
  });

  it('converts the colours to sRGB from the embedded profile', async () => {
    const input = await cameraJpeg(400, 300);
    const stats = async (image: Sharp) => (await image.stats()).channels.map((channel) => channel.mean);
    const asStored = await stats(sharp(input, { ignoreIcc: true }));
    const shown = await stats(sharp((await processImage(input, { width: 200 })).one.bytes));
    // #c08040 written through a P3 profile: the stored numbers differ, the output is the colour again.
    expect(Math.abs(asStored[0]! - 0xc0)).toBeGreaterThan(4);
    for (const [i, expected] of [0xc0, 0x80, 0x40].entries()) expect(Math.abs(shown[i]! - expected)).toBeLessThan(4);
  });

  it('keeps a 3000-pixel photo at the width shown and twice that, a 400-pixel one at its own width', async () => {
    const wide = await processImage(await photo(3000, 2000).jpeg().toBuffer(), { width: 600 });
    expect(wide.one).toMatchObject({ width: 600, height: 400 });
    expect(wide.two).toMatchObject({ width: 1200, height: 800 });
    const narrow = await processImage(await photo(400, 300).jpeg().toBuffer(), { width: 600 });
    expect(narrow.one).toMatchObject({ width: 400, height: 300 });
    expect(narrow.two).toMatchObject({ width: 400, height: 300 });
    const between = await processImage(await photo(900, 600).png().toBuffer(), { width: 600 });
    expect([between.one.width, between.two.width]).toEqual([600, 900]);
  });

  it('takes a 12-megapixel photo', async () => {
    const image = await processImage(await photo(4000, 3000).jpeg({ quality: 95 }).toBuffer(), { width: 600 });
    expect([image.one.width, image.two.width]).toEqual([600, 1200]);
  });

  it('keeps JPEG, PNG and GIF as they are, whatever the file claims to be', async () => {
    const png = await photo(300, 200).png().toBuffer();
    const image = await processImage(png, { width: 100 });
    expect(image).toMatchObject({ type: 'png', ext: 'png', contentType: 'image/png' });
    expect((await sharp(image.one.bytes).metadata()).format).toBe('png');
    const gif = await processImage(await photo(300, 200).gif().toBuffer(), { width: 100 });
    expect(gif).toMatchObject({ type: 'gif', ext: 'gif', contentType: 'image/gif' });
  });

  it('keeps every frame of an animated GIF, its delays and its loop count', async () => {
    const frames = await Promise.all(
      ['#d00', '#0a0', '#00d'].map((colour) => photo(300, 200, colour).raw().toBuffer()),
    );
    const gif = await sharp(Buffer.concat(frames), { raw: { width: 300, height: 600, channels: 3, pageHeight: 200 } })
      .gif({ delay: [100, 250, 400], loop: 3 })
      .toBuffer();
    const image = await processImage(gif, { width: 100 });
    expect(image.type).toBe('gif');
    expect(image.one).toMatchObject({ width: 100, height: 67 });
    expect(image.two).toMatchObject({ width: 200, height: 133 });
    for (const { bytes } of renditions(image)) {
      expect(await sharp(bytes).metadata()).toMatchObject({ pages: 3, delay: [100, 250, 400], loop: 3 });
    }
  });

  it('converts WebP and AVIF: to JPEG when opaque, to PNG with transparency, an animated WebP to a GIF', async () => {
    const opaque = photo(300, 200);
    const clear = sharp({ create: { width: 300, height: 200, channels: 4, background: '#c0804080' } });
    for (const [input, type] of [
      [await opaque.clone().webp().toBuffer(), 'jpeg'],
      [await clear.clone().webp().toBuffer(), 'png'],
      [await opaque.clone().avif().toBuffer(), 'jpeg'],
      [await clear.clone().avif().toBuffer(), 'png'],
      [await opaque.clone().tiff().toBuffer(), 'jpeg'],
    ] as const) {
      const image = await processImage(input, { width: 100 });
      expect(image.type).toBe(type);
      expect((await sharp(image.one.bytes).metadata()).format).toBe(type);
    }
    const frames = await Promise.all(['#d00', '#0a0'].map((colour) => photo(300, 200, colour).raw().toBuffer()));
    const webp = await sharp(Buffer.concat(frames), { raw: { width: 300, height: 400, channels: 3, pageHeight: 200 } })
      .webp({ delay: [300, 600], loop: 0 })
      .toBuffer();
    const animated = await processImage(webp, { width: 100 });
    expect(animated.type).toBe('gif');
    expect(await sharp(animated.two.bytes).metadata()).toMatchObject({ pages: 2, delay: [300, 600], loop: 0 });
  });

  it('refuses what it cannot or will not read, each with a message for people', async () => {
    const jpeg = await photo(1200, 800).jpeg().toBuffer();
    const noisy = await sharp({
      create: {
        width: 1200,
        height: 800,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 30 },
      },
    })
      .jpeg()
      .toBuffer();
    const png = await photo(100, 80).png().toBuffer();
    const cases: [string, Buffer, RegExp][] = [
      ['empty', Buffer.alloc(0), /^the file is empty$/],
      ['truncated JPEG', noisy.subarray(0, noisy.length / 2), /damaged or cut short/],
      ['JPEG start, PNG content', Buffer.concat([jpeg.subarray(0, 4), png]), /not an image Pregón can read/],
      ['PDF', Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'), /^PDF files are refused/],
      [
        'SVG',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'),
        /^SVG images are refused, as they can carry scripts/,
      ],
      ['HEIC', heicHeader(4032, 3024), /^HEIC photos cannot be read here: export as JPEG first$/],
      ['random bytes', randomBytes(4096), /not an image Pregón can read/],
      ['text', Buffer.from('GIF89a, or so it says'), /not an image Pregón can read/],
    ];
    for (const [what, input, message] of cases) {
      const err = await refusal(input);
      expect(err.message, what).toMatch(message);
      expect(err.status, what).toBe(400);
      expect(err.message, what).not.toMatch(/vips|jpeg image|marker|buffer/i);
    }
  });

  it('refuses a file over 10 MB, and a 50,000 × 50,000 image from its header, with 413', async () => {
    const big = await refusal(Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0xff));
    expect([big.status, big.message]).toEqual([413, 'the file is larger than 10 MB']);
    const bomb = await refusal(pngHeader(50_000, 50_000));
    expect([bomb.status, bomb.message]).toEqual([413, 'the image is larger than 50 megapixels']);
  });
});
