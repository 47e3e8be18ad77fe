// The theme's language helpers: which way a language is written, and the goal line. The words
// themselves are in the words catalogue (src/words), with the organisation's overrides.
import { fillSlots, type Words } from '../words/catalogue.js';

/** Arabic, Persian, Urdu, Hebrew and Pashto are written right to left, in every region. */
const RIGHT_TO_LEFT = new Set(['ar', 'fa', 'ur', 'he', 'ps']);

export function textDirection(language: string): 'rtl' | 'ltr' {
  return RIGHT_TO_LEFT.has(language.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}

/**
 * "15,000 of 62,500 refugee admissions", or "Goal: 62,500 …" without a current figure; plain text.
 * The words are the reader's language's (with the organisation's overrides), the numbers `locale`'s
 * (the settings' for that language): "15,000 de 62,500" in es-US, "15.000 de 62.500" in es-ES.
 */
export function goalLine(
  goal: { target: number; current?: number | undefined },
  unit: string,
  words: Words['bulletin'],
  locale: string,
): string {
  // Spanish leaves four-digit numbers ungrouped by default; a goal reads better grouped always.
  const number = new Intl.NumberFormat(locale, { useGrouping: 'always' } as unknown as Intl.NumberFormatOptions);
  const target = number.format(goal.target);
  return goal.current === undefined
    ? fillSlots(words.goal, { target, unit })
    : fillSlots(words.progress, { current: number.format(goal.current), target, unit });
}
