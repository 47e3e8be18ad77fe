// The mail viewer's reading of a From header as it travels.
import { describe, expect, it } from 'vitest';
import { fromAddress } from '../../src/sending/from-address.js';
import { decodeWords } from '../../src/sending/mail-viewer.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.js';

describe('decodeWords', () => {
  it('reads back the From that Pregón writes, short or long, in any script', () => {
    for (const name of [
      'Pregón',
      'Red Nacional por los Derechos de las Personas Inmigrantes y Refugiadas — Oficina de Tucsón',
      'Сеть 移民权利',
    ]) {
      const from = fromAddress(
        { ...DEFAULT_SETTINGS, senderName: name, senderEmail: 'hola@red.example' },
        'x@example.org',
      );
      expect(decodeWords(from)).toBe(`${name} <hola@red.example>`);
    }
  });

  it('reads Q-encoded words and leaves plain text as it is', () => {
    expect(decodeWords('=?utf-8?Q?Preg=C3=B3n_bolet=C3=ADn?= <a@b.example>')).toBe('Pregón boletín <a@b.example>');
    expect(decodeWords('"NNIRR" <bulletin@nnirr.org>')).toBe('"NNIRR" <bulletin@nnirr.org>');
  });
});
