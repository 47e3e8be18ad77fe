// The subscribe form's fields: how a post is read and checked, and what is shown again beside
// the errors. The router reads it; the view draws it.
import { z } from 'zod';
import { normaliseLanguage } from '../audience/languages.js';
import { Email } from '../audience/schemas.js';
import { LanguageChoice } from './language.js';

export const NAME_MAX = 200;
/** A field no person sees: only a bot fills it in. */
export const HONEYPOT = 'website';

export type Field = 'email' | 'name' | 'language' | 'topics';
export const FIELDS: readonly Field[] = ['email', 'name', 'language', 'topics'];

/** A repeated form field arrives as an array, a single one as a string, an unticked one not at all. */
const oneOrMany = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : [value].flat()));

/** `languages`: the organisation's, the ones the form offers. */
export function subscribeForm(publicTopics: ReadonlySet<string>, languages: readonly string[]) {
  return z.object({
    email: Email,
    name: z.string().trim().max(NAME_MAX).default(''),
    language: LanguageChoice(languages),
    // None ticked is every public topic, as the form says: someone confirmed into no topic would
    // be left out of every bulletin that has one.
    topics: oneOrMany.pipe(
      z
        .array(z.string())
        .max(100)
        .refine((keys) => keys.every((key) => publicTopics.has(key)))
        .transform((keys) => (keys.length ? keys : [...publicTopics])),
    ),
  });
}

export interface FormState {
  values: { email: string; name: string; language: string; topics: readonly string[] };
  errors: readonly Field[];
}

/** What the person typed, to show again beside the errors. */
export function submitted(body: Record<string, unknown>): FormState['values'] {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    email: text(body.email),
    name: text(body.name),
    language: normaliseLanguage(text(body.language)),
    topics: [body.topics].flat().filter((t): t is string => typeof t === 'string'),
  };
}
