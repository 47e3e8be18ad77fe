// Placeholder until the screen is built.
import { PageHeader } from '../components';

export function CampaignPage(_props: { id: number }) {
  return <PageHeader title="CampaignPage" />;
}
