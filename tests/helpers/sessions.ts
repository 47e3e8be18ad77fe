// Staff signed in through the API, as the web app does: the session cookie and the CSRF token.
import type { StaffRole } from '../../src/db/schema.js';
import type { TestApp } from './app.js';

export const STAFF_PASSWORD = 'a long enough passphrase';

export interface StaffSession {
  /** "pregon_session=…", for a Cookie header. */
  cookie: string;
  csrfToken: string;
  staff: { id: number; email: string; role: string; testAddresses: string[] };
  /** Headers for a request in this session; a change needs the CSRF token too. */
  headers(options?: { csrf?: boolean }): Record<string, string>;
}

/** Creates the account (unless it exists) and signs in through POST /api/session. */
export async function signIn(
  app: TestApp,
  email: string,
  role: StaffRole = 'admin',
  password = STAFF_PASSWORD,
): Promise<StaffSession> {
  if (!(await app.stores.staff.findForSignIn(email))) await app.stores.staff.createUser({ email, password, role });
  const res = await app.request('POST', '/api/session', { token: null, json: { email, password } });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { staff: StaffSession['staff']; csrfToken: string };
  return session(sessionCookie(res)!, body.csrfToken, body.staff);
}

export function session(cookie: string, csrfToken: string, staff: StaffSession['staff']): StaffSession {
  return {
    cookie,
    csrfToken,
    staff,
    headers: ({ csrf = true } = {}) => ({ cookie, ...(csrf ? { 'x-csrf-token': csrfToken } : {}) }),
  };
}

/** The Set-Cookie of the session cookie, whole (with its attributes). */
export function setSessionCookie(res: Response): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith('pregon_session='));
}

/** "pregon_session=…" as a browser would send it back. */
export function sessionCookie(res: Response): string | undefined {
  return setSessionCookie(res)?.split(';')[0];
}
