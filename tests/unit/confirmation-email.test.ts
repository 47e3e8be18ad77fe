// The double opt-in mail, rendered without sending.
import { describe, expect, it } from 'vitest';
import { confirmationEmail } from '../../emails/confirmation.js';

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

  it('is in Spanish for a Spanish reader, whatever the region', async () => {
    for (const language of ['es', 'es-MX']) {
      const mail = await confirmationEmail({ ...input, language });
      expect(mail.subject).toBe('Confirma tu suscripción');
      expect(mail.html).toContain('lang="es"');
      expect(mail.text).toContain('Confirmar mi suscripción');
      expect(mail.text).toContain('El enlace funciona durante 7 días.');
    }
  });

  it('escapes the organisation name in the HTML and leaves it readable in the text', async () => {
    const mail = await confirmationEmail({ ...input, language: 'en' });
    expect(mail.html).not.toContain('<de>');
    expect(mail.html).toContain('Red &lt;de&gt;');
    expect(mail.text).toContain('Red <de> "Derechos" & Co');
  });

  it('leaves out the postal address line when there is none', async () => {
    const mail = await confirmationEmail({ ...input, postalAddress: '', language: 'en' });
    expect(mail.text).not.toContain(' · ');
  });
});
