// The List-Id header's value (RFC 2919): `phrase <label.domain>` in printable ASCII, as SES takes it.
import { describe, expect, it } from 'vitest';
import { listId } from '../../src/sending/list-id.js';

describe('List-Id', () => {
  it("names the topic's list in PUBLIC_URL's host, described by organisation and topic", () => {
    expect(listId('NNIRR', 'weekly-bulletin', 'https://News.Example.org:8443/x', 'bulletin@nnirr.org')).toBe(
      '"NNIRR weekly-bulletin" <weekly-bulletin.news.example.org>',
    );
  });

  it('names a bulletin sent without a topic the list "all"', () => {
    expect(listId('NNIRR', null, 'https://news.example.org', 'bulletin@nnirr.org')).toBe(
      '"NNIRR" <all.news.example.org>',
    );
  });

  it("takes the From address's domain when PUBLIC_URL is an IP address", () => {
    expect(listId('NNIRR', 'alerts', 'http://10.0.0.7:3000', '"NNIRR" <Bulletin@NNIRR.org>')).toBe(
      '"NNIRR alerts" <alerts.nnirr.org>',
    );
    expect(listId('NNIRR', 'alerts', 'http://[::1]:3000', 'bulletin@nnirr.org')).toBe(
      '"NNIRR alerts" <alerts.nnirr.org>',
    );
  });

  it('writes a description outside ASCII as encoded-words and escapes quotes, never a line break', () => {
    const accented = listId('Red de Migración', 'boletin', 'https://red.example', 'a@red.example');
    expect(accented).toBe(
      `=?UTF-8?B?${Buffer.from('Red de Migración boletin').toString('base64')}?= <boletin.red.example>`,
    );
    expect(listId('Red "Sin\r\nFronteras"', 'x', 'https://red.example', 'a@red.example')).toBe(
      '"Red \\"SinFronteras\\" x" <x.red.example>',
    );
  });

  it('is just the identifier when there is nothing to describe it', () => {
    expect(listId('', null, 'https://red.example', 'a@red.example')).toBe('<all.red.example>');
  });
});
