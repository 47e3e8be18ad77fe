import { describe, expect, it } from 'vitest';
import { twiceAsWide } from '../../src/media/media-names.js';

const HASH = 'ab'.repeat(32);

describe('twiceAsWide', () => {
  it('gives a media library image its -2x twin beside it', () => {
    expect(twiceAsWide(`https://news.example.org/media/${HASH}.jpg`)).toBe(
      `https://news.example.org/media/${HASH}-2x.jpg`,
    );
    expect(twiceAsWide(`http://localhost:9000/bucket/${HASH}.png`)).toBe(`http://localhost:9000/bucket/${HASH}-2x.png`);
  });

  it('leaves every other address alone: no twin is guessed', () => {
    for (const src of [
      'https://nnirr.org/images/vigil-600.jpg',
      `https://news.example.org/media/${HASH}-2x.jpg`,
      `https://news.example.org/media/${HASH}.svg`,
      `https://news.example.org/media/${HASH.toUpperCase()}.jpg`,
      `https://news.example.org/media/${HASH}.jpg?size=2`,
      '{{image}}',
    ])
      expect(twiceAsWide(src), src).toBeUndefined();
  });
});
