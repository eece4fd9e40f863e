// The applicant's filing API (agent service): the application JSON of DESIGN §6 with the review
// contract's additions (backdrop, flagged_fields, submitted_at), the precheck answer, documents,
// the timeline and the applicant's inventory; one function per call. Reviewer pages import the
// types from here. Shapes follow docs/openapi.yaml and /work/briefs/review-contract.md.
import { ApiClient, type UploadProgress } from './client';

// ---- enumerations (docs/openapi.yaml) ----

export const kApplicationStates = [
  'draft',
  'preliminary_review',
  'returned',
  'verification',
  'backdrop_requested',
  'backdrop_shipped',
  'photo_uploaded',
  'photo_accepted',
  'authority_review',
  'approved',
  'withdrawn',
] as const;
export type ApplicationState = (typeof kApplicationStates)[number];

// States in which the applicant may still change the application and its documents.
export const kEditableStates: readonly string[] = ['draft', 'returned'];
// States from which the applicant may withdraw (anything before approval that is still open).
export const kWithdrawableStates: readonly string[] = kApplicationStates.filter(
  (s) => s !== 'approved' && s !== 'withdrawn',
);

export const kOrganizerTypes = [
  'enterprise',
  'individual',
  'government',
  'public_institution',
  'social_organization',
  'private_non_enterprise',
  'foundation',
  'law_firm',
  'military',
] as const;
export type OrganizerType = (typeof kOrganizerTypes)[number];

export const kCertificateTypes = [
  'business_license',
  'organization_code_certificate',
  'public_institution_certificate',
  'social_organization_certificate',
  'private_non_enterprise_certificate',
  'foundation_certificate',
  'law_firm_license',
  'military_unit_code',
  'resident_id_card',
  'hk_macao_permit',
  'taiwan_permit',
  'hk_macao_taiwan_residence_permit',
  'passport',
  'foreign_permanent_resident_card',
  'military_officer_certificate',
] as const;
export type CertificateType = (typeof kCertificateTypes)[number];

export const kIdTypes = [
  'resident_id_card',
  'hk_macao_permit',
  'taiwan_permit',
  'hk_macao_taiwan_residence_permit',
  'passport',
  'foreign_permanent_resident_card',
  'military_officer_certificate',
] as const;
export type IdType = (typeof kIdTypes)[number];

// GB/T 2260 two-digit codes.
export const kProvinces = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
] as const;

export const kPreApprovalKinds = [
  'news',
  'publishing',
  'education',
  'healthcare',
  'drugs_devices',
  'e_bulletin',
  'culture',
  'radio_film_tv',
  'ride_hailing',
  'internet_finance',
  'off_campus_training',
  'online_games',
  'religion',
] as const;

// Common website content categories (the rules data knows more; the server judges).
export const kServiceContents = [
  'enterprise_portal',
  'blog',
  'e_commerce',
  'news',
  'education',
  'healthcare',
  'culture',
  'games',
  'finance',
  'forum',
  'other',
] as const;

export type FilingType = 'first_filing' | 'new_isp' | 'new_website' | 'modify';

export const kDocumentKinds = [
  'organizer_certificate',
  'id_front',
  'id_back',
  'authenticity_checklist',
  'verified_photo',
  'domain_certificate',
  'residence_permit',
  'commitment_letter',
  'authorization_letter',
  'pre_approval',
  'other',
] as const;
export type DocumentKind = (typeof kDocumentKinds)[number];
// Kinds the server accepts as images only.
export const kImageOnlyKinds: readonly string[] = ['id_front', 'id_back', 'verified_photo'];

// ---- the application ----

export interface Person {
  name?: string;
  id_type?: IdType | string;
  id_number?: string;
  mobile?: string;
  email?: string;
}

export interface LegalRepresentative {
  name?: string;
  id_type?: IdType | string;
  id_number?: string;
}

export interface Organizer {
  type?: OrganizerType | string;
  name?: string;
  certificate?: { type?: CertificateType | string; number?: string };
  province?: string;
  address?: string;
  person_in_charge?: Person;
  legal_representative?: LegalRepresentative;
}

export interface Website {
  name?: string;
  domains?: string[];
  homepage?: string;
  service_content?: string;
  languages?: string[];
  pre_approvals?: string[];
  instance_id?: string;
  person_in_charge?: Person;
}

// What the applicant sends (create body and merge patch): every member optional in a draft.
export interface ApplicationInput {
  province?: string;
  organizer?: Organizer;
  websites?: Website[];
  beian?: { subject_sn?: string; website_sns?: Record<string, string> };
}

export interface Backdrop {
  recipient: string;
  mobile: string;
  address: string;
  requested_at: string;
  carrier: string | null;
  tracking_number: string | null;
  shipped_at: string | null;
}

// A reason of the most recent rejection; `changed` once the value at `field` differs from its
// value at the rejection. `field` is a path in the application JSON (organizer.name,
// websites[0].name), `documents.<kind>:<subject>` or `photo`.
export interface FlaggedField {
  field: string;
  code: string;
  message: string;
  changed: boolean;
}

export interface Reason {
  field: string;
  code: string;
  message: string;
}

// An application as the API answers it (the owner's detail in clear; lists mask identity and
// mobile numbers).
export interface Application extends ApplicationInput {
  id: string;
  version: number;
  state: ApplicationState | string;
  filing_type: FilingType | null;
  created_at: string;
  updated_at: string;
  state_entered_at: string;
  sla_deadline: string | null;
  submitted_at?: string | null;
  backdrop?: Backdrop | null;
  flagged_fields?: FlaggedField[];
  // The application's submission at the authority (its newest hand-over); null before the
  // verified photo is accepted.
  authority?: ApplicationAuthority | null;
}

export type AuthoritySubState =
  | 'handing_over'
  | 'sms_verification'
  | 'under_review'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'refused';

export interface ApplicationAuthority {
  submission_id: string;
  authority_submission_id: string | null;
  state: AuthoritySubState | string;
  updated_at: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

// ---- precheck ----

export interface LocalizedText {
  en?: string;
  'zh-CN'?: string;
}

export interface Finding {
  severity: 'error' | 'warning';
  field: string;
  code: string;
  params?: Record<string, string>;
  message: LocalizedText;
}

export interface RequiredDocument {
  kind: DocumentKind | string;
  subject: string;
  reason?: string;
  message?: LocalizedText;
  satisfied?: boolean;
}

export interface PrecheckResult {
  filing_type: FilingType | null;
  filing_row?: string;
  explanation: string;
  explanation_message?: LocalizedText;
  needs_beian_credentials: boolean;
  sms_persons?: string[];
  province?: string;
  findings: Finding[];
  required_documents: RequiredDocument[];
}

// ---- documents, events, inventory ----

export interface ApplicationDocument {
  id: string;
  kind: DocumentKind | string;
  subject: string;
  size: number;
  content_type: 'image/jpeg' | 'image/png' | 'application/pdf' | string;
  sha256: string;
  file_name: string;
  width: number | null;
  height: number | null;
  uploader_id: string;
  // Unix milliseconds.
  created_at: number;
}

export interface ApplicationEvent {
  seq: number;
  event: string;
  actor_id: string;
  role: string;
  from: string | null;
  to: string;
  reasons: Reason[];
  sla: string | null;
  sla_deadline: string | null;
  at: string;
}

export interface Instance {
  id: string;
  product: string;
  region: string;
  mainland: boolean;
  public_ip: string | null;
  billing: 'subscription' | 'pay_as_you_go' | string;
  expires_at: string | null;
  service_codes_total: number;
  service_codes_used: number;
}

export interface InventoryDomain {
  name: string;
  ascii_name?: string;
  holder_name: string;
  real_name_verified: boolean;
  registrar?: string;
  expires_at: string | null;
}

export interface SubmitInput {
  beian_sn?: string;
  icp_password?: string;
}

export interface BackdropInput {
  recipient: string;
  mobile: string;
  address: string;
}

// ---- helpers ----

// A fresh Idempotency-Key: one per intended create or submit, kept while that attempt is retried.
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The version an ETag names ("3", W/"3" or 3), or null.
export function versionFromETag(etag: string | null): number | null {
  if (!etag) return null;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(etag.trim());
  return m ? Number(m[1]) : null;
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

// An application with the version its ETag names (the body's version when the header is absent).
function withVersion(data: Application, headers: Headers): Application {
  const v = versionFromETag(headers.get('ETag'));
  return v !== null ? { ...data, version: v } : data;
}

// ---- calls ----

export interface ListOptions {
  state?: string;
  limit?: number;
  cursor?: string | null;
}

export function listApplications(
  client: ApiClient,
  options: ListOptions = {},
): Promise<Page<Application>> {
  return client.get<Page<Application>>(
    `/applications${query({ state: options.state, limit: options.limit, cursor: options.cursor })}`,
  );
}

export async function getApplication(client: ApiClient, id: string): Promise<Application> {
  const a = await client.send<Application>('GET', `/applications/${enc(id)}`);
  return withVersion(a.data, a.headers);
}

// Creates a draft. `idempotencyKey` is kept by the caller for retries of the same attempt.
export async function createApplication(
  client: ApiClient,
  input: ApplicationInput,
  idempotencyKey: string,
): Promise<Application> {
  const a = await client.send<Application>('POST', '/applications', {
    body: input,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
  return withVersion(a.data, a.headers);
}

// A JSON merge patch of a draft or returned application at `version` (412 when stale).
export async function patchApplication(
  client: ApiClient,
  id: string,
  version: number,
  patch: ApplicationInput | Record<string, unknown>,
): Promise<Application> {
  const a = await client.send<Application>('PATCH', `/applications/${enc(id)}`, {
    body: patch,
    headers: { 'If-Match': `"${version}"` },
  });
  return withVersion(a.data, a.headers);
}

export function precheckApplication(client: ApiClient, id: string): Promise<PrecheckResult> {
  return client.post<PrecheckResult>(`/applications/${enc(id)}/precheck`);
}

export async function submitApplication(
  client: ApiClient,
  id: string,
  input: SubmitInput,
  idempotencyKey: string,
): Promise<Application> {
  const body: SubmitInput = {};
  if (input.beian_sn) body.beian_sn = input.beian_sn;
  if (input.icp_password) body.icp_password = input.icp_password;
  const a = await client.send<Application>('POST', `/applications/${enc(id)}/submit`, {
    body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
  return withVersion(a.data, a.headers);
}

export async function withdrawApplication(client: ApiClient, id: string): Promise<Application> {
  const a = await client.send<Application>('POST', `/applications/${enc(id)}/withdraw`);
  return withVersion(a.data, a.headers);
}

export async function listEvents(client: ApiClient, id: string): Promise<ApplicationEvent[]> {
  return (await client.get<{ items: ApplicationEvent[] }>(`/applications/${enc(id)}/events`)).items;
}

export async function listDocuments(
  client: ApiClient,
  id: string,
): Promise<ApplicationDocument[]> {
  return (await client.get<{ items: ApplicationDocument[] }>(`/applications/${enc(id)}/documents`))
    .items;
}

export interface UploadInput {
  kind: string;
  subject: string;
  file: Blob;
  fileName?: string;
}

// Uploads one document (multipart kind, subject, file) with progress; `signal` cancels it.
export function uploadDocument(
  client: ApiClient,
  id: string,
  input: UploadInput,
  onProgress?: UploadProgress,
  signal?: AbortSignal,
): Promise<ApplicationDocument> {
  const form = new FormData();
  form.append('kind', input.kind);
  form.append('subject', input.subject);
  const name = input.fileName ?? (input.file instanceof File ? input.file.name : 'upload');
  form.append('file', input.file, name);
  return client.upload<ApplicationDocument>(
    `/applications/${enc(id)}/documents`,
    form,
    onProgress,
    signal,
  );
}

export function deleteDocument(client: ApiClient, id: string, docId: string): Promise<void> {
  return client.delete<void>(`/applications/${enc(id)}/documents/${enc(docId)}`);
}

// Where a document downloads (always as an attachment; <img> shows images from it anyway).
export function documentUrl(client: ApiClient, id: string, docId: string): string {
  return client.url(`/applications/${enc(id)}/documents/${enc(docId)}`);
}

export function requestBackdrop(
  client: ApiClient,
  id: string,
  input: BackdropInput,
): Promise<Application> {
  return client.post<Application>(`/applications/${enc(id)}/backdrop`, input);
}

// Hands in the uploaded verified photo (a document of kind verified_photo) for review.
export function submitPhoto(client: ApiClient, id: string, documentId: string): Promise<Application> {
  return client.post<Application>(`/applications/${enc(id)}/photo`, { document_id: documentId });
}

// Every page of a cursor-paged inventory list (the lists are short: an account's own).
async function allPages<T>(client: ApiClient, path: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  // A bound, so that a server that keeps answering a cursor cannot loop the page forever.
  for (let i = 0; i < 50; i++) {
    const page: Page<T> = await client.get<Page<T>>(`${path}${query({ limit: 1000, cursor })}`);
    out.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}

export function listInstances(client: ApiClient): Promise<Instance[]> {
  return allPages<Instance>(client, '/inventory/instances');
}

export function listInventoryDomains(client: ApiClient): Promise<InventoryDomain[]> {
  return allPages<InventoryDomain>(client, '/inventory/domains');
}

// ---- paths ----

// Splits a field path such as `websites[0].person_in_charge.name` into form path segments
// ['websites', 0, 'person_in_charge', 'name'].
export function parseFieldPath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of path.split('.')) {
    const re = /([^[\]]+)|\[(\d+)\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(part)) !== null) {
      if (m[1] !== undefined) out.push(m[1]);
      else out.push(Number(m[2]));
    }
  }
  return out;
}

// The inverse of parseFieldPath.
export function formatFieldPath(path: ReadonlyArray<string | number>): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s === '' ? p : `.${p}`;
  }
  return s;
}
