// First run: the first admin account, guarded by the one-time code `npm start` printed.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from './api';
import { ErrorNotice, Field } from './components';
import { BASE, navigate, useTitle } from './router';
import { useSession } from './session';

export function Setup() {
  useTitle('First run');
  const { signedIn } = useSession();
  const [code, setCode] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const issue = (path: string) => (error instanceof ApiError ? error.issueFor(path) : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      signedIn(await api('POST', '/api/setup', { code, email, password }));
      navigate(`${BASE}/settings`, { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <form onSubmit={submit} className="card" aria-labelledby="setup-title">
        <p className="brand">Pregón</p>
        <h1 id="setup-title">Create the first admin</h1>
        <p>
          <code>npm start</code> printed a one-time code when it started. Enter it with the email and password of the first admin; more staff can be
          added afterwards.
        </p>
        <ErrorNotice error={error} />
        <Field label="One-time code" error={issue('code')}>
          <input autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
        </Field>
        <Field label="Email" error={issue('email')}>
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label="Password" hint="At least 12 characters." error={issue('password')}>
          <input type="password" autoComplete="new-password" required minLength={12} value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create admin and sign in'}
        </button>
      </form>
    </main>
  );
}
