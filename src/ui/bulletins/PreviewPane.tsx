// The real render of the last saved version, as subscribers get it: HTML in a frame at desktop or
// mobile width, or the plain-text part, in each of the bulletin's languages.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { api } from '../api';
import { ErrorNotice, languageName, Loading } from '../components';

type Width = 'desktop' | 'mobile';
type Format = 'html' | 'text';

export function PreviewPane({
  id,
  bulletinId,
  version,
  versionId,
  languages,
}: {
  id?: string;
  bulletinId: number;
  version: number;
  versionId: number;
  languages: string[];
}) {
  const headingId = useId();
  const [width, setWidth] = useState<Width>('desktop');
  const [format, setFormat] = useState<Format>('html');
  const [chosen, setLanguage] = useState(languages[0]!);
  const language = languages.includes(chosen) ? chosen : languages[0]!;
  // The version in the address: each save gives a new address, and an old answer is never shown.
  const url = (kind: Format) =>
    `/api/bulletins/${bulletinId}/preview?lang=${encodeURIComponent(language)}&format=${kind}&versionId=${versionId}`;

  return (
    <section className="card preview" id={id} aria-labelledby={headingId}>
      <div className="preview-header">
        <h2 id={headingId}>Preview</h2>
        <a href={url(format)} target="_blank" rel="noreferrer" className="button-small">
          Open in a new tab
        </a>
      </div>
      <p className="muted side-note">Version {version}, as subscribers will get it.</p>
      <div className="preview-controls">
        <Toggle
          label="Language"
          value={language}
          onChange={setLanguage}
          options={languages.map((l) => [l, languageName(l)])}
        />
        <Toggle<Format>
          label="Part"
          value={format}
          onChange={setFormat}
          options={[
            ['html', 'HTML'],
            ['text', 'Plain text'],
          ]}
        />
        {format === 'html' && (
          <Toggle<Width>
            label="Width"
            value={width}
            onChange={setWidth}
            options={[
              ['desktop', 'Desktop'],
              ['mobile', 'Mobile'],
            ]}
          />
        )}
      </div>
      {format === 'html' ? (
        <HtmlPreview src={url('html')} width={width} title={`Preview: ${languageName(language)}, ${width} width`} />
      ) : (
        <TextPreview url={url('text')} language={language} />
      )}
    </section>
  );
}

/** A row of radio buttons that looks like a segmented switch. */
function Toggle<T extends string>({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: T;
  onChange(value: T): void;
  options: [T, ReactNode][];
}) {
  const name = useId();
  return (
    <fieldset className="toggle">
      <legend>{label}</legend>
      {options.map(([option, text]) => (
        <label key={option} className={option === value ? 'is-checked' : undefined}>
          <input type="radio" name={name} value={option} checked={option === value} onChange={() => onChange(option)} />
          {text}
        </label>
      ))}
    </fieldset>
  );
}

function HtmlPreview({ src, width, title }: { src: string; width: Width; title: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const observer = useRef<ResizeObserver>(null);
  const [height, setHeight] = useState(900);
  // The frame grows with its content (it is same-origin, with scripts off), so the page has one
  // scroll bar; the observer follows a change of width and images that arrive late.
  const onLoad = () => {
    const body = frame.current?.contentDocument?.body;
    observer.current?.disconnect();
    if (!body) return;
    observer.current = new ResizeObserver(() => setHeight(body.scrollHeight));
    observer.current.observe(body);
  };
  useEffect(() => () => observer.current?.disconnect(), []);
  return (
    <div className={`preview-frame preview-${width}`}>
      <iframe
        ref={frame}
        src={src}
        title={title}
        sandbox="allow-same-origin allow-popups"
        style={{ height }}
        onLoad={onLoad}
      />
    </div>
  );
}

function TextPreview({ url, language }: { url: string; language: string }) {
  const [text, setText] = useState<string>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const controller = new AbortController();
    api<string>('GET', url, undefined, { signal: controller.signal })
      .then((answer) => {
        setText(answer);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e);
      });
    return () => controller.abort();
  }, [url]);
  if (error) return <ErrorNotice error={error} title="The preview could not be made." />;
  if (text === undefined) return <Loading label="Rendering…" />;
  return (
    <section aria-label={`Plain text in ${languageName(language)}`}>
      <pre className="preview-text" lang={language}>
        {text}
      </pre>
    </section>
  );
}
