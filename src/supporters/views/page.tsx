// The frame of every public page: the organisation's name and colour, the reader's language,
// readable without JavaScript, and one look for the forms' controls (fields, choices, buttons).
import type { ReactNode } from 'react';
import { brandPalette } from '../../render/contrast.js';
import { textDirection } from '../../render/strings.js';
import type { PageContext } from '../page-context.js';

export function Page(props: {
  context: Pick<PageContext, 'settings' | 'lang'>;
  /** Before the organisation's name in the browser's tab. */
  title: string;
  /** What else the head links to (the archive's feeds). */
  head?: ReactNode;
  children: ReactNode;
}) {
  const { settings, lang } = props.context;
  return (
    // Left to right is the default: said only when it is not.
    <html lang={lang} dir={textDirection(lang) === 'rtl' ? 'rtl' : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} · ${settings.organisationName}`}</title>
        {/* The only style sheet, in the page: helmet's CSP allows inline styles, never scripts. */}
        <style>{styleSheet(settings.brandColor)}</style>
        {props.head}
      </head>
      <body>
        <header>
          <p>{settings.organisationName}</p>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** A heading and one paragraph: too many attempts, a new link sent, a link that does not work. */
export function NoticePage(props: { context: PageContext; title: string; text: string }) {
  return (
    <Page context={props.context} title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
    </Page>
  );
}

/**
 * `brand` is a #rrggbb colour: the settings' schema admits nothing else. Its colours come from the
 * bulletin's palette, so a light brand gets a dark label and darker links here too (4.5:1).
 */
function styleSheet(brand: string): string {
  const { link, button, label } = brandPalette(brand);
  return `
  :root { color-scheme: light dark; }
  body {
    margin: 0; font: 17px/1.6 -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;
    background: #f3efe9; color: #1d1b19;
  }
  header { background: ${button}; color: ${label}; padding: 20px 24px; }
  header p { margin: 0; font-weight: 800; font-size: 20px; }
  main { max-width: 560px; margin: 32px auto; padding: 28px 24px; background: #fff; }
  h1 { font-size: 26px; line-height: 1.25; margin: 0 0 12px; }
  h2 { font-size: 20px; line-height: 1.3; margin: 28px 0 8px; }
  button {
    font: inherit; font-weight: 700; color: ${label}; background: ${button}; border: 0; border-radius: 6px;
    padding: 12px 24px; min-height: 48px; cursor: pointer;
  }
  button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible {
    outline: 3px solid #1d1b19; outline-offset: 2px;
  }
  a { color: ${link}; }
  fieldset { border: 0; padding: 0; margin: 24px 0; min-width: 0; }
  legend, .field > label { font-weight: 700; }
  legend { font-size: 19px; padding: 0; }
  fieldset:target legend {
    text-decoration: underline; text-decoration-color: ${link}; text-decoration-thickness: 3px;
  }
  .hint { margin: 0 0 8px; color: #5b5650; }
  input[type=email], input[type=text], select {
    box-sizing: border-box; width: 100%; min-height: 48px; font: inherit; color: inherit; background: #fff;
    padding: 10px 12px; border: 2px solid #6b6560; border-radius: 6px;
  }
  .choice {
    display: flex; gap: 12px; align-items: flex-start; margin: 8px 0; padding: 12px 14px;
    border: 2px solid #d9d2c7; border-radius: 8px; cursor: pointer;
  }
  .choice:has(input:checked) { border-color: ${link}; background: #fbf7f3; }
  .choice input {
    flex: none; width: 22px; height: 22px; margin: 2px 0 0; accent-color: ${link}; cursor: pointer;
  }
  .choice .hint { display: block; margin: 0; }
  .other-ways { padding-inline-start: 22px; }
  @media (prefers-color-scheme: dark) {
    body { background: #161412; color: #f1ece6; }
    main { background: #24211e; }
    a { color: #ff9c8f; }
    button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible { outline-color: #f1ece6; }
    .hint { color: #c9c2b9; }
    input[type=email], input[type=text], select { background: #161412; border-color: #a39b91; }
    .choice { border-color: #4a443e; }
    .choice:has(input:checked) { border-color: #ff9c8f; background: #302a26; }
  }
`;
}
