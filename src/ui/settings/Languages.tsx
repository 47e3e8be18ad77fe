// The organisation's languages and the locale each writes its numbers and dates in: the composer,
// the subscribe form and the preference page offer these languages.
import { useId, useState } from 'react';
import { NAMED_LANGUAGES, normaliseLanguage } from '../../audience/languages';
import { textDirection } from '../../render/strings';
import type { Settings } from '../../settings/settings';
import { FieldNotes, languageName } from '../components';

type LanguageSettings = Pick<Settings, 'languages' | 'locales'>;

/** What a sample goal and date look like in `locale`; undefined when Intl does not know it. */
function sample(locale: string): string | undefined {
  try {
    const number = new Intl.NumberFormat(locale).format(62500);
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(Date.UTC(2026, 11, 4, 12)));
    return `${number} · ${date}`;
  } catch {
    return undefined;
  }
}

export function Languages({
  value,
  onChange,
  issue,
}: {
  value: LanguageSettings;
  onChange(value: LanguageSettings): void;
  /** The server's message about a path of the settings ("languages[2]", "locales.es"). */
  issue(path: string): string | undefined;
}) {
  const { languages, locales } = value;
  const [adding, setAdding] = useState('');
  const id = useId();
  const code = normaliseLanguage(adding);
  const add = () => {
    if (!code || languages.includes(code)) return;
    onChange({ languages: [...languages, code], locales });
    setAdding('');
  };
  const remove = (language: string) => {
    const { [language]: _removed, ...rest } = locales;
    onChange({ languages: languages.filter((l) => l !== language), locales: rest });
  };
  const setLocale = (language: string, locale: string) => {
    const { [language]: _old, ...rest } = locales;
    onChange({ languages, locales: locale.trim() ? { ...rest, [language]: locale } : rest });
  };

  return (
    <section className="card settings-languages" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Languages</h2>
      <p className="field-hint">
        The languages new bulletins are written in (the first is their fallback), and that the subscribe form and the
        preference page offer. Subscribers of another language keep it. Each language writes its numbers and dates as
        its locale does: es-US writes 62,500, es-ES 62.500.
      </p>
      <FieldNotes error={issue('languages')} />
      <table className="settings-language-table">
        <thead>
          <tr>
            <th scope="col">Language</th>
            <th scope="col">Locale for numbers and dates</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {languages.map((language, i) => {
            const locale = locales[language] ?? '';
            const shown = sample(locale || language);
            const error =
              issue(`locales.${language}`) ??
              issue(`languages[${i}]`) ??
              (shown ? undefined : 'is not a locale: try en-US, es-US or es-ES');
            const notes = `${id}-${language}`;
            return (
              <tr key={language}>
                <th scope="row">
                  {languageName(language)} <span className="muted">({language})</span>
                  {textDirection(language) === 'rtl' && <span className="muted"> · right to left</span>}
                </th>
                <td>
                  <input
                    name={`locale-${language}`}
                    aria-label={`Locale for ${languageName(language)}`}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${notes}-error` : `${notes}-hint`}
                    value={locale}
                    placeholder={language}
                    spellCheck={false}
                    onChange={(e) => setLocale(language, e.target.value)}
                  />
                  <FieldNotes
                    hint={
                      shown && (
                        <span lang={locale || language} dir={textDirection(language)}>
                          {shown}
                        </span>
                      )
                    }
                    hintId={`${notes}-hint`}
                    error={error}
                    errorId={`${notes}-error`}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="button-quiet button-small button-danger"
                    disabled={languages.length === 1}
                    onClick={() => remove(language)}
                  >
                    Remove {languageName(language)}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="settings-language-add">
        <label htmlFor={`${id}-add`}>Add a language</label>
        <input
          id={`${id}-add`}
          list={`${id}-names`}
          value={adding}
          placeholder="ar, pt-BR or a name"
          spellCheck={false}
          onChange={(e) => setAdding(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            add();
          }}
        />
        <datalist id={`${id}-names`}>
          {NAMED_LANGUAGES.filter((l) => !languages.includes(l.code)).map((l) => (
            <option key={l.code} value={l.code}>
              {l.english}
            </option>
          ))}
        </datalist>
        <button type="button" className="button-small" onClick={add} disabled={!code || languages.includes(code)}>
          Add {code && !languages.includes(code) ? languageName(code) : 'language'}
        </button>
      </div>
    </section>
  );
}
