// Placeholder until the screen is built.
import { PageHeader } from '../components';

export function StaffAccounts() {
  return <PageHeader title="StaffAccounts" />;
}
