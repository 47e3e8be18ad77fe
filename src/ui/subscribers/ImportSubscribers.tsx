// Placeholder until the screen is built.
import { PageHeader } from '../components';

export function ImportSubscribers() {
  return <PageHeader title="ImportSubscribers" />;
}
