import { describe, expect, it } from 'vitest';
import { brandPalette, contrast, darkenUntilReadable, INK, luminance, WHITE } from '../../src/render/contrast.js';

describe('WCAG contrast', () => {
  it('gives the known luminances and ratios', () => {
    expect(luminance('#000000')).toBe(0);
    expect(luminance('#ffffff')).toBe(1);
    expect(contrast('#000000', '#ffffff')).toBe(21);
    expect(contrast('#ffffff', '#ffffff')).toBe(1);
    expect(contrast(WHITE, '#f2b705')).toBeCloseTo(1.82, 2);
    expect(contrast('#767676', WHITE)).toBeCloseTo(4.54, 2);
    expect(contrast(WHITE, '#b3261e')).toBeCloseTo(6.54, 2);
    expect(contrast('#ff9c8f', '#b3261e')).toBeCloseTo(3.24, 2);
  });

  it('is the same in either order', () => {
    expect(contrast('#f2b705', INK)).toBe(contrast(INK, '#f2b705'));
  });

  it('darkens a colour only as far as it must to read on another', () => {
    expect(darkenUntilReadable('#b3261e', WHITE)).toBe('#b3261e');
    expect(darkenUntilReadable('#f2b705', WHITE)).toBe('#916e03');
    expect(contrast('#916e03', WHITE)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('the palette derived from the brand colour', () => {
  it('keeps a brand that reads, with white labels', () => {
    expect(brandPalette('#b3261e')).toEqual({ link: '#b3261e', button: '#b3261e', label: WHITE });
  });

  it('puts ink on a light brand and darkens its links', () => {
    expect(brandPalette('#f2b705')).toEqual({ link: '#916e03', button: '#f2b705', label: INK });
  });

  it('darkens a mid-tone brand on which neither white nor ink reads', () => {
    expect(contrast(WHITE, '#808080')).toBeLessThan(4.5);
    expect(contrast(INK, '#808080')).toBeLessThan(4.5);
    expect(brandPalette('#808080')).toEqual({ link: '#737373', button: '#737373', label: WHITE });
  });

  it('reaches 4.5:1 for labels and links whatever the brand', () => {
    for (let i = 0; i < 4096; i++) {
      const brand = `#${[8, 4, 0].map((shift) => (((i >> shift) & 15) * 17).toString(16).padStart(2, '0')).join('')}`;
      const { link, button, label } = brandPalette(brand);
      expect(contrast(label, button), brand).toBeGreaterThanOrEqual(4.5);
      expect(contrast(link, WHITE), brand).toBeGreaterThanOrEqual(4.5);
    }
  });
});
