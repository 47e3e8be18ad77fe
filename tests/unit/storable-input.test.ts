import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, MAX_JSON_VALUES, unstorableJson } from '../../src/http/storable-input.js';

describe('unstorableJson', () => {
  it('lets through what any database stores as given, paired surrogates (emoji) included', () => {
    expect(
      unstorableJson({ name: 'Ana 😀 <b>', tags: ['a', 1, null, true], nested: { deeper: [{ ok: '\r\n' }] } }, 'body'),
    ).toBeUndefined();
    expect(unstorableJson(undefined, 'body')).toBeUndefined();
  });

  it('names the field holding a NUL or half a surrogate pair, values and field names alike', () => {
    expect(unstorableJson({ blocks: [{}, { body: { en: 'a\u0000b' } }] }, 'body')).toEqual({
      path: 'body.blocks[1].body.en',
      message: 'must not contain the NUL character',
    });
    expect(unstorableJson({ name: 'Jos\ud800' }, 'body')).toMatchObject({
      path: 'body.name',
      message: expect.stringMatching(/surrogate/),
    });
    expect(unstorableJson({ email: 'x\u0000' }, '')).toMatchObject({ path: 'email' });
    expect(unstorableJson({ attributes: { 'ci\u0000ty': 1 } }, 'body')).toMatchObject({
      path: 'body.attributes',
      message: expect.stringMatching(/^field names/),
    });
  });

  it('stops at the depth limit without recursion, however deep the value', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(unstorableJson(deep, 'body')).toEqual({
      path: `body${'.a'.repeat(MAX_JSON_DEPTH)}`,
      message: `nests deeper than ${MAX_JSON_DEPTH} levels`,
    });
    let allowed: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) allowed = [allowed];
    expect(unstorableJson(allowed, 'body')).toBeUndefined();
  });

  it('refuses more values than any input holds as a whole, before looking into them', () => {
    // The review's body: JSON.stringify([1] * 340,000), a megabyte.
    expect(unstorableJson(Array(340_000).fill(1), 'body')).toEqual({
      path: 'body',
      message: `holds more than ${MAX_JSON_VALUES.toLocaleString('en')} values`,
      tooLarge: true,
    });
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, Array(100).fill('x')]));
    expect(unstorableJson({ wide }, '')).toMatchObject({ path: '', tooLarge: true });
    // The value itself counts: an array and its items make exactly the limit.
    expect(unstorableJson(Array(MAX_JSON_VALUES - 1).fill(1), 'body')).toBeUndefined();
  });

  it('still names the one bad value among the most values allowed, nested or last', () => {
    // Exactly the limit: the object, the array, its items, the last one's array and its text.
    const values = Array(MAX_JSON_VALUES - 5).fill(1);
    values.push({ deeper: ['x\u0000'] });
    expect(unstorableJson({ values }, 'body')).toEqual({
      path: `body.values[${MAX_JSON_VALUES - 5}].deeper[0]`,
      message: 'must not contain the NUL character',
    });
  });
});
