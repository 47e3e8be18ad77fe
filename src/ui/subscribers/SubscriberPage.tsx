// Placeholder until the screen is built.
import { PageHeader } from '../components';

export function SubscriberPage(_props: { id: number }) {
  return <PageHeader title="SubscriberPage" />;
}
