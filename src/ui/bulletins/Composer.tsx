// Placeholder until the screen is built.
import { PageHeader } from '../components';

export function Composer(_props: { id: number }) {
  return <PageHeader title="Composer" />;
}
