// The few words the bulletin theme writes itself, per language; English is the fallback.
export interface ThemeStrings {
  viewInBrowser: string;
  preferences: string;
  unsubscribe: string;
  /** {topic}, {organisation} */
  whyTopic: string;
  /** {organisation} */
  whyGeneral: string;
  /** The archive copy's call, instead of "why": {organisation} */
  subscribeCall: string;
  subscribe: string;
  /** {current}, {target}, {unit} */
  progress: string;
  /** {target}, {unit} */
  goal: string;
  contact: string;
}

const STRINGS: Record<string, ThemeStrings> = {
  en: {
    viewInBrowser: 'View this email in your browser',
    preferences: 'Manage your preferences',
    unsubscribe: 'Unsubscribe',
    whyTopic: 'You receive this email because you subscribed to {topic} from {organisation}.',
    whyGeneral: 'You receive this email because you subscribed to news from {organisation}.',
    subscribeCall: 'Receive the next bulletins of {organisation} by email.',
    subscribe: 'Subscribe',
    progress: '{current} of {target} {unit}',
    goal: 'Goal: {target} {unit}',
    contact: 'Contact',
  },
  es: {
    viewInBrowser: 'Ver este correo en el navegador',
    preferences: 'Gestionar tus preferencias',
    unsubscribe: 'Darte de baja',
    whyTopic: 'Recibes este correo porque te suscribiste a {topic} de {organisation}.',
    whyGeneral: 'Recibes este correo porque te suscribiste a las noticias de {organisation}.',
    subscribeCall: 'Recibe por correo los próximos boletines de {organisation}.',
    subscribe: 'Suscríbete',
    progress: '{current} de {target} {unit}',
    goal: 'Meta: {target} {unit}',
    contact: 'Contacto',
  },
};

export function themeStrings(language: string): ThemeStrings {
  return STRINGS[language] ?? STRINGS[language.split('-')[0]!] ?? STRINGS.en!;
}

/** Arabic, Persian, Urdu, Hebrew and Pashto are written right to left, in every region. */
const RIGHT_TO_LEFT = new Set(['ar', 'fa', 'ur', 'he', 'ps']);

export function textDirection(language: string): 'rtl' | 'ltr' {
  return RIGHT_TO_LEFT.has(language.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}

/** Fills {name} slots; the values are already escaped for where the text goes. */
export function format(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '').replace(/\s+$/, '');
}

/**
 * "15,000 of 62,500 refugee admissions", or "Goal: 62,500 …" without a current figure; plain text.
 * The words are `language`'s, the numbers `locale`'s: "15,000 de 62,500" in es-US, "15.000 de 62.500" in es-ES.
 */
export function goalLine(
  goal: { target: number; current?: number | undefined },
  unit: string,
  language: string,
  locale = language,
): string {
  // Spanish leaves four-digit numbers ungrouped by default; a goal reads better grouped always.
  const number = new Intl.NumberFormat(locale, { useGrouping: 'always' } as unknown as Intl.NumberFormatOptions);
  const strings = themeStrings(language);
  const target = number.format(goal.target);
  return goal.current === undefined
    ? format(strings.goal, { target, unit })
    : format(strings.progress, { current: number.format(goal.current), target, unit });
}
