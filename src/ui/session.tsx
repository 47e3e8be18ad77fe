// Who is signed in. The session lives in an httpOnly cookie; the app only keeps the staff member
// and the CSRF token the server gave with it.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { SessionAnswer, SessionStaff } from '../staff/schemas';
import { api, ApiError, setCsrfToken } from './api';

type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; setupRequired: boolean }
  | {
      status: 'signed-in';
      staff: SessionStaff;
      mailViewer?: string;
      /** Wrong passwords given for this account before this sign-in, until the person dismisses the notice. */
      failedSignIns?: number;
    };

interface SessionContext {
  state: SessionState;
  /** Takes the answer of a sign-in or setup request. */
  signedIn(answer: SessionAnswer): void;
  signOut(): Promise<void>;
  /** Replaces what the app knows of the signed-in staff member (after changing their test addresses, say). */
  update(staff: SessionStaff): void;
  /** The person has read of the wrong passwords given before they signed in. */
  dismissFailedSignIns(): void;
}

const Context = createContext<SessionContext | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    api<SessionAnswer>('GET', '/api/session')
      .then((answer) => {
        setCsrfToken(answer.csrfToken);
        setState({ status: 'signed-in', staff: answer.staff, mailViewer: answer.mailViewer });
      })
      .catch((error: unknown) => {
        const setupRequired =
          error instanceof ApiError && (error.body as { setupRequired?: boolean } | undefined)?.setupRequired === true;
        setState({ status: 'signed-out', setupRequired });
      });
  }, []);

  const signedIn = useCallback((answer: SessionAnswer) => {
    setCsrfToken(answer.csrfToken);
    setState({
      status: 'signed-in',
      staff: answer.staff,
      mailViewer: answer.mailViewer,
      failedSignIns: answer.failedSignIns,
    });
  }, []);

  const signOut = useCallback(async () => {
    await api('DELETE', '/api/session').catch(() => undefined);
    setCsrfToken(null);
    setState({ status: 'signed-out', setupRequired: false });
  }, []);

  const update = useCallback(
    (staff: SessionStaff) => setState((state) => (state.status === 'signed-in' ? { ...state, staff } : state)),
    [],
  );

  const dismissFailedSignIns = useCallback(
    () => setState((state) => (state.status === 'signed-in' ? { ...state, failedSignIns: undefined } : state)),
    [],
  );

  return (
    <Context.Provider value={{ state, signedIn, signOut, update, dismissFailedSignIns }}>{children}</Context.Provider>
  );
}

export function useSession(): SessionContext {
  const context = useContext(Context);
  if (!context) throw new Error('useSession outside SessionProvider');
  return context;
}

/** Where the development mail viewer is, when the server has one: test mail can be read there. */
export function useMailViewer(): string | undefined {
  const { state } = useSession();
  return state.status === 'signed-in' ? state.mailViewer : undefined;
}

/** The signed-in staff member; screens behind sign-in only. */
export function useStaff(): SessionStaff {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useStaff on a signed-out screen');
  return state.staff;
}
