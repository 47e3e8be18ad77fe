// Placeholder until the screen is built.
import { PageHeader } from '../components';

export function Topics() {
  return <PageHeader title="Topics" />;
}
