// Placeholder until the screen is built.
import { PageHeader } from '../components';

export function Settings() {
  return <PageHeader title="Settings" />;
}
