// The authority's review and SMS-verification endpoints (authority service, /authority/v1;
// contract §5 and §6 of issue 10): the reviewer's queue, a submission's detail with its
// documents, claim and decision, the reason catalogue, and the public SMS verification (no
// session) with its resend. Shapes follow the contract; fields the server may add are optional,
// and the few the contract leaves open (who holds a claim, the website SNs' form) are read by
// the helpers at the end so the pages do not guess.
import type { ApiClient } from './client';

export type SubmissionState = 'sms_verification' | 'under_review' | 'approved' | 'rejected' | 'expired';
// The queue's tabs: the two open states, and everything decided (approved, rejected, expired).
export type QueueTab = 'sms_verification' | 'under_review' | 'decided';
export const kQueueTabs: QueueTab[] = ['under_review', 'sms_verification', 'decided'];

export interface AuthorityQueueItem {
  id: string;
  provider_id: string;
  provider_name: string;
  filing_type: string;
  province: string;
  organizer_type: string;
  organizer_name: string;
  domains: string[];
  state: SubmissionState | string;
  received_at: string;
  review_started_at: string | null;
  business_days_waiting: number;
  // review_started_at + 20 working days; null while the SMS verification runs.
  deadline: string | null;
  overdue: boolean;
  claimed_by: string | number | null;
  claim_until: string | null;
  // The end of the 24 hours for the SMS codes (sent by the server beside the contract's fields).
  sms_deadline?: string | null;
  decided_at?: string | null;
  // Optional extras a server may send: the holder's name, and whether it is the caller.
  claimed_by_name?: string | null;
  claimed_by_me?: boolean;
}

export interface AuthorityPage<T> {
  items: T[];
  next_cursor: string | null;
}

export interface QueueFilter {
  tab: QueueTab;
  province?: string;
  overdue?: boolean;
}

export interface Person {
  name?: string;
  id_type?: string;
  id_number?: string;
  mobile?: string;
  email?: string;
  [key: string]: unknown;
}

export interface SubmissionOrganizer {
  type?: string;
  name?: string;
  certificate?: { type?: string; number?: string };
  province?: string;
  address?: string;
  person_in_charge?: Person;
  legal_representative?: Person;
  [key: string]: unknown;
}

export interface SubmissionWebsite {
  name?: string;
  domains?: string[];
  homepage?: string;
  service_content?: string;
  languages?: string[];
  pre_approvals?: string[];
  instance_id?: string;
  person_in_charge?: Person;
  [key: string]: unknown;
}

export interface SubmissionDocument {
  id: string;
  kind: string;
  subject: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
}

export interface SmsStatus {
  // "organizer" or "website:N" (persons sharing a mobile share one code: the first one names it).
  person: string;
  mobile: string;
  verified: boolean;
  attempts_wrong: number;
  resends: number;
}

export interface DecisionReason {
  field: string;
  code: string;
  message: string;
}

export interface SubmissionEvent {
  seq?: number;
  from_state?: string | null;
  to_state?: string | null;
  // Some servers name these from/to, as the agent's timeline does.
  from?: string | null;
  to?: string | null;
  event: string;
  actor?: string | number | null;
  reasons?: DecisionReason[] | string | null;
  at: string;
}

export interface SubmissionDetail extends AuthorityQueueItem {
  beian_sn?: string | null;
  organizer: SubmissionOrganizer;
  websites: SubmissionWebsite[];
  documents: SubmissionDocument[];
  sms: SmsStatus[];
  events: SubmissionEvent[];
  subject_sn: string | null;
  website_sns: unknown;
}

export interface ClaimAnswer {
  claimed_by: string | number;
  claim_until: string;
  claimed_by_name?: string;
}

export interface ReasonEntry {
  code: string;
  zh_CN: string;
  en: string;
  note_required: boolean;
}

export interface SmsVerifyInput {
  mobile: string;
  code: string;
  id_last6: string;
}

export interface SmsVerifyAnswer {
  verified: boolean;
  submission_state: SubmissionState | string;
  // Persons of the submission still to enter their code.
  remaining: number;
}

export interface SmsResendAnswer {
  resends_left: number;
}

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function fetchAuthorityQueue(
  client: ApiClient,
  filter: QueueFilter,
  cursor?: string | null,
  limit = 20,
): Promise<AuthorityPage<AuthorityQueueItem>> {
  return client.get(
    `/review/queue${query({
      state: filter.tab,
      province: filter.province,
      overdue: filter.overdue ? 'true' : undefined,
      limit,
      cursor,
    })}`,
  );
}

export function fetchSubmission(client: ApiClient, id: string): Promise<SubmissionDetail> {
  return client.get(`/review/submissions/${enc(id)}`);
}

export function claimSubmission(client: ApiClient, id: string): Promise<ClaimAnswer> {
  return client.post(`/review/submissions/${enc(id)}/claim`);
}

export function decideSubmission(
  client: ApiClient,
  id: string,
  decision: 'approve' | 'reject',
  reasons: DecisionReason[],
): Promise<SubmissionDetail> {
  return client.post(`/review/submissions/${enc(id)}/decision`, { decision, reasons });
}

// The catalogue (data/authority/reasons.tsv). Accepts the agent's item form ({code, zh_CN, en,
// note_required}) and the TSV's column names ("zh-CN").
export async function fetchAuthorityReasons(client: ApiClient): Promise<ReasonEntry[]> {
  const body = await client.get<{ items?: unknown[] } | unknown[]>('/review/reasons');
  const items = Array.isArray(body) ? body : (body?.items ?? []);
  return items
    .filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
    .map((x) => ({
      code: String(x.code ?? ''),
      zh_CN: String(x.zh_CN ?? x['zh-CN'] ?? x.zh ?? x.code ?? ''),
      en: String(x.en ?? x.code ?? ''),
      note_required: x.note_required === true || x.note_required === 'true' || x.note_required === 1,
    }))
    .filter((r) => r.code !== '');
}

// The download address of a submission's document (an attachment; images are fetched into a
// data: URL to be shown).
export function submissionDocumentPath(submissionId: string, docId: string): string {
  return `/review/submissions/${enc(submissionId)}/documents/${enc(docId)}`;
}

export function verifySms(client: ApiClient, input: SmsVerifyInput): Promise<SmsVerifyAnswer> {
  return client.post('/sms-verification', input);
}

export function resendSms(
  client: ApiClient,
  input: { mobile: string; id_last6: string },
): Promise<SmsResendAnswer> {
  return client.post('/sms-verification/resend', input);
}

// ---- reading the open parts of the answers ----

export interface ClaimView {
  holder: string;
  until: string | null;
  mine: boolean;
}

// Who holds the claim, and whether it is the signed-in reviewer: `claimed_by_me` when the
// server says so, else `claimed_by` compared with the user's id, e-mail and name.
export function claimOf(
  item: Pick<AuthorityQueueItem, 'claimed_by' | 'claim_until' | 'claimed_by_name' | 'claimed_by_me'>,
  user: { id: string | number; email: string; display_name: string } | undefined,
): ClaimView | null {
  if (item.claimed_by === null || item.claimed_by === undefined || item.claimed_by === '') return null;
  // An expired claim holds nothing.
  if (item.claim_until && Date.parse(item.claim_until) < Date.now()) return null;
  const by = String(item.claimed_by);
  const mine =
    item.claimed_by_me ??
    (user !== undefined && [String(user.id), user.email, user.display_name].includes(by));
  return { holder: item.claimed_by_name || by, until: item.claim_until, mine };
}

export interface WebsiteSn {
  name: string;
  domains: string[];
  sn: string;
}

// The website SNs of a decided submission, whether the server sends a list ([{name, domains,
// website_sn}]) or a map ({"<website name>": sn}); domains are filled in from the websites.
export function websiteSnsOf(detail: Pick<SubmissionDetail, 'website_sns' | 'websites'>): WebsiteSn[] {
  const raw = detail.website_sns;
  const domainsOf = (name: string) =>
    detail.websites.find((w) => w.name === name)?.domains ?? [];
  if (Array.isArray(raw)) {
    return raw
      .filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
      .map((x) => {
        const name = String(x.name ?? '');
        const domains = Array.isArray(x.domains) ? x.domains.map(String) : domainsOf(name);
        return { name, domains, sn: String(x.website_sn ?? x.sn ?? '') };
      })
      .filter((x) => x.sn !== '');
  }
  if (raw && typeof raw === 'object') {
    return Object.entries(raw as Record<string, unknown>)
      .filter(([, sn]) => typeof sn === 'string' && sn !== '')
      .map(([name, sn]) => ({ name, domains: domainsOf(name), sn: String(sn) }));
  }
  return [];
}

// An event's reasons, whether the server sends them parsed or as the stored JSON text.
export function eventReasons(e: SubmissionEvent): DecisionReason[] {
  let r: unknown = e.reasons;
  if (typeof r === 'string') {
    try {
      r = JSON.parse(r);
    } catch {
      return [];
    }
  }
  return Array.isArray(r) ? (r as DecisionReason[]) : [];
}
