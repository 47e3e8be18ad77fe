// Placeholder until the screen is built.
import { PageHeader } from '../components';

export function BulletinList() {
  return <PageHeader title="BulletinList" />;
}
