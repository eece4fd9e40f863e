// The agent's public "is it filed?" look-up (GET /api/v1/public/filings, no sign-in): the
// answer for the registrable domain of any form of a name, from the agent's copy of the registry.
import type { ApiClient } from './client';

export interface PublicFilingAnswer {
  query: string;
  domain: string;
  domain_unicode: string;
  filed: boolean;
  subject_sn: string | null;
  website_sn: string | null;
  organizer_name: string | null; // an individual's name masked
  organizer_type: string | null;
  website_name: string | null;
  approved_at: string | null;
}

export async function lookUpFiling(client: ApiClient, domain: string): Promise<PublicFilingAnswer> {
  const q = new URLSearchParams({ domain: domain.trim() });
  const answer = await client.send<PublicFilingAnswer>('GET', `/public/filings?${q.toString()}`);
  return answer.data;
}
