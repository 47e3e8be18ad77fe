import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, unstorableJson } from '../../src/http/storable-input.js';

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
});
