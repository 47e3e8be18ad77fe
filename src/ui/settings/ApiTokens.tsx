// Placeholder until the screen is built.
import { PageHeader } from '../components';

export function ApiTokens() {
  return <PageHeader title="ApiTokens" />;
}
