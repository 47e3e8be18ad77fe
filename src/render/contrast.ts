// WCAG 2 contrast between two #rrggbb colours, and the bulletin palette derived from the brand
// colour so text and button labels keep 4.5:1 (WCAG AA for body text) whatever brand is chosen.
// Pure and zod-free: the staff app (src/ui) imports it to warn under the brand colour field.

/** WCAG AA for normal text. */
export const MIN_CONTRAST = 4.5;
export const WHITE = '#ffffff';
/** The theme's ink, the dark button label when white would not do. */
export const INK = '#1d1b19';

/** WCAG relative luminance of `#rrggbb`, 0 (black) to 1 (white). */
export function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** Contrast ratio of two colours, 1 to 21, whichever order they are given in. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** `hex` scaled toward black by `factor` (0–1), each channel rounded. */
function scale(hex: string, factor: number): string {
  const channels = [1, 3, 5].map((i) => Math.round(Number.parseInt(hex.slice(i, i + 2), 16) * factor));
  return `#${channels.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** The lightest shade of `hex` (darkened in 5% steps) that reaches 4.5:1 against `against`. */
export function darkenUntilReadable(hex: string, against: string): string {
  for (let factor = 1; factor > 0; factor -= 0.05) {
    const shade = scale(hex, factor);
    if (contrast(shade, against) >= MIN_CONTRAST) return shade;
  }
  return '#000000';
}

export interface Palette {
  /** Links and brand-coloured text on the white paper. */
  link: string;
  /** Button and masthead background. */
  button: string;
  /** Button and masthead text on `button`. */
  label: string;
}

/**
 * The colours the theme uses for `brand`: the brand itself wherever it reads at 4.5:1, else a
 * darker shade for links, a dark label on a light brand, and a darker button when neither white
 * nor ink reads on it (a mid-tone brand: ink on it peaks near 4.2:1).
 */
export function brandPalette(brand: string): Palette {
  const link = darkenUntilReadable(brand, WHITE);
  if (contrast(WHITE, brand) >= MIN_CONTRAST) return { link, button: brand, label: WHITE };
  if (contrast(INK, brand) >= MIN_CONTRAST) return { link, button: brand, label: INK };
  return { link, button: darkenUntilReadable(brand, WHITE), label: WHITE };
}

/**
 * What the theme changes of `brand` to keep 4.5:1, each pair with its ratio, or nothing when the
 * brand reads as it is: for the pre-send check and the warning under the Settings field.
 */
export function brandAdjustments(brand: string): string[] {
  const palette = brandPalette(brand);
  const ratio = (a: string, b: string) => `${contrast(a, b).toFixed(2)}:1`;
  return [
    ...(palette.label === WHITE && palette.button === brand
      ? []
      : [
          `white on ${brand} is ${ratio(WHITE, brand)}, so buttons use ${palette.label} on ${palette.button} ` +
            `(${ratio(palette.label, palette.button)})`,
        ]),
    ...(palette.link === brand
      ? []
      : [`${brand} on white is ${ratio(brand, WHITE)}, so links use ${palette.link} (${ratio(palette.link, WHITE)})`]),
  ];
}
