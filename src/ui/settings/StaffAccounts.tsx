// Staff accounts (admins): who may sign in and with what role; add, change role, set a new
// password, delete. The server keeps at least one admin and refuses to delete your own account.
import { useState } from 'react';
import type { StaffMember, StaffRole } from '../../staff/schemas';
import { api } from '../api';
import { ConfirmDialog, Dialog, ErrorNotice, Field, formatDate, Loading, Notice, PageHeader } from '../components';
import { submitTo, useAction, useApi } from '../hooks';
import { useTitle } from '../router';
import { useSession, useStaff } from '../session';
import { ROLE_HINTS, ROLE_NAMES, ROLES, withArticle } from './roles';
import './settings.css';

type Action =
  | { kind: 'add' }
  | { kind: 'password' | 'delete'; member: StaffMember }
  | { kind: 'demote-self'; member: StaffMember; role: StaffRole }
  | null;

export function StaffAccounts() {
  useTitle('Staff');
  const me = useStaff();
  const session = useSession();
  const staff = useApi<{ data: StaffMember[] }>('/api/staff');
  const [action, setAction] = useState<Action>(null);
  const [done, setDone] = useState<string>();

  const changeRole = useAction(async (member: StaffMember, role: StaffRole) => {
    setDone(undefined);
    // The dialog that asked (making yourself an editor or a writer) closes either way; an error shows above the table.
    await api('PATCH', `/api/staff/${member.id}`, { role }).finally(() => setAction(null));
    // Your own role decides which screens you see, at once.
    if (member.id === me.id) session.update({ ...me, role });
    finish(`${member.email} is now ${withArticle(role)}.`);
  });

  const finish = (message: string) => {
    setAction(null);
    changeRole.setError(undefined);
    setDone(message);
    staff.reload();
  };

  return (
    <>
      <PageHeader title="Staff">
        <button type="button" className="button-primary" onClick={() => setAction({ kind: 'add' })}>
          Add staff member
        </button>
      </PageHeader>
      <p className="muted admin-intro">{ROLES.map((r) => `${ROLE_HINTS[r]}.`).join(' ')}</p>
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorNotice error={changeRole.error} title="Not changed." />
      <ErrorNotice error={staff.error} title="The staff accounts could not be loaded." />
      {!staff.data && staff.loading && <Loading label="Loading staff accounts…" />}
      {staff.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Added</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {staff.data.data.map((member) => (
                <tr key={member.id}>
                  <td>
                    {member.email}
                    {member.id === me.id && <span className="muted"> (you)</span>}
                  </td>
                  <td>
                    <select
                      className="admin-role"
                      aria-label={`Role of ${member.email}`}
                      value={member.role}
                      onChange={(e) => {
                        const role = e.target.value as StaffRole;
                        if (member.id === me.id && role !== 'admin') setAction({ kind: 'demote-self', member, role });
                        else void changeRole.run(member, role);
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_NAMES[r]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{formatDate(member.createdAt)}</td>
                  <td>
                    {member.lastSignInAt ? formatDate(member.lastSignInAt) : <span className="muted">Never</span>}
                  </td>
                  <td className="admin-actions">
                    <button
                      type="button"
                      className="button-small"
                      onClick={() => setAction({ kind: 'password', member })}
                    >
                      Set password<span className="visually-hidden"> of {member.email}</span>
                    </button>
                    {member.id !== me.id && (
                      <button
                        type="button"
                        className="button-small button-danger"
                        onClick={() => setAction({ kind: 'delete', member })}
                      >
                        Delete<span className="visually-hidden"> {member.email}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {action?.kind === 'add' && (
        <AddStaffDialog
          onClose={() => setAction(null)}
          onAdded={(m) => finish(`${m.email} can now sign in as ${withArticle(m.role)}.`)}
        />
      )}
      {action?.kind === 'password' && (
        <PasswordDialog
          member={action.member}
          onClose={() => setAction(null)}
          onSet={() => finish(`New password set for ${action.member.email}.`)}
        />
      )}
      {action?.kind === 'delete' && (
        <DeleteStaffDialog
          member={action.member}
          onClose={() => setAction(null)}
          onDeleted={() => finish(`${action.member.email} was deleted.`)}
        />
      )}
      {action?.kind === 'demote-self' && (
        <ConfirmDialog
          title={`Make yourself ${withArticle(action.role)}?`}
          confirmLabel={`Make me ${withArticle(action.role)}`}
          onConfirm={() => changeRole.run(action.member, action.role)}
          onClose={() => setAction(null)}
        >
          <p>
            You will no longer see staff accounts, API tokens, settings or the queue dashboard
            {action.role === 'writer' && ', nor subscribers, topics or sends, and you will not send to an audience'}.
            Another admin can make you an admin again.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function AddStaffDialog({ onClose, onAdded }: { onClose(): void; onAdded(member: StaffMember): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<StaffRole>('editor');
  const add = useAction(async () => onAdded(await api<StaffMember>('POST', '/api/staff', { email, password, role })));

  return (
    <Dialog open title="Add a staff member" onClose={onClose}>
      <form onSubmit={submitTo(add)}>
        <ErrorNotice error={add.error} title="Not added." />
        <Field label="Email" error={add.issue('email')}>
          <input type="email" autoComplete="off" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field
          label="Password"
          hint="At least 12 characters. Give it to them by a safe channel."
          error={add.issue('password')}
        >
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <fieldset>
          <legend>Role</legend>
          {ROLES.map((r) => (
            <label key={r} className="checkbox">
              <input type="radio" name="new-staff-role" checked={role === r} onChange={() => setRole(r)} />
              {ROLE_HINTS[r]}
            </label>
          ))}
        </fieldset>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={add.busy}>
            {add.busy ? 'Creating…' : 'Create account'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function PasswordDialog({ member, onClose, onSet }: { member: StaffMember; onClose(): void; onSet(): void }) {
  const [password, setPassword] = useState('');
  const save = useAction(async () => {
    await api('PATCH', `/api/staff/${member.id}`, { password });
    onSet();
  });

  return (
    <Dialog open title={`New password for ${member.email}`} onClose={onClose}>
      <form onSubmit={submitTo(save)}>
        <ErrorNotice error={save.error} title="Not changed." />
        <Field
          label="New password"
          hint={
            'At least 12 characters. Their other sessions end at once, ' +
            'so any device they forgot signed in is signed out.'
          }
          error={save.issue('password')}
        >
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={save.busy}>
            {save.busy ? 'Saving…' : 'Set password'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteStaffDialog({
  member,
  onClose,
  onDeleted,
}: {
  member: StaffMember;
  onClose(): void;
  onDeleted(): void;
}) {
  return (
    <ConfirmDialog
      title={`Delete ${member.email}?`}
      confirmLabel="Delete account"
      busyLabel="Deleting…"
      onConfirm={async () => {
        await api('DELETE', `/api/staff/${member.id}`);
        onDeleted();
      }}
      onClose={onClose}
    >
      <p>They are signed out at once and can no longer sign in. The bulletins and sends they worked on stay.</p>
    </ConfirmDialog>
  );
}
