// The real render of the last saved version, as subscribers get it, in each of the bulletin's
// languages: its line in the inbox, the HTML in a frame at desktop or mobile width (as sent, in a
// client's dark mode, or with images blocked), or the plain-text part.
import { useEffect, useId, useRef, useState } from 'react';
import { api } from '../api';
import { ErrorNotice, languageName, Loading } from '../components';
import { InboxPreview } from './InboxPreview';
import { PreviewReader } from './PreviewReader';
import { Toggle } from './Toggle';

type Show = 'inbox' | 'mail' | 'text';
type Width = 'desktop' | 'mobile';
type Look = 'as-sent' | 'dark' | 'images-off';

/** The preview route's options for each look (GET /api/bulletins/:id/preview). */
const LOOK_QUERY: Record<Look, string> = { 'as-sent': '', dark: '&scheme=dark', 'images-off': '&images=off' };
const LOOK_TITLE: Record<Look, string> = { 'as-sent': '', dark: ', dark mode', 'images-off': ', images off' };

export function PreviewPane({
  id,
  bulletinId,
  version,
  versionId,
  languages,
  forSomeReaders,
}: {
  id?: string;
  bulletinId: number;
  version: number;
  versionId: number;
  languages: string[];
  /** The saved version has blocks for some readers: the preview may show them as one reader gets them. */
  forSomeReaders: boolean;
}) {
  const headingId = useId();
  const [show, setShow] = useState<Show>('mail');
  const [width, setWidth] = useState<Width>('desktop');
  const [look, setLook] = useState<Look>('as-sent');
  const [chosen, setLanguage] = useState(languages[0]!);
  const [readerQuery, setReaderQuery] = useState('');
  const language = languages.includes(chosen) ? chosen : languages[0]!;
  // The version in the address: each save gives a new address, and an old answer is never shown.
  const base =
    `/api/bulletins/${bulletinId}/preview?lang=${encodeURIComponent(language)}&versionId=${versionId}` +
    (forSomeReaders ? readerQuery : '');
  const htmlUrl = `${base}&format=html${LOOK_QUERY[look]}`;
  const textUrl = `${base}&format=text`;

  return (
    <section className="card preview" id={id} aria-labelledby={headingId}>
      <div className="preview-header">
        <h2 id={headingId}>Preview</h2>
        {show !== 'inbox' && (
          <a href={show === 'text' ? textUrl : htmlUrl} target="_blank" rel="noreferrer" className="button-small">
            Open in a new tab
          </a>
        )}
      </div>
      <p className="muted side-note">Version {version}, as subscribers will get it.</p>
      <div className="preview-controls">
        <Toggle
          label="Language"
          value={language}
          onChange={setLanguage}
          options={languages.map((l) => [l, languageName(l)])}
        />
        <Toggle<Show>
          label="Show"
          value={show}
          onChange={setShow}
          options={[
            ['inbox', 'Inbox'],
            ['mail', 'Mail'],
            ['text', 'Plain text'],
          ]}
        />
        {show === 'mail' && (
          <>
            <Toggle<Width>
              label="Width"
              value={width}
              onChange={setWidth}
              options={[
                ['desktop', 'Desktop'],
                ['mobile', 'Mobile'],
              ]}
            />
            <Toggle<Look>
              label="Look"
              value={look}
              onChange={setLook}
              options={[
                ['as-sent', 'As sent'],
                ['dark', 'Dark mode'],
                ['images-off', 'Images off'],
              ]}
            />
          </>
        )}
      </div>
      {forSomeReaders && show !== 'inbox' && <PreviewReader onChange={setReaderQuery} />}
      {show === 'inbox' && <InboxPreview bulletinId={bulletinId} versionId={versionId} language={language} />}
      {show === 'mail' && (
        <HtmlPreview
          src={htmlUrl}
          width={width}
          title={`Preview: ${languageName(language)}, ${width} width${LOOK_TITLE[look]}`}
        />
      )}
      {show === 'text' && <TextPreview url={textUrl} language={language} />}
    </section>
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
