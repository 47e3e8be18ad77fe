// Where a webhook endpoint may point, in production and outside it.
import { describe, expect, it } from 'vitest';
import { endpointUrlProblem } from '../../src/webhooks/endpoint-url.js';

describe('a webhook endpoint address', () => {
  it('in production: https to a public host only', () => {
    expect(endpointUrlProblem('https://crm.example.org/hooks/pregon?key=1', true)).toBeUndefined();
    expect(endpointUrlProblem('https://203.0.113.7/hooks', true)).toBeUndefined();
    expect(endpointUrlProblem('http://crm.example.org/hooks', true)).toBe('must be an https URL');
    expect(endpointUrlProblem('http://127.0.0.1:4000/hooks', true)).toBe('must be an https URL');
    for (const host of [
      'localhost',
      '127.0.0.2',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.10',
      '169.254.169.254',
      '0.0.0.0',
      '[::1]',
      '[fd00::1]',
      '[fe80::1]',
      '[::ffff:10.0.0.1]',
      '[::]',
    ])
      expect(endpointUrlProblem(`https://${host}/hooks`, true), host).toBe('must not point into a private network');
    expect(endpointUrlProblem('https://172.32.0.1/hooks', true)).toBeUndefined();
  });

  it('outside production: https anywhere, and http to this machine for a local receiver', () => {
    expect(endpointUrlProblem('https://crm.example.org/hooks', false)).toBeUndefined();
    expect(endpointUrlProblem('http://127.0.0.1:4000/hooks', false)).toBeUndefined();
    expect(endpointUrlProblem('http://localhost:4000/hooks', false)).toBeUndefined();
    expect(endpointUrlProblem('http://[::1]:4000/hooks', false)).toBeUndefined();
    expect(endpointUrlProblem('http://crm.example.org/hooks', false)).toBe(
      'must be an https URL (or http to this machine, outside production)',
    );
    expect(endpointUrlProblem('ftp://127.0.0.1/hooks', false)).toMatch(/^must be an https URL/);
  });

  it('refuses what is not an address, or one carrying a password', () => {
    expect(endpointUrlProblem('crm.example.org/hooks', false)).toBe('must be an absolute URL');
    expect(endpointUrlProblem('https://user:secret@crm.example.org/hooks', true)).toBe(
      'must not carry a user name or password',
    );
  });
});
