// The rich text editor's link dialog (src/ui/bulletins/link-address.ts): which addresses it takes
// and how it says where each goes.
import { describe, expect, it } from 'vitest';
import { readLinkAddress } from '../../src/ui/bulletins/link-address.js';

describe('an address typed in the link dialog', () => {
  it('is taken when https with a host, and said by its host', () => {
    expect(readLinkAddress(' https://www.nnirr.org/events?x=1 ')).toEqual({
      href: 'https://www.nnirr.org/events?x=1',
      goesTo: 'www.nnirr.org',
    });
  });

  it('is taken as a mail link, said by the address', () => {
    expect(readLinkAddress('mailto:info@nnirr.org?subject=Hi')).toEqual({
      href: 'mailto:info@nnirr.org?subject=Hi',
      goesTo: 'an email to info@nnirr.org',
    });
  });

  it('is taken as a merge field that is a link', () => {
    expect(readLinkAddress('{{view_url}}')).toEqual({
      href: '{{view_url}}',
      goesTo: 'each reader’s own view_url link',
    });
  });

  it('is refused with the reason when it is not https or mailto, or not whole', () => {
    const error = (input: string) => (readLinkAddress(input) as { error: string }).error;
    expect(error('')).toMatch(/Enter an address/);
    expect(error('javascript:alert(1)')).toBe('“javascript:alert(1)” is not an https or mailto link');
    expect(error('http://nnirr.org')).toBe('“http://nnirr.org” is not https; links in a bulletin must be https');
    expect(error('nnirr.org/events')).toBe('“nnirr.org/events” is not a whole address; it needs https:// in front');
    expect(error('info@nnirr.org')).toBe('To link an email address, write mailto:info@nnirr.org');
    expect(error('https://')).toBe('“https://” has no address after https://');
    expect(error('https://localhost/a')).toBe('“https://localhost/a” has no address after https://');
    expect(error('mailto:')).toBe('“mailto:” has no email address after mailto:');
  });
});
