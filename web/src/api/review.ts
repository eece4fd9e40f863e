// The reviewer's endpoints of the agent API (/api/v1/review/…, role reviewer): the queue,
// claims, the review detail with its reveal of full personal numbers, decisions on the
// application and on the verified photo, the reason catalogue and the backdrop shipping list.
// Shapes follow the review contract (docs/openapi.yaml); the application itself is the
// applicant module's type.
import type { ApiClient } from './client';
import type {
  Application,
  ApplicationDocument,
  ApplicationEvent,
  PrecheckResult,
  Reason,
} from './applications';

export type ReviewStage = 'preliminary' | 'photo' | 'ready';
export const kReviewStages: ReviewStage[] = ['preliminary', 'photo', 'ready'];

export interface Claim {
  reviewer_id: string | number;
  reviewer_name: string;
  expires_at: string;
  mine: boolean;
}

export interface QueueItem {
  id: string;
  state: string;
  filing_type: string | null;
  province: string;
  organizer_type: string;
  organizer_name: string;
  certificate_number: string;
  website_count: number;
  domains: string[];
  submitted_at: string | null;
  state_entered_at: string;
  waiting_business_days: number;
  sla_deadline: string | null;
  overdue: boolean;
  resubmission: boolean;
  claim: Claim | null;
}

export interface Paged<T> {
  items: T[];
  next_cursor: string | null;
}

export interface QueueFilter {
  stage: ReviewStage;
  province?: string;
  organizer_type?: string;
  overdue?: boolean;
}

export interface ReasonEntry {
  code: string;
  zh_CN: string;
  en: string;
  note_required: boolean;
  stages: Array<'preliminary' | 'photo'>;
}

// One reason of a decision: which field, which catalogue code, the reviewer's note.
export type DecisionReason = Reason;

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ReviewDetail {
  application: Application;
  documents: ApplicationDocument[];
  precheck: PrecheckResult | null;
  events: ApplicationEvent[];
  changes_since_rejection: FieldChange[];
  last_rejection: { at: string; reasons: DecisionReason[] } | null;
  claim: Claim | null;
}

export interface ClaimAnswer {
  application_id: string;
  reviewer_id: string | number;
  expires_at: string;
}

export interface BackdropEntry {
  application_id: string;
  organizer_name: string;
  recipient: string;
  mobile: string;
  address: string;
  requested_at: string;
  carrier: string | null;
  tracking_number: string | null;
  shipped_at: string | null;
}

export type BackdropStatus = 'requested' | 'shipped';

function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

export function fetchQueue(
  client: ApiClient,
  filter: QueueFilter,
  cursor?: string | null,
  limit = 20,
): Promise<Paged<QueueItem>> {
  return client.get(
    `/review/queue${query({
      stage: filter.stage,
      province: filter.province,
      organizer_type: filter.organizer_type,
      overdue: filter.overdue ? 'true' : undefined,
      limit,
      cursor,
    })}`,
  );
}

export async function fetchReasons(client: ApiClient): Promise<ReasonEntry[]> {
  return (await client.get<{ items: ReasonEntry[] }>('/review/reasons')).items;
}

export function claimApplication(client: ApiClient, id: string): Promise<ClaimAnswer> {
  return client.post(`/review/applications/${enc(id)}/claim`);
}

export function releaseClaim(client: ApiClient, id: string): Promise<void> {
  return client.request('DELETE', `/review/applications/${enc(id)}/claim`);
}

export function fetchReviewDetail(client: ApiClient, id: string): Promise<ReviewDetail> {
  return client.get(`/review/applications/${enc(id)}`);
}

export async function revealNumbers(client: ApiClient, id: string): Promise<Record<string, string>> {
  return (
    await client.post<{ values: Record<string, string> }>(`/review/applications/${enc(id)}/reveal`)
  ).values;
}

export function decide(
  client: ApiClient,
  id: string,
  decision: 'approve' | 'reject',
  reasons: DecisionReason[],
): Promise<Application> {
  return client.post(`/review/applications/${enc(id)}/decision`, { decision, reasons });
}

export function decidePhoto(
  client: ApiClient,
  id: string,
  decision: 'accept' | 'reject',
  reasons: DecisionReason[],
): Promise<Application> {
  return client.post(`/review/applications/${enc(id)}/photo-decision`, { decision, reasons });
}

export function fetchBackdrops(
  client: ApiClient,
  status: BackdropStatus,
  cursor?: string | null,
  limit = 20,
): Promise<Paged<BackdropEntry>> {
  return client.get(`/review/backdrops${query({ status, limit, cursor })}`);
}

export function shipBackdrop(
  client: ApiClient,
  applicationId: string,
  input: { carrier: string; tracking_number: string },
): Promise<BackdropEntry> {
  return client.post(`/review/backdrops/${enc(applicationId)}/ship`, input);
}

// The download address of a document (served as an attachment: the console fetches it into a
// blob URL to show an image).
export function documentPath(applicationId: string, documentId: string): string {
  return `/applications/${enc(applicationId)}/documents/${enc(documentId)}`;
}
