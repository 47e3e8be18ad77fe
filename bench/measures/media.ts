// media_upload_ms, media_rss_mb: uploads of phone-camera photographs (12 megapixels, 3–5 MB of
// JPEG) through POST /api/media, to Pregón's web app as `npm start` composes it, in a process of
// its own on SQLite. The median time of an upload (read, decoded, resized to 600 and 1,200 pixels,
// stored), and how much the app's resident memory grew over all of them, read from
// /proc/<pid>/status while they run: what an image costs the web process, whose memory is shared
// with every other staff member's and reader's request.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { benchData, benchEnv, inheritedEnv } from '../support/bench-data.js';
import { startAppProcess } from '../support/app-process.js';
import { median } from '../support/median.js';
import { scaledUpTo, type Measure } from './measure.js';

const UPLOADS = 20;
/** A phone camera's 4:3 photograph. */
const PIXELS = 12_000_000;
/** How often the app's memory is read while the uploads run. */
const SAMPLE_MS = 20;

export const measure: Measure = async (ctx) => {
  const data = await benchData('sqlite', 0);
  try {
    const { token } = await data.stores.staff.createToken({ name: 'bench', role: 'writer' });
    const app = await startAppProcess({
      ...inheritedEnv(),
      ...benchEnv(data.scratch),
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://news.example.org',
    });
    try {
      // A photograph's size does not grow with the list, nor do the uploads: at most scale 1's.
      const uploads = scaledUpTo(ctx, UPLOADS, UPLOADS, 3);
      const pixels = scaledUpTo(ctx, PIXELS, PIXELS, 200_000);
      const width = Math.round(Math.sqrt((pixels * 4) / 3));
      const height = Math.round((width * 3) / 4);
      // Made before anything is measured: the bench's own work stays out of the app's figures.
      const photos = await Promise.all(Array.from({ length: uploads }, (_, i) => photograph(width, height, i + 1)));
      const headers = { authorization: `Bearer ${token}` };
      // Loads what the first request loads, so only the uploads' growth is counted.
      await (await fetch(`${app.url}/api/media`, { headers })).arrayBuffer();
      const before = rssMb(app.pid);
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMb(app.pid));
      }, SAMPLE_MS);
      const times: number[] = [];
      try {
        for (const [i, photo] of photos.entries()) {
          const form = new FormData();
          form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), `IMG_${i}.jpg`);
          const started = performance.now();
          const res = await fetch(`${app.url}/api/media`, { method: 'POST', headers, body: form });
          const body = await res.text();
          if (res.status !== 201) throw new Error(`upload ${i} answered ${res.status}: ${body.slice(0, 200)}`);
          times.push(performance.now() - started);
          peak = Math.max(peak, rssMb(app.pid));
        }
      } finally {
        clearInterval(sampler);
      }
      const megabytes = photos.map((p) => p.length / 1e6);
      ctx.log(
        `media: ${uploads} uploads of ${width}×${height} JPEGs of ${Math.min(...megabytes).toFixed(1)}–` +
          `${Math.max(...megabytes).toFixed(1)} MB, runs ${times.map((t) => t.toFixed(0)).join(' ')} ms; ` +
          `app RSS ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB at most`,
      );
      return { media_upload_ms: Math.round(median(times)), media_rss_mb: Math.max(0.1, Math.round(peak - before)) };
    } finally {
      await app.close();
    }
  } finally {
    await data.drop();
  }
};

/** A photograph-like JPEG: gradients, a soft pattern and grain, so that it compresses as a photo does. */
async function photograph(width: number, height: number, seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      const grain = (state >> 8) % 32;
      pixels[i] = ((x * 255) / width) * 0.6 + 40 + grain;
      pixels[i + 1] = ((y * 255) / height) * 0.5 + 60 + grain;
      pixels[i + 2] =
        (((x + y) * 255) / (width + height)) * 0.4 + 80 + Math.sin(x / 37) * Math.cos(y / 53) * 30 + grain;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 88 })
    .toBuffer();
}

/** The process's resident memory (Linux: VmRSS in /proc/<pid>/status), in MB. */
function rssMb(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line[1]) / 1024;
}
