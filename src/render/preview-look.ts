// The preview as a reader's client may show it: in dark mode, or with images blocked. Both work on
// the rendered mail, so the preview shows the theme's own dark rules and alt texts, never copies.
import type { PreviewLook } from '../bulletins/schemas.js';

export const AS_SENT: PreviewLook = { scheme: 'light', images: 'on' };

/** `html` (a whole rendered mail) as a client with `look`'s settings shows it. */
export function withLook(html: string, look: PreviewLook): string {
  const schemed = look.scheme === 'dark' ? inDarkMode(html) : html;
  return look.images === 'off' ? withImagesOff(schemed) : schemed;
}

/**
 * A frame cannot be told the reader prefers dark (media features follow the browser), so the
 * mail's `prefers-color-scheme` queries are answered here: dark rules always apply, light never.
 */
export function inDarkMode(html: string): string {
  return html.replace(/@media\s*\(\s*prefers-color-scheme\s*:\s*(dark|light)\s*\)/gi, (_, scheme: string) =>
    scheme.toLowerCase() === 'dark' ? '@media all' : '@media not all',
  );
}

/**
 * Clients that block images write each one's alt text in its place, in the image's own style; a
 * dashed line shows where the image would be. A span, not an <img> without a source: Chromium
 * draws a broken-image icon there. The mail is our own render: every attribute is quoted and
 * escaped, so no tag holds a `>` and an escaped alt text is already good element text.
 */
export function withImagesOff(html: string): string {
  return html.replace(/<img\b[^>]*>/gi, (tag) => {
    const alt = attribute(tag, 'alt');
    if (!alt) return '';
    const own = attribute(tag, 'style').replace(/;?\s*$/, ';');
    const style = `${own}border:1px dashed currentColor;padding:8px;box-sizing:border-box`;
    return `<span class="image-off" style="${style}">${alt}</span>`;
  });
}

function attribute(tag: string, name: string): string {
  return new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, 'i').exec(tag)?.[1] ?? '';
}
