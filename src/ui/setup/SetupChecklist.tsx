// First run's six steps, each done or not, each a click from the screen where it is done; those
// screens offer the way back here (see return-link.tsx).
import { roleAtLeast } from '../../db/schema';
import type { ReactNode } from 'react';
import type { SetupChecklist as Checklist, SetupStep } from '../../setup/schemas';
import { api } from '../api';
import type { Bulletin } from '../bulletins/model';
import { emptyBulletin } from '../bulletins/BulletinList';
import { ErrorNotice, Notice, PageHeader, useOrganisationLanguages } from '../components';
import { useAction } from '../hooks';
import { settingsField, withReturn } from '../return-link';
import { BASE, Link, navigate, useTitle } from '../router';
import { useStaff } from '../session';
import './setup.css';

interface StepText {
  title: string;
  why: string;
}

const STEPS: Record<SetupStep, StepText> = {
  organisation: {
    title: 'Your organisation and its postal address',
    why: 'The name heads every bulletin and public page. The law (CAN-SPAM) wants a postal address in every bulk mail.',
  },
  sender: {
    title: 'Who the bulletins come from',
    why: 'The from name and address people see in their inbox; the address of a domain verified in Amazon SES.',
  },
  topic: {
    title: 'A topic',
    why: 'What people subscribe to: a weekly bulletin, action alerts. Each bulletin goes out under one.',
  },
  subscribers: {
    title: 'Someone to send to',
    why:
      'Import people who have consented, or put the subscribe form on your website: ' +
      'someone who confirms from it counts too.',
  },
  bulletin: {
    title: 'A first bulletin',
    why: 'Written in English and Spanish side by side; it saves as you type.',
  },
  test_send: {
    title: 'A test send',
    why: 'A copy in each language to your own inbox, to read it as subscribers will before anyone else does.',
  },
};

export function SetupChecklist({ checklist, from }: { checklist: Checklist; from: string }) {
  useTitle('Setup checklist');
  const { role } = useStaff();
  const admin = role === 'admin';
  const done = checklist.steps.filter((s) => s.done).length;
  const next = checklist.steps.find((s) => !s.done)?.step;
  const languages = useOrganisationLanguages();
  const start = useAction(async () => {
    const bulletin = await api<Bulletin>('POST', '/api/bulletins', emptyBulletin(languages));
    navigate(withReturn(`${BASE}/bulletins/${bulletin.id}`, from));
  });
  /** What only admins may do: the links for them, who to ask for anyone else. */
  const forAdmins = (links: ReactNode, instead = 'An admin does this in Settings.') =>
    admin ? links : <span className="muted">{instead}</span>;

  const ways: Record<SetupStep, ReactNode> = {
    organisation: forAdmins(
      <>
        <Link to={settingsField('organisationName', from)}>Organisation name</Link>
        <Link to={settingsField('postalAddress', from)}>Postal address</Link>
      </>,
    ),
    sender: forAdmins(
      <>
        <Link to={settingsField('senderName', from)}>From name</Link>
        <Link to={settingsField('senderEmail', from)}>From address</Link>
      </>,
    ),
    topic: forAdmins(<Link to={withReturn(`${BASE}/topics`, from)}>Topics</Link>, 'An admin adds topics.'),
    subscribers: roleAtLeast(role, 'editor') ? (
      <>
        <Link to={withReturn(`${BASE}/subscribers/import`, from)}>Import subscribers</Link>
        <a href="/subscribe">The subscribe form</a>
      </>
    ) : (
      <span className="muted">An editor imports subscribers.</span>
    ),
    bulletin: (
      <button type="button" className="button-small" onClick={() => void start.run()} disabled={start.busy}>
        New bulletin
      </button>
    ),
    test_send:
      checklist.latestBulletinId === null ? (
        <span className="muted">Once there is a bulletin.</span>
      ) : (
        <Link to={withReturn(`${BASE}/bulletins/${checklist.latestBulletinId}`, from, { test: '' })}>
          Send a test of the latest bulletin
        </Link>
      ),
  };

  return (
    <>
      <PageHeader title="Setup checklist">
        <Link to={`${BASE}/bulletins`}>Go to the bulletins</Link>
      </PageHeader>
      <div className="setup">
        {checklist.done ? (
          <Notice kind="success">Everything is set up: home shows the bulletins again.</Notice>
        ) : (
          <p className="setup-intro">
            Six steps before the first real bulletin goes out. Each link opens the place where it is done, with a way
            back here. This list is home until every step is done.
          </p>
        )}
        <p className="setup-count">
          {done} of {checklist.steps.length} done
        </p>
        <ErrorNotice error={start.error} title="The bulletin was not made." />
        <ol className="setup-steps">
          {checklist.steps.map(({ step, done }, i) => (
            <li key={step} className={`card setup-step ${done ? 'is-done' : ''} ${step === next ? 'is-next' : ''}`}>
              <span className="setup-mark" aria-hidden="true">
                {done ? '✓' : i + 1}
              </span>
              <div className="setup-body">
                <h2>
                  {STEPS[step].title}{' '}
                  <span className={`badge ${done ? 'badge-ok' : 'badge-pending'}`}>{done ? 'Done' : 'Not done'}</span>
                </h2>
                <p className="muted">{STEPS[step].why}</p>
                <p className="setup-ways">{ways[step]}</p>
              </div>
            </li>
          ))}
        </ol>
      </div>
    </>
  );
}
