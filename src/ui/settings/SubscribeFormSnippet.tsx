// "Subscribe form for your website": the HTML of a subscribe form in one of the organisation's
// languages, offering the public topics chosen, to copy into a page of the website. The server
// writes it (GET /api/settings/subscribe-form), with the field names the real form posts.
import { useId, useRef, useState } from 'react';
import type { Topic } from '../../audience/schemas';
import type { Settings } from '../../settings/settings';
import { ErrorNotice, Field, LanguageOptions, Loading } from '../components';
import { useApi } from '../hooks';
import { TopicChoices } from '../subscribers/fields';

export function SubscribeFormSnippet({ settings }: { settings: Settings }) {
  const id = useId();
  const topics = useApi<{ data: Topic[] }>('/api/topics');
  const offerable = topics.data?.data.filter((topic) => topic.public) ?? [];
  const [asked, setAsked] = useState(settings.defaultLanguage);
  // A language removed from the settings since it was chosen is no longer one to offer.
  const language = settings.languages.includes(asked) ? asked : settings.defaultLanguage;
  // Until the admin chooses, every public topic.
  const [chosen, setChosen] = useState<string[]>();
  const offered = offerable.map((topic) => topic.key).filter((key) => !chosen || chosen.includes(key));
  const query = new URLSearchParams({ language, topics: offered.join(',') });
  const snippet = useApi<{ html: string }>(topics.data ? `/api/settings/subscribe-form?${query}` : null);

  const textarea = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<boolean>();
  const copy = async () => {
    textarea.current?.select();
    try {
      await navigator.clipboard.writeText(snippet.data?.html ?? '');
      setCopied(true);
    } catch {
      // The clipboard needs a secure context and permission; the text is selected for Ctrl+C.
      setCopied(false);
    }
  };

  return (
    <section className="card settings-snippet" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Subscribe form for your website</h2>
      <p className="field-hint">
        Paste this HTML into a page of your website: it posts to Pregón’s own subscribe form, which sends the
        confirmation mail. It has no script or style of its own; your website’s styles apply to it.
      </p>
      <ErrorNotice error={topics.error} title="The topics could not be loaded." />
      <div className="settings-snippet-choices">
        <Field label="Language" hint="Of the form’s words, the answer page and the emails.">
          <select
            name="snippetLanguage"
            value={language}
            onChange={(e) => {
              setAsked(e.target.value);
              setCopied(undefined);
            }}
          >
            <LanguageOptions languages={settings.languages} />
          </select>
        </Field>
        {topics.data &&
          (offerable.length ? (
            <TopicChoices
              topics={offerable}
              selected={offered}
              onChange={(keys) => {
                setChosen(keys);
                setCopied(undefined);
              }}
            />
          ) : (
            <p className="muted">No topic is public: the form subscribes people to bulletins without a topic.</p>
          ))}
      </div>
      {offerable.length > 0 && offered.length === 0 && (
        <p className="field-hint">
          None chosen: the form offers no choice, and subscribes people to every public topic.
        </p>
      )}
      <ErrorNotice error={snippet.error} title="The form could not be written." />
      {!snippet.data && snippet.loading && <Loading label="Writing the form…" />}
      {snippet.data && (
        <>
          <Field label="HTML of the form">
            <textarea
              ref={textarea}
              className="settings-snippet-html"
              readOnly
              rows={14}
              spellCheck={false}
              value={snippet.data.html}
              onFocus={(e) => e.target.select()}
            />
          </Field>
          <div className="settings-snippet-copy">
            <button type="button" onClick={() => void copy()}>
              Copy HTML
            </button>
            <p role="status" className="admin-copied">
              {copied === true && 'Copied to the clipboard.'}
              {copied === false &&
                'The browser did not allow copying: the HTML is selected, press Ctrl+C (⌘C on a Mac).'}
            </p>
          </div>
        </>
      )}
    </section>
  );
}
