// The inbox line the composer's preview draws (src/ui/bulletins/inbox-preview.ts): Gmail's sender,
// subject and preheader, with merge fields at their fallbacks, cut where Gmail cuts them.
import { describe, expect, it } from 'vitest';
import {
  computerRow,
  cutAt,
  GMAIL,
  inboxTexts,
  phoneRow,
  SEPARATOR,
  shownNote,
} from '../../src/ui/bulletins/inbox-preview.js';

const SENDER = { senderName: 'Red Nacional', senderEmail: 'boletin@example.org' };
const doc = (subject: Record<string, string>, preheader?: Record<string, string>) => ({
  languages: ['en', 'es'],
  subject,
  ...(preheader ? { preheader } : {}),
});

describe('the inbox line', () => {
  it('counts characters, not UTF-16 units, and cuts with an ellipsis, never after a space', () => {
    expect(cutAt('Sí ✊🏽 hoy', 20)).toEqual({ shown: 'Sí ✊🏽 hoy', length: 9, limit: 20, cut: false });
    expect(cutAt('Ten characters', 10)).toEqual({ shown: 'Ten charac…', length: 14, limit: 10, cut: true });
    // No ellipsis after a space: Gmail's cut never leaves one.
    expect(cutAt('Ten chars later', 10).shown).toBe('Ten chars…');
    expect(cutAt('anything', 0)).toEqual({ shown: '', length: 8, limit: 0, cut: true });
  });

  it('reads the language’s subject and preheader with each merge field at its fallback', () => {
    const texts = inboxTexts(
      doc(
        { en: 'Hello {{first_name|friend}}', es: '{{ first_name | amiga }}, ¡ya   son 100 días!' },
        { en: 'Sign today', es: 'Firma hoy,\n{{first_name}}' },
      ),
      'es',
      SENDER,
    );
    expect(texts).toEqual({
      sender: 'Red Nacional',
      subject: 'amiga, ¡ya son 100 días!',
      preheader: 'Firma hoy,',
      preheaderFromBody: false,
    });
  });

  it('falls back to the first language’s texts, and to the mail’s first text without a preheader', () => {
    const texts = inboxTexts(doc({ en: 'Hello', es: ' ' }), 'es', SENDER);
    expect(texts.subject).toBe('Hello');
    expect(texts.preheader).toBe('Ver este correo en el navegador');
    expect(texts.preheaderFromBody).toBe(true);
  });

  it('names the sender as Gmail does: the From name, else the address before its @, else none', () => {
    const subject = doc({ en: 'Hi' });
    expect(inboxTexts(subject, 'en', { senderName: ' ', senderEmail: 'news@example.org' }).sender).toBe('news');
    expect(inboxTexts(subject, 'en', { senderName: 'Ana', senderEmail: '' }).sender).toBeUndefined();
  });

  it('on a computer, gives the preheader what the subject leaves of one line', () => {
    const subject = 's'.repeat(40);
    const preheader = 'p'.repeat(100);
    const row = computerRow({ sender: 'Red Nacional por los Derechos', subject, preheader, preheaderFromBody: false });
    expect(row.sender.shown).toBe('Red Nacional por los…');
    expect(row.subject.cut).toBe(false);
    const room = GMAIL.computer.line - 40 - SEPARATOR.length;
    expect(row.preheader).toEqual({ shown: `${'p'.repeat(room)}…`, length: 100, limit: room, cut: true });
    expect(row.line).toMatchObject({ length: 143, limit: GMAIL.computer.line, cut: true });
  });

  it('on a computer, shows no preheader behind a subject that fills the line', () => {
    const row = computerRow({
      sender: 'A',
      subject: 'x'.repeat(120),
      preheader: 'Sign today',
      preheaderFromBody: false,
    });
    expect(row.subject.shown).toBe(`${'x'.repeat(GMAIL.computer.line)}…`);
    expect(row.preheader).toMatchObject({ shown: '', cut: true });
  });

  it('on a phone, cuts each text on its own line', () => {
    const row = phoneRow({
      sender: 'Red Nacional',
      subject: 'A hundred days: the petition goes to the Capitol',
      preheader: 'Sign before Friday',
      preheaderFromBody: false,
    });
    expect(row.sender.cut).toBe(false);
    expect(row.subject).toMatchObject({ length: 48, limit: GMAIL.phone.subject, cut: true });
    expect(row.subject.shown).toBe('A hundred days: the petition goes to…');
    expect(row.preheader.shown).toBe('Sign before Friday');
  });

  it('says how much of each text is shown, and where', () => {
    expect(shownNote('Subject', cutAt('x'.repeat(52), 36), 'on a phone')).toBe(
      'Subject: ~36 of 52 characters shown on a phone',
    );
    expect(shownNote('Preheader', cutAt('Sign today', 40), 'on a phone')).toBe(
      'Preheader: all 10 characters shown on a phone',
    );
  });
});
