// First run: the first admin account, guarded by the one-time code `npm start` printed.
import { useState } from 'react';
import { api } from './api';
import { ErrorNotice, Field } from './components';
import { submitTo, useAction } from './hooks';
import { BASE, navigate, useTitle } from './router';
import { useSession } from './session';

export function Setup() {
  useTitle('First run');
  const { signedIn } = useSession();
  const [code, setCode] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const create = useAction(async () => {
    signedIn(await api('POST', '/api/setup', { code, email, password }));
    // Home is the setup checklist until first run is done.
    navigate(BASE, { replace: true });
  });

  return (
    <main className="sign-in" id="main">
      <form onSubmit={submitTo(create)} className="card" aria-labelledby="setup-title">
        <p className="brand">Pregón</p>
        <h1 id="setup-title">Create the first admin</h1>
        <p>
          <code>npm start</code> printed a one-time code when it started. Enter it with the email and password of the
          first admin; more staff can be added afterwards.
        </p>
        <ErrorNotice error={create.error} beside={['code', 'email', 'password']} />
        <Field label="One-time code" error={create.issue('code')}>
          <input autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
        </Field>
        <Field label="Email" error={create.issue('email')}>
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label="Password" hint="At least 12 characters." error={create.issue('password')}>
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button type="submit" className="button-primary" disabled={create.busy}>
          {create.busy ? 'Creating…' : 'Create admin and sign in'}
        </button>
      </form>
    </main>
  );
}
