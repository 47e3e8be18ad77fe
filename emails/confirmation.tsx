// The double opt-in mail: one button to the confirmation page, in the subscriber's words (the
// words catalogue's, with the organisation's overrides), as HTML and plain text. React escapes
// every value it is given.
import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
} from '@react-email/components';
// Only this package's render: @react-email/components re-exports an older one.
import { render, toPlainText } from '@react-email/render';
import { Fragment } from 'react';
import { brandPalette } from '../src/render/contrast.js';
import { fillSlots, wordsFor, wordsLanguage, type WordsSource } from '../src/words/catalogue.js';

export interface ConfirmationInput extends Partial<WordsSource> {
  /**
   * The subscriber's language; one without words gets the default language's (`defaultLanguage`,
   * English when left out), as a public page would.
   */
  language: string;
  organisationName: string;
  /** May be empty: a transactional mail does not need it, but shows it when there is one. */
  postalAddress: string;
  brandColor: string;
  /** The signed link to the confirmation page. */
  confirmUrl: string;
}

export interface ConfirmationEmail {
  subject: string;
  html: string;
  text: string;
}

/** The mail's words and the language they are in. */
function confirmationWords(input: ConfirmationInput) {
  const source = { defaultLanguage: input.defaultLanguage ?? 'en', wording: input.wording };
  return { lang: wordsLanguage(input.language, source), w: wordsFor(input.language, source).confirmation };
}

export function ConfirmationMail(props: ConfirmationInput) {
  const { lang, w } = confirmationWords(props);
  const organisation = { organisation: props.organisationName };
  // The bulletin's colours for this brand: a light brand gets a dark label (4.5:1 or better).
  const { button, label } = brandPalette(props.brandColor);
  return (
    <Html lang={lang}>
      <Head>
        <title>{w.subject}</title>
        <style>{OUTLOOK_WIDTH}</style>
      </Head>
      <Preview>{fillSlots(w.preview, organisation)}</Preview>
      <Body
        style={{
          backgroundColor: '#f3efe9',
          fontFamily: "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
          margin: 0,
        }}
      >
        <Container className="paper" style={{ maxWidth: '560px', margin: '0 auto', backgroundColor: '#ffffff' }}>
          <Section style={{ backgroundColor: button, padding: '20px 24px' }}>
            <Text style={{ color: label, fontSize: '20px', fontWeight: 800, margin: 0 }}>{props.organisationName}</Text>
          </Section>
          <Section style={{ padding: '28px 24px' }}>
            <Heading as="h1" style={{ fontSize: '26px', lineHeight: '1.25', margin: '0 0 12px', color: '#1d1b19' }}>
              {w.subject}
            </Heading>
            <Text style={paragraph}>{fillSlots(w.asked, organisation)}</Text>
            <Button
              href={props.confirmUrl}
              style={{
                backgroundColor: button,
                color: label,
                fontWeight: 700,
                fontSize: '17px',
                borderRadius: '6px',
                padding: '12px 24px',
              }}
            >
              {w.button}
            </Button>
            <Text style={paragraph}>{w.expiry}</Text>
            <Text style={paragraph}>{w.notYou}</Text>
            <Hr />
            <Text style={small}>
              {w.copy}{' '}
              <Link href={props.confirmUrl} style={copiedLink}>
                {breakable(props.confirmUrl)}
              </Link>
            </Text>
            {props.postalAddress ? (
              <Text style={small}>{`${props.organisationName} · ${props.postalAddress}`}</Text>
            ) : null}
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

const paragraph = { fontSize: '17px', lineHeight: '1.6', color: '#1d1b19' };
const small = { fontSize: '14px', lineHeight: '1.5', color: '#5c5650' };
/**
 * Outlook 2007–2016 ignore max-width, so the mail would fill the reading pane: they read this
 * width from <style> and ignore the media query that gives every other client its fluid width back.
 */
const OUTLOOK_WIDTH = '.paper { width: 560px; } @media screen { .paper { width: 100% !important; } }';

/**
 * The link written out is one long word: without a break rule it widens the mail past a phone's
 * screen (overflow-wrap would be no help: caniemail finds no mail client that supports it).
 * Underlined, in the text's own colour (7:1 on white; react-email's blue is 3.97:1).
 */
const copiedLink = { color: '#5c5650', textDecoration: 'underline', wordBreak: 'break-all' } as const;

/**
 * Yahoo ignores word-break, so the link also gets a break point (<wbr>, which adds no character to
 * what is copied) every 20 characters; Gmail's apps ignore <wbr> and break it by word-break instead.
 */
function breakable(url: string) {
  const starts = Array.from({ length: Math.ceil(url.length / 20) }, (_, n) => n * 20);
  return starts.map((start) => (
    <Fragment key={start}>
      {start > 0 && <wbr />}
      {url.slice(start, start + 20)}
    </Fragment>
  ));
}

/** Renders the mail once; the text part is made from the same HTML. */
export async function confirmationEmail(input: ConfirmationInput): Promise<ConfirmationEmail> {
  const html = await render(<ConfirmationMail {...input} />);
  return { subject: confirmationWords(input).w.subject, html, text: toPlainText(html) };
}
