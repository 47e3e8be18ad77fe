// API tokens (admins): for other programs that use the API. A new token is shown once; the
// server keeps only a hash of it.
import { useState } from 'react';
import { api } from '../api';
import { ConfirmDialog, ErrorNotice, Field, formatDate, Loading, Notice, PageHeader } from '../components';
import { submitTo, useAction, useApi } from '../hooks';
import { useTitle } from '../router';
import type { CreatedToken, StaffRole, TokenInfo } from '../../staff/schemas';
import { ROLE_HINTS, ROLE_NAMES, ROLES } from './roles';
import { SecretShownOnce } from './SecretShownOnce';
import './settings.css';

export function ApiTokens() {
  useTitle('API tokens');
  const tokens = useApi<{ data: TokenInfo[] }>('/api/tokens');
  const [created, setCreated] = useState<CreatedToken>();
  const [revoking, setRevoking] = useState<TokenInfo>();
  const [done, setDone] = useState<string>();

  return (
    <>
      <PageHeader title="API tokens" />
      <div className="grid-2 admin-columns">
        <section className="card" aria-labelledby="token-use">
          <h2 id="token-use">Using the API</h2>
          <p>
            Programs send a token with every request as <code>Authorization: Bearer &lt;token&gt;</code>. A token does
            what its role allows, like a staff member.
          </p>
          <ul className="admin-links">
            <li>
              <a href="/api/openapi.json">API description (OpenAPI)</a>
            </li>
            <li>
              <a href="/admin/queues">Queue dashboard</a>: the jobs that start sends and deliver their batches
            </li>
          </ul>
        </section>
        <NewToken
          onCreated={(token) => {
            setDone(undefined);
            setCreated(token);
            tokens.reload();
          }}
        />
      </div>
      {created && <CreatedTokenNotice created={created} onDone={() => setCreated(undefined)} />}
      {done && <Notice kind="success">{done}</Notice>}
      <h2 className="admin-section-title">Tokens</h2>
      <ErrorNotice error={tokens.error} title="The tokens could not be loaded." />
      {!tokens.data && tokens.loading && <Loading label="Loading tokens…" />}
      {tokens.data && tokens.data.data.length === 0 && <p className="card admin-empty">No API tokens yet.</p>}
      {tokens.data && tokens.data.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Made by</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.data.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>{ROLE_NAMES[token.role]}</td>
                  <td>{formatDate(token.createdAt)}</td>
                  <td>{token.createdBy ?? <span className="muted">Not recorded</span>}</td>
                  <td>{token.expiresAt ? formatDate(token.expiresAt) : <span className="muted">Never</span>}</td>
                  <td>{token.lastUsedAt ? formatDate(token.lastUsedAt) : <span className="muted">Never</span>}</td>
                  <td className="admin-actions">
                    <button type="button" className="button-small button-danger" onClick={() => setRevoking(token)}>
                      Revoke<span className="visually-hidden"> {token.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking && (
        <RevokeDialog
          token={revoking}
          onClose={() => setRevoking(undefined)}
          onRevoked={() => {
            setRevoking(undefined);
            if (created?.id === revoking.id) setCreated(undefined);
            setDone(`The token “${revoking.name}” was revoked.`);
            tokens.reload();
          }}
        />
      )}
    </>
  );
}

function NewToken({ onCreated }: { onCreated(token: CreatedToken): void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('editor');
  /** A day, yyyy-mm-dd, or '' for a token that works until revoked. */
  const [expires, setExpires] = useState('');
  const create = useAction(async () => {
    // From the start of that day where the admin is.
    const expiresAt = expires ? new Date(`${expires}T00:00`).toISOString() : undefined;
    onCreated(await api<CreatedToken>('POST', '/api/tokens', { name, role, expiresAt }));
    setName('');
    setExpires('');
  });

  return (
    <form className="card" onSubmit={submitTo(create)} aria-labelledby="new-token">
      <h2 id="new-token">New token</h2>
      <ErrorNotice error={create.error} title="No token was created." />
      <Field label="Token name" hint="What uses it, such as “CRM sync”." error={create.issue('name')}>
        <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field
        label="Token role"
        hint={
          role === 'writer'
            ? `${ROLE_HINTS.writer}. A writer token sends no test copies: it has no addresses of its own.`
            : ROLE_HINTS[role]
        }
      >
        <select value={role} onChange={(e) => setRole(e.target.value as StaffRole)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[r]}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Expires on"
        hint="Optional. The token stops working on this day; leave it empty for a token that works until revoked."
        error={create.issue('expiresAt')}
      >
        <input type="date" min={tomorrow()} value={expires} onChange={(e) => setExpires(e.target.value)} />
      </Field>
      <button type="submit" className="button-primary" disabled={create.busy}>
        {create.busy ? 'Creating…' : 'Create token'}
      </button>
    </form>
  );
}

/** Tomorrow where the admin is, as yyyy-mm-dd: the first day a token may expire. */
function tomorrow(): string {
  const day = new Date();
  day.setDate(day.getDate() + 1);
  const twoDigits = (n: number) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${twoDigits(day.getMonth() + 1)}-${twoDigits(day.getDate())}`;
}

function CreatedTokenNotice({ created, onDone }: { created: CreatedToken; onDone(): void }) {
  return (
    <SecretShownOnce
      title={`Copy the token “${created.name}” now`}
      label="New API token"
      secret={created.token}
      onDone={onDone}
    >
      <p>
        This is the only time it is shown: Pregón keeps only a hash of it. Store it where the program that uses it keeps
        its secrets. If it is lost, revoke it and create another.
      </p>
    </SecretShownOnce>
  );
}

function RevokeDialog({ token, onClose, onRevoked }: { token: TokenInfo; onClose(): void; onRevoked(): void }) {
  return (
    <ConfirmDialog
      title={`Revoke the token “${token.name}”?`}
      confirmLabel="Revoke token"
      busyLabel="Revoking…"
      onConfirm={async () => {
        await api('DELETE', `/api/tokens/${token.id}`);
        onRevoked();
      }}
      onClose={onClose}
    >
      <p>It stops working at once: any program that uses it will be refused until it is given a new token.</p>
    </ConfirmDialog>
  );
}
