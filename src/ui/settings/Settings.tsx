// The organisation's settings: who sends, from where, in what colours. Every bulletin reads them.
import { useEffect, useRef, useState } from 'react';
import { brandAdjustments, brandPalette } from '../../render/contrast';
import type { Settings as OrganisationSettings } from '../../settings/settings';
import { api } from '../api';
import { ErrorNotice, Field, LanguageOptions, Loading, Notice, PageHeader } from '../components';
import { submitTo, useAction, useApi } from '../hooks';
import { ReturnLink, useReturn } from '../return-link';
import { LOGO_WIDTH } from '../../media/shown-widths';
import { ImageUpload } from '../media/ImageUpload';
import { BASE, Link, useLocation, useTitle } from '../router';
import { Languages } from './Languages';
import { SubscribeFormSnippet } from './SubscribeFormSnippet';
import { WelcomeMail } from './WelcomeMail';
import './settings.css';

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
/** How wide the theme shows the logo (src/render/theme.ts), in CSS pixels: what an upload is resized for. */

export function Settings() {
  useTitle('Settings');
  const settings = useApi<OrganisationSettings>('/api/settings');
  const opener = useReturn();
  return (
    <>
      <PageHeader title="Settings" back={opener && <ReturnLink arrow />} />
      <ErrorNotice error={settings.error} title="The settings could not be loaded." />
      {!settings.data && settings.loading && <Loading label="Loading settings…" />}
      {settings.data && (
        <>
          <SettingsForm saved={settings.data} onSaved={settings.setData} />
          {/* Saved on their own, apart from the form above and its Save button. */}
          <div className="grid-2 settings-apart">
            <WelcomeMail />
            <SubscribeFormSnippet settings={settings.data} />
          </div>
        </>
      )}
    </>
  );
}

function SettingsForm({
  saved,
  onSaved,
}: {
  saved: OrganisationSettings;
  onSaved(settings: OrganisationSettings): void;
}) {
  const [draft, setDraft] = useState(saved);
  const [done, setDone] = useState(false);
  useEffect(() => setDraft(saved), [saved]);
  // Opened for one field (?field=postalAddress, from the setup checklist or a check): the cursor starts in it.
  const form = useRef<HTMLFormElement>(null);
  const focused = useLocation().query.get('field');
  useEffect(() => {
    const control = focused ? form.current?.elements.namedItem(focused) : null;
    if (control instanceof HTMLElement) control.focus();
  }, [focused]);

  const edit = <K extends keyof OrganisationSettings>(key: K, value: OrganisationSettings[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setDone(false);
  };
  // PUT merges: only what changed is sent, so two admins editing different fields both keep theirs.
  const changed = (Object.keys(draft) as (keyof OrganisationSettings)[]).filter((key) => draft[key] !== saved[key]);

  const save = useAction(async () => {
    onSaved(
      await api<OrganisationSettings>(
        'PUT',
        '/api/settings',
        Object.fromEntries(changed.map((key) => [key, draft[key]])),
      ),
    );
    setDone(true);
  });

  return (
    <form ref={form} onSubmit={submitTo(save)} className="settings-form">
      <ErrorNotice error={save.error} title="Not saved." />
      {done && (
        <Notice kind="success">
          Settings saved. <ReturnLink />
        </Notice>
      )}
      <div className="grid-2">
        <section className="card" aria-labelledby="settings-organisation">
          <h2 id="settings-organisation">Organisation</h2>
          <Field
            label="Organisation name"
            hint="Shown in the header of every bulletin and on the public pages."
            error={save.issue('organisationName')}
          >
            <input
              name="organisationName"
              required
              value={draft.organisationName}
              onChange={(e) => edit('organisationName', e.target.value)}
            />
          </Field>
          <Field
            label="Postal address"
            hint={
              'The law (CAN-SPAM) wants a physical postal address in every bulk mail: ' +
              'the pre-send checks block sending while it is empty.'
            }
            error={save.issue('postalAddress')}
          >
            <textarea
              name="postalAddress"
              rows={3}
              value={draft.postalAddress}
              onChange={(e) => edit('postalAddress', e.target.value)}
            />
          </Field>
          <Field
            label="Default language"
            hint={
              "The public pages use it when a visitor's language is not known; its words stand in for a " +
              'language without words of its own (pages, mail footer, confirmation mail).'
            }
            error={save.issue('defaultLanguage')}
          >
            <select
              name="defaultLanguage"
              value={draft.defaultLanguage}
              onChange={(e) => edit('defaultLanguage', e.target.value)}
            >
              <LanguageOptions languages={draft.languages} current={draft.defaultLanguage} />
            </select>
          </Field>
        </section>
        <section className="card" aria-labelledby="settings-sender">
          <h2 id="settings-sender">Sender</h2>
          <Field label="From name" hint="The name subscribers see as the sender." error={save.issue('senderName')}>
            <input name="senderName" value={draft.senderName} onChange={(e) => edit('senderName', e.target.value)} />
          </Field>
          <Field
            label="From address"
            hint="An address of a domain verified in Amazon SES; empty for the server's MAIL_FROM."
            error={save.issue('senderEmail')}
          >
            <input
              name="senderEmail"
              type="email"
              value={draft.senderEmail}
              onChange={(e) => edit('senderEmail', e.target.value)}
            />
          </Field>
          <Field
            label="Reply-to address"
            hint="Where replies go; empty for the from address."
            error={save.issue('replyTo')}
          >
            <input
              name="replyTo"
              type="email"
              value={draft.replyTo}
              onChange={(e) => edit('replyTo', e.target.value)}
            />
          </Field>
        </section>
        <section className="card" aria-labelledby="settings-look">
          <h2 id="settings-look">Look</h2>
          <ImageUpload
            name="Logo URL"
            address={draft.logoUrl}
            width={LOGO_WIDTH}
            onChosen={(item) => edit('logoUrl', item.url)}
          >
            <Field
              label="Logo URL"
              hint={
                'An https address of an image, or the image itself (uploaded or chosen from the media library), ' +
                `shown ${LOGO_WIDTH} pixels wide at the top of every bulletin.`
              }
              error={save.issue('logoUrl')}
            >
              <input
                name="logoUrl"
                type="url"
                value={draft.logoUrl}
                placeholder="https://"
                onChange={(e) => edit('logoUrl', e.target.value)}
              />
            </Field>
          </ImageUpload>
          <LogoPreview url={draft.logoUrl} />
          <div className="settings-colour">
            <input
              type="color"
              aria-label="Pick the brand colour"
              value={HEX_COLOUR.test(draft.brandColor) ? draft.brandColor.toLowerCase() : '#000000'}
              onChange={(e) => edit('brandColor', e.target.value)}
            />
            <Field
              label="Brand colour"
              hint="Buttons and links in bulletins and on the public pages."
              error={save.issue('brandColor')}
            >
              <input
                name="brandColor"
                className="settings-hex"
                value={draft.brandColor}
                maxLength={7}
                spellCheck={false}
                onChange={(e) => edit('brandColor', e.target.value)}
              />
            </Field>
          </div>
          {HEX_COLOUR.test(draft.brandColor) && <BrandSample colour={draft.brandColor} />}
        </section>
        <section className="card" aria-labelledby="settings-wording">
          <h2 id="settings-wording">Wording</h2>
          <p>
            The words readers see outside the bulletin, in each language: the mail's footer, the confirmation mail and
            the public pages. Each has a default you can replace with your own.
          </p>
          <p>
            <Link to={`${BASE}/settings/wording`}>Edit the wording</Link>
          </p>
        </section>
        <section className="card" aria-labelledby="settings-approval">
          <h2 id="settings-approval">Approval before big sends</h2>
          <p>
            A writer’s send always waits for the approval of another editor or admin. Sends to more people than the
            threshold below wait for it too, whoever sends them.
          </p>
          <Field
            label="Approval threshold"
            hint="A number of people; empty for none (the default)."
            error={save.issue('approvalThreshold')}
          >
            <input
              name="approvalThreshold"
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              value={draft.approvalThreshold ?? ''}
              onChange={(e) => edit('approvalThreshold', e.target.value === '' ? null : Number(e.target.value))}
            />
          </Field>
        </section>
        <section className="card" aria-labelledby="settings-webhooks">
          <h2 id="settings-webhooks">Webhooks</h2>
          <p>
            Send events to your CRM or another program as they happen: who subscribed, unsubscribed or was erased, which
            sends started and ended.
          </p>
          <p>
            <Link to={`${BASE}/settings/webhooks`}>Webhooks — send events to your CRM</Link>
          </p>
        </section>
      </div>
      <Languages
        value={draft}
        onChange={({ languages, locales }) => {
          edit('languages', languages);
          edit('locales', locales);
        }}
        issue={save.issue}
      />
      <div className="settings-actions">
        <button type="submit" className="button-primary" disabled={save.busy || changed.length === 0}>
          {save.busy ? 'Saving…' : 'Save settings'}
        </button>
        {changed.length > 0 && (
          <button
            type="button"
            className="button-quiet"
            onClick={() => {
              setDraft(saved);
              save.setError(undefined);
            }}
          >
            Discard changes
          </button>
        )}
      </div>
    </form>
  );
}

function LogoPreview({ url }: { url: string }) {
  const [failed, setFailed] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new URL is a new image to try
  useEffect(() => setFailed(false), [url]);
  if (!url.startsWith('https://')) return null;
  return (
    <figure className="settings-logo">
      {failed ? (
        <p className="muted">The image at this address could not be loaded.</p>
      ) : (
        <img src={url} alt="Logo preview" onError={() => setFailed(true)} />
      )}
      <figcaption className="visually-hidden">Logo preview</figcaption>
    </figure>
  );
}

/** A button and a link as bulletins draw them in `colour`, and what the theme changed to keep them readable. */
function BrandSample({ colour }: { colour: string }) {
  const palette = brandPalette(colour);
  const adjustments = brandAdjustments(colour);
  return (
    <div className="settings-sample">
      <span className="settings-sample-button" style={{ background: palette.button, color: palette.label }}>
        Read more
      </span>{' '}
      <span className="settings-sample-link" style={{ color: palette.link }}>
        Read more →
      </span>
      {adjustments.length > 0 && (
        <p className="field-error" role="status">
          This colour is hard to read: {adjustments.join('; ')}. Pick a darker colour (4.5:1 or more) to have bulletins
          show it as it is.
        </p>
      )}
    </div>
  );
}
