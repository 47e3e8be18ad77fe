// Placeholder until the screen is built.
import { PageHeader } from '../components';

export function SendBulletin(_props: { id: number }) {
  return <PageHeader title="SendBulletin" />;
}
