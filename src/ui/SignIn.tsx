// Sign-in: email and password; the server throttles repeated failures.
import { useState } from 'react';
import { api } from './api';
import { ErrorNotice, Field } from './components';
import { submitTo, useAction } from './hooks';
import { BASE, Link, navigate, useLocation, useTitle } from './router';
import { useSession } from './session';

export function SignIn({ setupRequired }: { setupRequired: boolean }) {
  useTitle('Sign in');
  const { signedIn } = useSession();
  const { query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useAction(async () => {
    signedIn(await api('POST', '/api/session', { email, password }));
    const next = query.get('next');
    // Only a path of this app: never an address elsewhere.
    navigate(next?.startsWith(`${BASE}/`) && !next.startsWith('//') ? next : BASE, {
      replace: true,
    });
  });

  return (
    <main className="sign-in" id="main">
      <form onSubmit={submitTo(signIn)} className="card" aria-labelledby="sign-in-title">
        <p className="brand">Pregón</p>
        <h1 id="sign-in-title">Sign in</h1>
        <ErrorNotice error={signIn.error} />
        <Field label="Email">
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label="Password">
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button type="submit" className="button-primary" disabled={signIn.busy}>
          {signIn.busy ? 'Signing in…' : 'Sign in'}
        </button>
        {setupRequired && (
          <p>
            No account yet? <Link to={`${BASE}/setup`}>Create the first admin</Link>.
          </p>
        )}
      </form>
    </main>
  );
}
