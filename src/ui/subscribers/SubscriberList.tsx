// Placeholder until the screen is built.
import { PageHeader } from '../components';

export function SubscriberList() {
  return <PageHeader title="SubscriberList" />;
}
