import { describe, expect, it } from 'vitest';
import { loggedPath } from '../../src/http/logged-path.js';

describe('loggedPath', () => {
  it('reads the segment after each signed link word as [token], whatever its case or escapes', () => {
    expect(loggedPath('/preferences/abc.def?lang=es')).toBe('/preferences/[token]');
    expect(loggedPath('/Preferences/abc.def')).toBe('/Preferences/[token]');
    expect(loggedPath('/UNSUBSCRIBE/abc.def')).toBe('/UNSUBSCRIBE/[token]');
    expect(loggedPath('/C/abc.def')).toBe('/C/[token]');
    expect(loggedPath('//preferences/abc.def')).toBe('//preferences/[token]');
    expect(loggedPath('/%70references/abc.def')).toBe('/%70references/[token]');
    expect(loggedPath('/confirm%2Fabc.def/resend')).toBe('/confirm/[token]/resend');
    expect(loggedPath('/x/confirm/abc.def')).toBe('/x/confirm/[token]');
    expect(loggedPath('/%E0%A4%A/c/abc.def')).toBe('/%E0%A4%A/c/[token]');
  });

  it('leaves every other path as it was, without its query string', () => {
    expect(loggedPath('/api/subscribers/3?email=a@b.org')).toBe('/api/subscribers/3');
    expect(loggedPath('/archive/12-weekly')).toBe('/archive/12-weekly');
    expect(loggedPath('/')).toBe('/');
  });
});
