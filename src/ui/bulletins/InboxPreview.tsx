// The saved version as a line in Gmail's inbox, on a computer and on a phone, with how much of
// each text shows (src/ui/bulletins/inbox-preview.ts has the figures).
import type { Settings } from '../../settings/settings';
import { ErrorNotice, languageName, Loading } from '../components';
import { useApi } from '../hooks';
import { type Cut, computerRow, inboxTexts, phoneRow, shownNote } from './inbox-preview';
import type { BulletinVersion } from './model';

export function InboxPreview({
  bulletinId,
  versionId,
  language,
}: {
  bulletinId: number;
  versionId: number;
  language: string;
}) {
  const version = useApi<BulletinVersion>(`/api/bulletins/${bulletinId}/versions/${versionId}`);
  const settings = useApi<Settings>('/api/settings');
  const error = version.error ?? settings.error;
  if (error) return <ErrorNotice error={error} title="The inbox preview could not be made." />;
  if (!version.data || !settings.data) return <Loading label="Loading the inbox line…" />;

  const texts = inboxTexts(version.data.document, language, settings.data);
  const computer = computerRow(texts);
  const phone = phoneRow(texts);
  const sender = (cut: Cut) =>
    texts.sender === undefined ? <span className="inbox-missing">(the server’s MAIL_FROM)</span> : <Shown cut={cut} />;

  return (
    <section className="inbox-preview" aria-label={`Inbox in ${languageName(language)}`} lang={language}>
      <h3>Gmail on a computer</h3>
      <div className="inbox inbox-computer" data-testid="inbox-computer">
        <span className="inbox-sender">{sender(computer.sender)}</span>
        <span className="inbox-line">
          <strong className="inbox-subject">
            <Shown cut={computer.subject} />
          </strong>
          {computer.preheader.shown && (
            <span className="inbox-preheader">
              {' - '}
              <Shown cut={computer.preheader} />
            </span>
          )}
        </span>
      </div>
      <h3>Gmail on a phone</h3>
      <div className="inbox inbox-phone" data-testid="inbox-phone">
        <span className="inbox-avatar" aria-hidden="true">
          {[...(texts.sender ?? '?')][0]!.toUpperCase()}
        </span>
        <span className="inbox-phone-texts">
          <span className="inbox-sender">{sender(phone.sender)}</span>
          <strong className="inbox-subject">
            <Shown cut={phone.subject} />
          </strong>
          <span className="inbox-preheader">
            <Shown cut={phone.preheader} />
          </span>
        </span>
      </div>
      <ul className="inbox-notes" lang="en">
        <li>{shownNote('Subject and preheader', computer.line, 'on a computer, in one line')}</li>
        <li>{shownNote('Subject', phone.subject, 'on a phone')}</li>
        <li>{shownNote('Preheader', phone.preheader, 'on a phone')}</li>
        {texts.sender !== undefined && <li>{shownNote('Sender', phone.sender, 'on a phone')}</li>}
        {texts.preheaderFromBody && (
          <li>No preheader: inboxes show the mail’s first text after the subject instead.</li>
        )}
        {texts.sender === undefined && (
          <li>No sender address in Settings: the server’s MAIL_FROM sends, under its own name.</li>
        )}
      </ul>
    </section>
  );
}

/** The text as shown; where it is cut, a marked ellipsis that a screen reader names. */
function Shown({ cut }: { cut: Cut }) {
  if (!cut.cut) return <>{cut.shown}</>;
  return (
    <>
      {cut.shown.slice(0, -1)}
      <span className="inbox-cut" title={`Cut here: ${cut.length} characters, ~${cut.limit} shown`}>
        <span aria-hidden="true">…</span>
        <span className="visually-hidden"> (cut here)</span>
      </span>
    </>
  );
}
