// The subscribe form for the organisation's own website: a plain HTML form, in one of its
// languages and offering the public topics an admin chose, that posts to POST /subscribe as the
// form at GET /subscribe does. Settings shows it to copy (GET /api/settings/subscribe-form).
import { z } from 'zod';
import { LanguageCode, TopicKey } from '../audience/schemas.js';
import type { TopicStore } from '../audience/topic-store.js';
import { AppError, type Issue } from '../errors.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { wordsFor, wordsLanguage } from '../words/catalogue.js';
import { EmbeddedForm } from './views/embed-form.js';
import { renderFragment } from './views/render-page.js';

export const EmbedFormQuery = z.strictObject({
  language: LanguageCode.describe("One of the organisation's languages: the form's words and the emails'"),
  topics: z
    .string()
    .max(6500)
    .default('')
    .transform((keys) => keys.split(',').filter(Boolean))
    .pipe(z.array(TopicKey).max(100))
    .describe('Public topics to offer, by key, comma-separated; none: no choice, and every public topic'),
});
export type EmbedFormQuery = z.infer<typeof EmbedFormQuery>;

export const EmbedFormSnippet = z.object({
  html: z.string().describe('The form, to paste into a page of the website'),
});

export class EmbedForm {
  constructor(private readonly deps: { topics: TopicStore; settings: SettingsStore; publicUrl: string }) {}

  /** The form's HTML; refuses a language the organisation does not write in and a topic that is not public. */
  async snippet(query: EmbedFormQuery): Promise<z.infer<typeof EmbedFormSnippet>> {
    const settings = await this.deps.settings.get();
    const issues: Issue[] = [];
    if (!settings.languages.includes(query.language))
      issues.push({ path: 'language', message: "must be one of the organisation's languages" });
    const offered = (await this.deps.topics.list()).filter((topic) => topic.public && query.topics.includes(topic.key));
    if (offered.length < new Set(query.topics).size)
      issues.push({ path: 'topics', message: 'must name public topics only' });
    if (issues.length) throw AppError.invalid(issues);
    const form = (
      <EmbeddedForm
        action={`${this.deps.publicUrl}/subscribe?lang=${encodeURIComponent(query.language)}`}
        language={query.language}
        wordsLanguage={wordsLanguage(query.language, settings)}
        words={wordsFor(query.language, settings).subscribe}
        topics={offered}
      />
    );
    // One element a line, so that whoever pastes it can read and adjust it.
    return { html: `${renderFragment(form).replace(/></g, '>\n<')}\n` };
  }
}
