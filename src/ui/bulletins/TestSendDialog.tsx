// Test copies of the saved bulletin to staff inboxes, in every language or one; the addresses are
// remembered for next time.
import { useState } from 'react';
import { roleAtLeast } from '../../db/schema';
import type { TestSendAnswer } from '../../sending/schemas';
import { api, ApiError } from '../api';
import { Dialog, ErrorNotice, Field, languageName, Notice } from '../components';
import { submitTo, useAction } from '../hooks';
import { useMailViewer, useSession, useStaff } from '../session';

const MAX_ADDRESSES = 10;
/** The language choice that sends every language's copy: the request then names no `lang`. */
const ALL_LANGUAGES = '';

export function TestSendDialog({
  open,
  onClose,
  bulletinId,
  languages,
}: {
  open: boolean;
  onClose(): void;
  bulletinId: number;
  languages: string[];
}) {
  const staff = useStaff();
  const { update } = useSession();
  const mailViewer = useMailViewer();
  const [addresses, setAddresses] = useState(() =>
    (staff.testAddresses.length ? staff.testAddresses : [staff.email]).join('\n'),
  );
  const [language, setLanguage] = useState(ALL_LANGUAGES);
  const [sent, setSent] = useState<TestSendAnswer['sent']>();
  const list = addresses.split(/[\s,;]+/).filter(Boolean);
  // A language the bulletin no longer has (removed since the dialog was last open) means all again.
  const lang = languages.includes(language) ? language : ALL_LANGUAGES;

  const remember = async () => {
    const remembered = await api<{ testAddresses: string[] }>('PUT', '/api/me/test-addresses', { addresses: list });
    update({ ...staff, testAddresses: remembered.testAddresses });
  };
  // A writer's copies go only to their own addresses, which these become by being saved first.
  const writer = !roleAtLeast(staff.role, 'editor');
  const send = useAction(async () => {
    setSent(undefined);
    if (writer) await remember();
    const answer = await api<TestSendAnswer>('POST', `/api/bulletins/${bulletinId}/test`, {
      to: list,
      ...(lang === ALL_LANGUAGES ? {} : { lang }),
    });
    setSent(answer.sent);
    if (!writer) await remember();
  });
  const close = () => {
    setSent(undefined);
    send.setError(undefined);
    onClose();
  };

  return (
    <Dialog open={open} title="Send a test" onClose={close}>
      <form onSubmit={submitTo(send)}>
        <p className="muted">
          Test copies show the saved version, each subject marked with its language: [TEST EN], [TEST ES]. They go only
          to the addresses below.
        </p>
        <Field
          label="Test addresses"
          hint={`One per line, up to ${MAX_ADDRESSES}; remembered for your next test${
            writer ? ', and the only ones besides your sign-in address your tests may go to' : ''
          }`}
          error={
            list.length > MAX_ADDRESSES
              ? `That is ${list.length} addresses; at most ${MAX_ADDRESSES}.`
              : addressIssues(send.error, list)
          }
        >
          <textarea
            rows={4}
            value={addresses}
            onChange={(event) => setAddresses(event.target.value)}
            autoComplete="email"
            spellCheck={false}
          />
        </Field>
        {languages.length > 1 && (
          <Field label="Language">
            <select value={lang} onChange={(event) => setLanguage(event.target.value)}>
              <option value={ALL_LANGUAGES}>All languages</option>
              {languages.map((l) => (
                <option key={l} value={l}>
                  {languageName(l)}
                </option>
              ))}
            </select>
          </Field>
        )}
        {!addressIssues(send.error, list) && <ErrorNotice error={send.error} title="The test was not sent." />}
        {sent && (
          <Notice kind="success">
            {sentSummary(sent)}
            {mailViewer && (
              <>
                {' '}
                Here in development it went to the local SES emulator:{' '}
                <a href={mailViewer} target="_blank" rel="noreferrer">
                  read it in the mail viewer
                </a>
                .
              </>
            )}
          </Notice>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            {sent ? 'Done' : 'Cancel'}
          </button>
          <button
            type="submit"
            className="button-primary"
            disabled={send.busy || list.length === 0 || list.length > MAX_ADDRESSES}
          >
            {send.busy ? 'Sending…' : 'Send test'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The server names a bad address by its place in the list ("to[1]"); say which one it is. */
function addressIssues(error: unknown, list: string[]): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const messages = error.issues.flatMap((issue) => {
    const item = /^(?:to|addresses)\[(\d+)\]$/.exec(issue.path);
    if (item) return [`${list[Number(item[1])] ?? `Address ${Number(item[1]) + 1}`}: ${issue.message}`];
    return issue.path === 'to' || issue.path === 'addresses' ? [issue.message] : [];
  });
  return messages.length ? messages.join('; ') : undefined;
}

/** "Sent 2 copies (EN, ES) to ana@example.org": what the server says went out. */
function sentSummary(sent: TestSendAnswer['sent']): string {
  const languages = [...new Set(sent.map((copy) => copy.lang.toUpperCase()))];
  const addresses = [...new Set(sent.map((copy) => copy.to))];
  const copies = sent.length === 1 ? '1 copy' : `${sent.length} copies`;
  return `Sent ${copies} (${languages.join(', ')}) to ${addresses.join(', ')}.`;
}
