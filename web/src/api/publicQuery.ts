// The authority's public filing query (GET /authority/v1/public/query, no sign-in): types and
// the call. One of domain, sn or organizer (exact, or prefix with match=prefix); paged by cursor.
import type { ApiClient } from './client';

export interface PublicFilingRecord {
  website_sn: string;
  subject_sn: string;
  organizer_name: string; // an individual's name masked (张*)
  organizer_type: string;
  website_name: string;
  domains: string[];
  status: 'active' | 'cancelled';
  approved_at: string;
}

export interface PublicQueryPage {
  results: PublicFilingRecord[];
  next_cursor: string | null;
}

export type PublicQueryKind = 'domain' | 'sn' | 'organizer';

export interface PublicQueryParams {
  kind: PublicQueryKind;
  value: string;
  prefix?: boolean;
  cursor?: string;
  limit?: number;
}

export function publicQueryPath(p: PublicQueryParams): string {
  const q = new URLSearchParams();
  q.set(p.kind, p.value.trim());
  if (p.kind === 'organizer' && p.prefix) q.set('match', 'prefix');
  if (p.limit) q.set('limit', String(p.limit));
  if (p.cursor) q.set('cursor', p.cursor);
  return `/public/query?${q.toString()}`;
}

export async function queryFilings(client: ApiClient, p: PublicQueryParams): Promise<PublicQueryPage> {
  const answer = await client.send<PublicQueryPage>('GET', publicQueryPath(p));
  return answer.data;
}
