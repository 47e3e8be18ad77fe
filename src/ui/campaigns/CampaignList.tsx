// Placeholder until the screen is built.
import { PageHeader } from '../components';

export function CampaignList() {
  return <PageHeader title="CampaignList" />;
}
