// The staff web app: the frame (navigation, who is signed in) and which screen each path shows.
import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { roleAtLeast } from '../db/schema';
import type { StaffRole } from '../staff/schemas';
import { Loading, Notice, PageHeader } from './components';
import { BASE, Link, matchPath, Redirect, useLocation } from './router';
import { useSession, useStaff } from './session';
import { SignIn } from './SignIn';
import { Setup } from './Setup';
import { Home } from './setup/Home';
import { BulletinList } from './bulletins/BulletinList';
import { Library } from './library/Library';
import { MediaLibrary } from './media/MediaLibrary';
import { CampaignList } from './campaigns/CampaignList';
import { CampaignPage } from './campaigns/CampaignPage';
import { SendBulletin } from './campaigns/SendBulletin';
import { ImportSubscribers } from './subscribers/ImportSubscribers';
import { SubscriberList } from './subscribers/SubscriberList';
import { SubscriberPage } from './subscribers/SubscriberPage';
import { Topics } from './subscribers/Topics';
import { AuditTrail } from './audit/AuditTrail';
import { ApiTokens } from './settings/ApiTokens';
import { Settings } from './settings/Settings';
import { StaffAccounts } from './settings/StaffAccounts';
import { Webhooks } from './settings/Webhooks';
import { Wording } from './settings/Wording';

// The composer carries the rich text editor (TipTap, ProseMirror) and the Markdown lexer: loaded
// when a bulletin is opened, not with every screen.
const Composer = lazy(() => import('./bulletins/Composer').then((module) => ({ default: module.Composer })));

function ComposerScreen({ id }: { id: number }) {
  return (
    <Suspense fallback={<Loading />}>
      <Composer id={id} />
    </Suspense>
  );
}

interface Screen {
  pattern: string;
  role: StaffRole;
  render(params: Record<string, string>): ReactNode;
}

const SCREENS: Screen[] = [
  { pattern: '', role: 'writer', render: () => <Home /> },
  { pattern: '/bulletins', role: 'writer', render: () => <BulletinList /> },
  { pattern: '/bulletins/:id', role: 'writer', render: (p) => <ComposerScreen id={Number(p.id)} /> },
  // A writer sees why they cannot send (it needs an editor) rather than a form that fails at the end.
  { pattern: '/bulletins/:id/send', role: 'writer', render: (p) => <SendBulletin id={Number(p.id)} /> },
  { pattern: '/library', role: 'writer', render: () => <Library /> },
  { pattern: '/media', role: 'writer', render: () => <MediaLibrary /> },
  { pattern: '/campaigns', role: 'editor', render: () => <CampaignList /> },
  { pattern: '/campaigns/:id', role: 'editor', render: (p) => <CampaignPage id={Number(p.id)} /> },
  { pattern: '/subscribers', role: 'editor', render: () => <SubscriberList /> },
  { pattern: '/subscribers/import', role: 'editor', render: () => <ImportSubscribers /> },
  { pattern: '/subscribers/:id', role: 'editor', render: (p) => <SubscriberPage id={Number(p.id)} /> },
  { pattern: '/topics', role: 'editor', render: () => <Topics /> },
  { pattern: '/settings', role: 'admin', render: () => <Settings /> },
  { pattern: '/settings/wording', role: 'admin', render: () => <Wording /> },
  { pattern: '/settings/webhooks', role: 'admin', render: () => <Webhooks /> },
  { pattern: '/staff', role: 'admin', render: () => <StaffAccounts /> },
  { pattern: '/tokens', role: 'admin', render: () => <ApiTokens /> },
  { pattern: '/audit', role: 'admin', render: () => <AuditTrail /> },
];

export function App() {
  const { state } = useSession();
  const { path } = useLocation();

  if (state.status === 'loading') return null;
  if (state.status === 'signed-out') {
    if (path === `${BASE}/setup`) return <Setup />;
    if (path === `${BASE}/signin`) return <SignIn setupRequired={state.setupRequired} />;
    const next = path.startsWith(BASE) && path !== BASE ? `?next=${encodeURIComponent(path)}` : '';
    return <Redirect to={`${BASE}/${state.setupRequired ? 'setup' : `signin${next}`}`} />;
  }
  if (path === `${BASE}/signin` || path === `${BASE}/setup`) return <Redirect to={BASE} />;
  return (
    <Frame>
      <CurrentScreen path={path} />
    </Frame>
  );
}

function CurrentScreen({ path }: { path: string }) {
  const staff = useStaff();
  for (const screen of SCREENS) {
    const params = matchPath(BASE + screen.pattern, path);
    if (!params) continue;
    if (!roleAtLeast(staff.role, screen.role)) {
      return <PageHeader title={screen.role === 'admin' ? 'Admins only' : 'Editors and admins only'} />;
    }
    return <>{screen.render(params)}</>;
  }
  return <PageHeader title="Nothing here" back={<Link to={`${BASE}/bulletins`}>Back to bulletins</Link>} />;
}

const NAV: { to: string; label: string; role: StaffRole }[] = [
  { to: '/bulletins', label: 'Bulletins', role: 'writer' },
  { to: '/library', label: 'Library', role: 'writer' },
  { to: '/media', label: 'Media', role: 'writer' },
  { to: '/campaigns', label: 'Sends', role: 'editor' },
  { to: '/subscribers', label: 'Subscribers', role: 'editor' },
  { to: '/topics', label: 'Topics', role: 'editor' },
  { to: '/settings', label: 'Settings', role: 'admin' },
  { to: '/staff', label: 'Staff', role: 'admin' },
  { to: '/tokens', label: 'API tokens', role: 'admin' },
  { to: '/audit', label: 'Audit', role: 'admin' },
];

/**
 * The top bar. On a narrow window the links and who is signed in fold behind a menu button in the
 * navigation (closed at first; a link, Escape or going elsewhere closes it); on a wide one they are
 * always shown and the button is not.
 */
function Frame({ children }: { children: ReactNode }) {
  const staff = useStaff();
  const { signOut } = useSession();
  const { path } = useLocation();
  // The path the menu was opened on: going anywhere else closes it, with no effect to run.
  const [openOn, setOpenOn] = useState<string>();
  const open = openOn === path;
  const close = () => setOpenOn(undefined);
  const menuButton = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      // Focus inside the menu would vanish with it: it goes back to the button.
      if (menu.current?.contains(document.activeElement)) menuButton.current?.focus();
      setOpenOn(undefined);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <div className="frame">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <Link className="brand" to={BASE}>
          Pregón
        </Link>
        <nav aria-label="Main">
          <button
            ref={menuButton}
            type="button"
            className="menu-button"
            aria-expanded={open}
            aria-controls="top-menu"
            onClick={() => setOpenOn(open ? undefined : path)}
          >
            <span className="menu-icon" aria-hidden="true" />
            Menu
          </button>
          <div id="top-menu" ref={menu} className={open ? 'top-menu top-menu-open' : 'top-menu'}>
            <ul>
              {NAV.filter((item) => roleAtLeast(staff.role, item.role)).map((item) => {
                const current = path === BASE + item.to || path.startsWith(`${BASE + item.to}/`);
                return (
                  <li key={item.to}>
                    {/* Closes the menu also when the link is to the screen already shown. */}
                    <Link to={BASE + item.to} aria-current={current ? 'page' : undefined} onClick={close}>
                      {item.label}
                    </Link>
                  </li>
                );
              })}
              {staff.role === 'admin' && (
                <li>
                  <a href={`${BASE}/queues`}>Queues</a>
                </li>
              )}
            </ul>
            <div className="who">
              <span>{staff.email}</span>
              <button type="button" className="button-quiet" onClick={() => void signOut()}>
                Sign out
              </button>
            </div>
          </div>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <FailedSignInsNotice />
        {children}
      </main>
    </div>
  );
}

/** Told once, on signing in: the wrong passwords someone gave for this account since the last sign-in. */
function FailedSignInsNotice() {
  const { state, dismissFailedSignIns } = useSession();
  const count = state.status === 'signed-in' ? state.failedSignIns : undefined;
  if (!count) return null;
  return (
    <Notice kind="warning">
      <p>
        {count === 1 ? 'A wrong password was' : `${count} wrong passwords were`} given for your account since you last
        signed in. If that was not you, tell an admin; your password keeps the account safe as long as no one can guess
        it.
      </p>
      <button type="button" className="button-small" onClick={dismissFailedSignIns}>
        Dismiss
      </button>
    </Notice>
  );
}
