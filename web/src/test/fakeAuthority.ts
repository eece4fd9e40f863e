// An in-memory stand-in for the authority's review and SMS-verification endpoints (contract §5,
// §6 of issue 10), plugged into FakeServer as a handler: the queue by state tab, a submission's
// detail (masked numbers), its documents, claim, decision with the reason catalogue (approve
// issues a subject SN and website SNs), the public verification with attempts, expiry and the
// resend limit, and the authority's development mailbox. Same paths, status codes and error
// format as the contract; claims belong to the signed-in reviewer (claimed_by = the user id).
import type {
  AuthorityQueueItem,
  DecisionReason,
  ReasonEntry,
  SmsStatus,
  SubmissionDetail,
  SubmissionEvent,
} from '../api/authorityReview';
import type { MailboxMessage } from '../api/notify';
import { fail, json, type FakeRequest, type FakeServer } from './fakeServer';

export const kAuthorityReasons: ReasonEntry[] = [
  { code: 'info_mismatch', zh_CN: '填报信息与证件不一致', en: 'Information does not match the documents', note_required: false },
  { code: 'document_unclear', zh_CN: '材料不清晰', en: 'Document unclear', note_required: false },
  { code: 'other', zh_CN: '其他', en: 'Other', note_required: true },
];

// A 1×1 PNG, as the documents' bytes.
export const kPngBytes = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  ),
  (c) => c.charCodeAt(0),
);

// One SMS code as the fake keeps it: in clear (the real server keeps a hash).
export interface FakeCode {
  submissionId: string;
  person: string;
  mobile: string;
  idLast6: string;
  code: string;
  attemptsWrong: number;
  resends: number;
  expired: boolean;
  verified: boolean;
}

export interface FakeSubmission {
  detail: SubmissionDetail;
}

export function makeSubmission(
  id: string,
  state: string = 'under_review',
  over: Partial<SubmissionDetail> = {},
): SubmissionDetail {
  const events: SubmissionEvent[] = [
    { seq: 1, from_state: null, to_state: 'sms_verification', event: 'receive', actor: 'provider', reasons: [], at: '2026-12-01T02:00:00.000Z' },
  ];
  if (state !== 'sms_verification') {
    events.push({ seq: 2, from_state: 'sms_verification', to_state: 'under_review', event: 'sms_verified', actor: 'system', reasons: null, at: '2026-12-01T03:00:00.000Z' });
  }
  return {
    id,
    provider_id: 'local',
    provider_name: '本地服务商',
    filing_type: 'first_filing',
    province: '11',
    organizer_type: 'enterprise',
    organizer_name: `北京${id}科技有限公司`,
    domains: [`${id}.example.cn`],
    state,
    received_at: '2026-12-01T02:00:00.000Z',
    review_started_at: state === 'sms_verification' ? null : '2026-12-01T03:00:00.000Z',
    business_days_waiting: 2,
    deadline: state === 'sms_verification' ? null : '2026-12-29T03:00:00.000Z',
    overdue: false,
    claimed_by: null,
    claim_until: null,
    sms_deadline: '2026-12-02T02:00:00.000Z',
    organizer: {
      type: 'enterprise',
      name: `北京${id}科技有限公司`,
      certificate: { type: 'business_license', number: '911101**********1X' },
      province: '11',
      address: '北京市海淀区中关村大街 1 号',
      person_in_charge: {
        name: '张三',
        id_type: 'resident_id_card',
        id_number: '110101**********12',
        mobile: '139****0001',
        email: 'zhangsan@example.com',
      },
    },
    websites: [
      {
        name: `${id} 官网`,
        domains: [`${id}.example.cn`],
        homepage: `https://www.${id}.example.cn`,
        service_content: 'enterprise_portal',
        languages: ['zh-CN'],
        pre_approvals: [],
        instance_id: 'i-demo-1',
        person_in_charge: {
          name: '李四',
          id_type: 'resident_id_card',
          id_number: '110101**********34',
          mobile: '139****0002',
          email: 'lisi@example.com',
        },
      },
    ],
    documents: [
      { id: `${id}-d1`, kind: 'organizer_certificate', subject: 'organizer', filename: 'license.png', content_type: 'image/png', size: 2048, sha256: 'a'.repeat(64) },
      { id: `${id}-d2`, kind: 'id_front', subject: 'websites[0].person_in_charge', filename: 'id.pdf', content_type: 'application/pdf', size: 4096, sha256: 'b'.repeat(64) },
      { id: `${id}-d3`, kind: 'verified_photo', subject: 'websites[0].person_in_charge', filename: 'photo.png', content_type: 'image/png', size: 8192, sha256: 'c'.repeat(64) },
    ],
    sms: [
      { person: 'organizer', mobile: '139****0001', verified: state !== 'sms_verification', attempts_wrong: 0, resends: 0 },
      { person: 'website:0', mobile: '139****0002', verified: state !== 'sms_verification', attempts_wrong: 1, resends: 1 },
    ],
    events,
    subject_sn: null,
    website_sns: {},
    ...over,
  };
}

const kTabStates: Record<string, string[]> = {
  under_review: ['under_review'],
  sms_verification: ['sms_verification'],
  decided: ['approved', 'rejected', 'expired'],
};

export class FakeAuthority {
  readonly submissions: SubmissionDetail[] = [];
  readonly codes: FakeCode[] = [];
  readonly mailbox: MailboxMessage[] = [];
  readonly decisions: Array<{ id: string; body: Record<string, unknown> }> = [];
  readonly verifications: Array<Record<string, unknown>> = [];
  pageSize = 20;
  private snCounter = 1;

  constructor(readonly server: FakeServer) {
    server.handlers.push((req) => this.handle(req));
  }

  private userId(): string {
    const s = this.server.session;
    return s ? String(this.server.accounts.indexOf(s) + 1) : '';
  }

  private find(id: string) {
    return this.submissions.find((s) => s.id === id);
  }

  private item(s: SubmissionDetail): AuthorityQueueItem {
    const { organizer: _o, websites: _w, documents: _d, sms: _s, events: _e, subject_sn: _n, website_sns: _ws, ...item } = s;
    return item;
  }

  private transition(s: SubmissionDetail, event: string, to: string, reasons: DecisionReason[] | null) {
    s.events.push({
      seq: s.events.length + 1,
      from_state: s.state,
      to_state: to,
      event,
      actor: this.userId() || 'system',
      reasons,
      at: '2026-12-02T03:00:00.000Z',
    });
    s.state = to;
    s.claimed_by = null;
    s.claim_until = null;
  }

  private smsRow(c: FakeCode): SmsStatus | undefined {
    return this.find(c.submissionId)?.sms.find((x) => x.person === c.person);
  }

  private handle(req: FakeRequest): Response | null {
    const { method, path } = req;
    if (method === 'POST' && path === '/sms-verification') return this.verify(req.body);
    if (method === 'POST' && path === '/sms-verification/resend') return this.resend(req.body);
    const isReview = path.startsWith('/review/');
    if (!isReview && path !== '/admin/mailbox') return null;
    if (!this.server.session) return fail(401, 'unauthenticated', 'login required');
    if (this.server.session.role !== 'authority_reviewer') return fail(403, 'forbidden', 'authority reviewers only');
    if (method !== 'GET' && req.csrf !== this.server.csrf) return fail(403, 'csrf_failed', 'csrf token missing');

    if (method === 'GET' && path === '/admin/mailbox') {
      return json(200, { items: [...this.mailbox].reverse(), next_cursor: null });
    }
    if (method === 'GET' && path === '/review/reasons') return json(200, { items: kAuthorityReasons });
    if (method === 'GET' && path === '/review/queue') {
      const states = kTabStates[req.query.get('state') ?? ''];
      if (!states) {
        return fail(400, 'validation_failed', 'bad state', [{ field: 'state', code: 'invalid', message: 'unknown state' }]);
      }
      let list = this.submissions.filter((s) => states.includes(s.state));
      const province = req.query.get('province');
      if (province) list = list.filter((s) => s.province === province);
      if (req.query.get('overdue') === 'true') list = list.filter((s) => s.overdue);
      const start = Number(req.query.get('cursor') ?? '0');
      const limit = Math.min(Number(req.query.get('limit') ?? '20'), this.pageSize);
      const page = list.slice(start, start + limit);
      const next = start + limit < list.length ? String(start + limit) : null;
      return json(200, { items: page.map((s) => this.item(s)), next_cursor: next });
    }
    const doc = /^\/review\/submissions\/([^/]+)\/documents\/([^/]+)$/.exec(path);
    if (doc && method === 'GET') {
      const d = this.find(decodeURIComponent(doc[1]))?.documents.find((x) => x.id === decodeURIComponent(doc[2]));
      if (!d) return fail(404, 'not_found', 'no such document');
      return new Response(kPngBytes, {
        status: 200,
        headers: { 'Content-Type': d.content_type, 'Content-Disposition': 'attachment' },
      });
    }
    const m = /^\/review\/submissions\/([^/]+)(\/claim|\/decision)?$/.exec(path);
    if (!m) return fail(404, 'not_found', 'no route');
    const s = this.find(decodeURIComponent(m[1]));
    if (!s) return fail(404, 'not_found', 'no such submission');
    const action = m[2] ?? '';
    if (action === '' && method === 'GET') return json(200, s);
    if (action === '/claim' && method === 'POST') {
      if (s.state !== 'under_review') return fail(409, 'invalid_transition', `cannot claim in ${s.state}`);
      if (s.claimed_by && s.claimed_by !== this.userId()) {
        return fail(409, 'claimed_by_other', 'claimed by another reviewer', [
          { field: 'claim.reviewer_id', code: 'claimed_by_other', message: String(s.claimed_by) },
          { field: 'claim.reviewer_name', code: 'claimed_by_other', message: s.claimed_by_name ?? String(s.claimed_by) },
          { field: 'claim.expires_at', code: 'claimed_by_other', message: s.claim_until ?? '' },
        ]);
      }
      s.claimed_by = this.userId();
      s.claimed_by_name = this.server.session.display_name;
      s.claim_until = new Date(Date.now() + 30 * 60_000).toISOString();
      return json(200, { claimed_by: s.claimed_by, claim_until: s.claim_until });
    }
    if (action === '/decision' && method === 'POST') {
      this.decisions.push({ id: s.id, body: req.body });
      if (s.claimed_by !== this.userId()) return fail(409, 'claim_required', 'claim it first');
      if (s.state !== 'under_review') return fail(409, 'invalid_transition', `cannot decide in ${s.state}`);
      const decision = req.body.decision;
      const reasons = (req.body.reasons ?? []) as DecisionReason[];
      if (decision === 'reject') {
        if (reasons.length === 0) {
          return fail(422, 'validation_failed', 'a rejection needs a reason', [
            { field: 'reasons', code: 'required', message: 'at least one reason' },
          ]);
        }
        for (const [i, r] of reasons.entries()) {
          const entry = kAuthorityReasons.find((x) => x.code === r.code);
          if (!entry) {
            return fail(422, 'unknown_reason', `unknown reason ${r.code}`, [
              { field: `reasons[${i}].code`, code: 'unknown_reason', message: `unknown reason ${r.code}` },
            ]);
          }
          if (entry.note_required && !r.message) {
            return fail(422, 'validation_failed', 'note required', [
              { field: `reasons[${i}].message`, code: 'required', message: 'a note is required' },
            ]);
          }
        }
        this.transition(s, 'reject', 'rejected', reasons);
        return json(200, s);
      }
      if (decision !== 'approve') return fail(400, 'validation_failed', 'bad decision');
      const n = this.snCounter++;
      s.subject_sn = `京ICP备2026${String(n).padStart(6, '0')}号`;
      s.website_sns = s.websites.map((w, i) => ({ name: w.name, domains: w.domains, website_sn: `${s.subject_sn}-${i + 1}` }));
      this.transition(s, 'approve', 'approved', null);
      return json(200, s);
    }
    return fail(405, 'method_not_allowed', 'method not allowed');
  }

  private openCode(body: Record<string, unknown>): FakeCode | undefined {
    const last6 = String(body.id_last6 ?? '').toUpperCase();
    return this.codes.find((c) => c.mobile === body.mobile && c.idLast6 === last6 && !c.verified);
  }

  private verify(body: Record<string, unknown>): Response {
    this.verifications.push(body);
    const c = this.openCode(body);
    if (!c) return fail(404, 'sms_code_not_found', 'no open code for this mobile');
    if (c.expired) return fail(410, 'sms_code_expired', 'the code has expired');
    const sub = this.find(c.submissionId)!;
    if (body.code !== c.code) {
      c.attemptsWrong++;
      const row = this.smsRow(c);
      if (row) row.attempts_wrong = c.attemptsWrong;
      if (c.attemptsWrong >= 5) {
        c.expired = true;
        this.transition(sub, 'sms_failed', 'rejected', [{ field: '', code: 'sms_failed', message: 'too many wrong codes' }]);
        return fail(410, 'sms_code_expired', 'too many wrong codes');
      }
      return fail(422, 'sms_code_wrong', 'wrong code', [
        { field: 'attempts_left', code: 'sms_code_wrong', message: String(5 - c.attemptsWrong) },
      ]);
    }
    c.verified = true;
    const row = this.smsRow(c);
    if (row) row.verified = true;
    const remaining = this.codes.filter((x) => x.submissionId === c.submissionId && !x.verified).length;
    if (remaining === 0) this.transition(sub, 'sms_verified', 'under_review', null);
    return json(200, { verified: true, submission_state: sub.state, remaining });
  }

  private resend(body: Record<string, unknown>): Response {
    const c = this.openCode(body);
    if (!c) return fail(404, 'sms_code_not_found', 'no open code for this mobile');
    if (c.expired) return fail(410, 'sms_code_expired', 'the code has expired');
    if (c.resends >= 3) return fail(429, 'sms_resend_limit', 'resend limit reached');
    c.resends++;
    c.code = String((Number(c.code) + 111111) % 1000000).padStart(6, '0');
    return json(200, { resends_left: 3 - c.resends });
  }
}
