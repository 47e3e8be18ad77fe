// The double opt-in mail, rendered without sending.
import { describe, expect, it } from 'vitest';
import { confirmationEmail } from '../../emails/confirmation.js';
import { contrast } from '../../src/render/contrast.js';

const input = {
  organisationName: 'Red <de> "Derechos" & Co',
  postalAddress: '310 8th Street, Oakland, CA',
  brandColor: '#b3261e',
  confirmUrl: 'https://news.example.org/confirm/MTo5.abc_-',
};

describe('the confirmation mail', () => {
  it('is in English, with the link as a button in the HTML and written out in the text', async () => {
    const mail = await confirmationEmail({ ...input, language: 'en' });
    expect(mail.subject).toBe('Confirm your subscription');
    expect(mail.html).toContain('lang="en"');
    expect(mail.html).toContain(`href="${input.confirmUrl}"`);
    expect(mail.html).toContain('Confirm my subscription');
    expect(mail.text).toContain('Confirm my subscription');
    expect(mail.text).toContain(input.confirmUrl);
    expect(mail.text).toContain('The link works for 7 days.');
    expect(mail.text).toContain('310 8th Street, Oakland, CA');
  });

  it('is in the default language for a reader whose language has no words, with the wording', async () => {
    const wording = { es: { confirmation: { button: 'Sí, quiero recibirlos' } } };
    const mail = await confirmationEmail({ ...input, language: 'pt-BR', defaultLanguage: 'es', wording });
    expect(mail.subject).toBe('Confirme su suscripción');
    expect(mail.html).toContain('lang="es"');
    expect(mail.text).toContain('Sí, quiero recibirlos');
    expect((await confirmationEmail({ ...input, language: 'pt-BR' })).subject).toBe('Confirm your subscription');
  });

  it('is in Spanish for a Spanish reader, whatever the region', async () => {
    for (const language of ['es', 'es-MX']) {
      const mail = await confirmationEmail({ ...input, language });
      expect(mail.subject).toBe('Confirme su suscripción');
      expect(mail.html).toContain('lang="es"');
      expect(mail.text).toContain('Confirmar mi suscripción');
      expect(mail.text).toContain('El enlace es válido durante 7 días.');
    }
  });

  it('pads its hidden preview line, hidden without a colour trick, and keeps the padding out of the text', async () => {
    const mail = await confirmationEmail({ ...input, language: 'en' });
    // react-email's Preview: the teaser, then invisible characters filling the inbox's preview line.
    const [, style, padding] = /<div style="([^"]*)"[^>]*>One click to start[^<]*<div>([^<]*)<\/div>/.exec(mail.html)!;
    expect(style).toContain('display:none');
    expect(style).not.toMatch(/(^|;)\s*(color|background(-color)?)\s*:/);
    expect(padding!.replace(/[\s\u200b-\u200f\ufeff]/g, '')).toBe('');
    expect(padding!.length).toBeGreaterThanOrEqual(50);
    expect(mail.text).not.toContain('One click to start');
    expect(mail.text).not.toMatch(/[\u200b-\u200f\ufeff]/);
  });

  it('escapes the organisation name in the HTML and leaves it readable in the text', async () => {
    const mail = await confirmationEmail({ ...input, language: 'en' });
    expect(mail.html).not.toContain('<de>');
    expect(mail.html).toContain('Red &lt;de&gt;');
    expect(mail.text).toContain('Red <de> "Derechos" & Co');
  });

  it('has a title; writes the link out underlined, readable (≥ 4.5:1 on white) and breakable on a phone', async () => {
    for (const language of ['en', 'es']) {
      const mail = await confirmationEmail({ ...input, language });
      expect(mail.html).toContain(`<title>${mail.subject}</title>`);
      const link = new RegExp(`<a href="${input.confirmUrl}" style="([^"]*)"[^>]*>([^<]*(?:<wbr/>[^<]*)*)</a>`).exec(
        mail.html,
      );
      expect(link, 'the link written out').not.toBeNull();
      // Break points for Yahoo, which ignores word-break: none adds a character to what is copied.
      expect(link![2]).toContain('<wbr/>');
      expect(link![2]!.replaceAll('<wbr/>', '')).toBe(input.confirmUrl);
      const css = link![1]!;
      const style = Object.fromEntries(css.split(';').map((rule) => rule.split(':') as [string, string]));
      // The last text-decoration wins: react-email writes text-decoration-line:none before it.
      expect(css).toMatch(/text-decoration:underline(;|$)/);
      expect(css.lastIndexOf('text-decoration:underline')).toBeGreaterThan(css.lastIndexOf('text-decoration-line'));
      expect(contrast(style.color!, '#ffffff')).toBeGreaterThanOrEqual(4.5);
      expect(style['word-break']).toBe('break-all');
    }
  });

  it('keeps the masthead and the button readable on a light brand colour (≥ 4.5:1)', async () => {
    const mail = await confirmationEmail({ ...input, brandColor: '#f2b705', language: 'en' });
    const colour = (css: string, property: string) => new RegExp(`(?:^|;)${property}:(#[0-9a-f]{6})`).exec(css)?.[1];
    // The masthead: a section with the brand behind the organisation's name.
    const [, section, name] = /style="([^"]*background-color:#f2b705[^"]*)"><tbody><tr><td><p style="([^"]*)"/.exec(
      mail.html,
    )!;
    expect(contrast(colour(name!, 'color')!, colour(section!, 'background-color')!)).toBeGreaterThanOrEqual(4.5);
    const [, button] = /<a href="[^"]*" style="([^"]*)"[^>]*>(?:(?!<\/a>).)*Confirm my subscription/s.exec(mail.html)!;
    expect(contrast(colour(button!, 'color')!, colour(button!, 'background-color')!)).toBeGreaterThanOrEqual(4.5);
  });

  it('is 560 px wide in Outlook, which ignores max-width, and fluid up to 560 px elsewhere', async () => {
    const mail = await confirmationEmail({ ...input, language: 'en' });
    const [, css] = /<head>.*<style>([^<]*)<\/style>.*<\/head>/.exec(mail.html) ?? [];
    expect(css).toMatch(/^\.paper \{ width: 560px; \} @media screen \{ \.paper \{ width: 100% !important; \} \}$/);
    expect(mail.html).toMatch(/<table[^>]* class="paper"[^>]*style="max-width:560px;/);
  });

  it('leaves out the postal address line when there is none', async () => {
    const mail = await confirmationEmail({ ...input, postalAddress: '', language: 'en' });
    expect(mail.text).not.toContain(' · ');
  });
});
