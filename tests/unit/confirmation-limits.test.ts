import { describe, expect, it } from 'vitest';
import { mailboxOf } from '../../src/supporters/confirmation-limits.js';

describe('mailboxOf', () => {
  it('counts the variants of an address that reach one mailbox as one', () => {
    for (const email of ['victim@example.org', 'Victim@Example.org', 'victim+a@example.org', 'victim+a+b@example.org'])
      expect(mailboxOf(email), email).toEqual({ mailbox: 'victim@example.org', domain: 'example.org' });
    // Dots are part of the mailbox, except at Gmail
    expect(mailboxOf('vic.tim@example.org').mailbox).toBe('vic.tim@example.org');
    for (const email of ['vic.tim@gmail.com', 'V.I.C.T.I.M+x@gmail.com', 'victim@googlemail.com'])
      expect(mailboxOf(email), email).toEqual({ mailbox: 'victim@gmail.com', domain: 'gmail.com' });
  });
});
