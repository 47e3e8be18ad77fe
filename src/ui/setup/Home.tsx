// The staff app's home: the setup checklist until first run is done, then the bulletins.
import type { SetupChecklist as Checklist } from '../../setup/schemas';
import { BulletinList } from '../bulletins/BulletinList';
import { Loading } from '../components';
import { useApi } from '../hooks';
import { BASE, Link, useLocation } from '../router';
import { SetupChecklist } from './SetupChecklist';

/** `?checklist` shows the checklist again once everything is done. */
export const CHECKLIST_AGAIN = `${BASE}?checklist`;

export function Home() {
  const reopened = useLocation().query.has('checklist');
  const checklist = useApi<Checklist>('/api/setup/checklist');
  if (!checklist.data && checklist.loading) return <Loading label="Loading…" />;
  // The checklist is a help, not a gate: if it cannot be loaded, home is the bulletins as ever.
  if (checklist.data && (!checklist.data.done || reopened))
    return <SetupChecklist checklist={checklist.data} from={reopened ? CHECKLIST_AGAIN : BASE} />;
  return (
    <>
      <BulletinList />
      <p className="setup-again">
        <Link to={CHECKLIST_AGAIN}>Setup checklist</Link>
      </p>
    </>
  );
}
