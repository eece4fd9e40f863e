// An in-memory stand-in for the reviewer's endpoints (/review/…, document downloads), layered
// over FakeServer (accounts, session): same paths, status codes and error format as the review
// contract. Applications move through the states the real state machine allows for the calls
// faked here; claims belong to the logged-in reviewer.
import type {
  Application,
  ApplicationDocument,
  ApplicationEvent,
  PrecheckResult,
} from '../api/applications';
import type {
  BackdropEntry,
  Claim,
  DecisionReason,
  FieldChange,
  QueueItem,
  ReasonEntry,
} from '../api/review';
import type { FakeServer } from './fakeServer';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

const fail = (status: number, code: string, message: string, details: unknown[] = []) =>
  json(status, { error: { code, message, details } });

export const kReasons: ReasonEntry[] = [
  { code: 'name_unrelated', zh_CN: '网站名称与主办者无关', en: 'Website name unrelated to the organizer', note_required: false, stages: ['preliminary'] },
  { code: 'info_mismatch', zh_CN: '信息与证件不一致', en: 'Information does not match the documents', note_required: false, stages: ['preliminary'] },
  { code: 'document_unclear', zh_CN: '材料不清晰', en: 'Document unclear', note_required: false, stages: ['preliminary', 'photo'] },
  { code: 'photo_nonconforming', zh_CN: '核验照片不合格', en: 'Verified photo does not conform', note_required: false, stages: ['photo'] },
  { code: 'other', zh_CN: '其他', en: 'Other', note_required: true, stages: ['preliminary', 'photo'] },
];

// A 1×1 PNG, as the documents' bytes.
export const kPng = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  ),
  (c) => c.charCodeAt(0),
);

export interface FakeFiling {
  application: Application;
  documents: ApplicationDocument[];
  precheck: PrecheckResult | null;
  events: ApplicationEvent[];
  changes_since_rejection: FieldChange[];
  last_rejection: { at: string; reasons: DecisionReason[] } | null;
  claim: (Claim & { holder: string }) | null;
  resubmission: boolean;
  overdue: boolean;
  // Unmasked values the reveal answers.
  secrets: Record<string, string>;
}

export function person(n: number) {
  return {
    name: `负责人${n}`,
    id_type: 'resident_id_card',
    id_number: '3301**********1234',
    mobile: '139****0001',
    email: `p${n}@example.com`,
  };
}

export function makeFiling(id: string, over: Partial<FakeFiling> = {}, state = 'preliminary_review'): FakeFiling {
  const application = {
    id,
    version: 3,
    state,
    filing_type: 'first_filing',
    province: '33',
    organizer: {
      type: 'enterprise',
      name: `杭州${id}科技有限公司`,
      certificate: { type: 'business_license', number: '91330100MA27XXXX1X' },
      province: '33',
      address: '浙江省杭州市西湖区文三路 1 号',
      person_in_charge: person(1),
    },
    websites: [
      {
        name: `${id} 官网`,
        domains: [`${id}.example.cn`],
        homepage: `www.${id}.example.cn`,
        service_content: 'enterprise_portal',
        languages: ['zh-CN'],
        pre_approvals: [],
        instance_id: 'i-demo-1',
        person_in_charge: person(2),
      },
    ],
    beian: { subject_sn: '', website_sns: {} },
    created_at: '2026-12-01T02:00:00.000Z',
    updated_at: '2026-12-01T02:00:00.000Z',
    state_entered_at: '2026-12-01T02:00:00.000Z',
    sla_deadline: '2026-12-04T02:00:00.000Z',
    submitted_at: '2026-12-01T02:00:00.000Z',
    flagged_fields: [],
    backdrop: null,
  } as unknown as Application;
  return {
    application,
    documents: [
      {
        id: `${id}-d1`,
        kind: 'organizer_certificate',
        subject: 'organizer',
        size: 2048,
        content_type: 'image/png',
        sha256: 'x',
        file_name: 'license.png',
        width: 800,
        height: 600,
        uploader_id: '1',
        created_at: 1,
      },
      {
        id: `${id}-d2`,
        kind: 'id_front',
        subject: 'websites[0].person_in_charge',
        size: 4096,
        content_type: 'application/pdf',
        sha256: 'y',
        file_name: 'id.pdf',
        width: null,
        height: null,
        uploader_id: '1',
        created_at: 2,
      },
    ],
    precheck: {
      filing_type: 'first_filing',
      explanation: 'This is a first filing.',
      explanation_message: { en: 'This is a first filing.', 'zh-CN': '首次备案。' },
      needs_beian_credentials: false,
      required_documents: [],
      findings: [
        {
          severity: 'warning',
          field: 'websites[0].name',
          code: 'name_generic',
          message: { en: 'The website name is generic', 'zh-CN': '网站名称过于宽泛' },
        },
      ],
    },
    events: [
      {
        seq: 1,
        event: 'create',
        actor_id: '1',
        role: 'applicant',
        from: null,
        to: 'draft',
        reasons: [],
        sla: null,
        sla_deadline: null,
        at: '2026-12-01T01:00:00.000Z',
      },
      {
        seq: 2,
        event: 'submit',
        actor_id: '1',
        role: 'applicant',
        from: 'draft',
        to: 'preliminary_review',
        reasons: [],
        sla: 'preliminary_review',
        sla_deadline: '2026-12-04T02:00:00.000Z',
        at: '2026-12-01T02:00:00.000Z',
      },
    ],
    changes_since_rejection: [],
    last_rejection: null,
    claim: null,
    resubmission: false,
    overdue: false,
    secrets: {
      'organizer.person_in_charge.id_number': '330106199001011234',
      'organizer.person_in_charge.mobile': '13900000001',
      'websites[0].person_in_charge.id_number': '330106199202021234',
      'websites[0].person_in_charge.mobile': '13900000002',
    },
    ...over,
  };
}

const kStageState: Record<string, string> = {
  preliminary: 'preliminary_review',
  photo: 'photo_uploaded',
  ready: 'photo_accepted',
};

export class FakeReview {
  readonly filings: FakeFiling[] = [];
  readonly backdrops: BackdropEntry[] = [];
  readonly reveals: string[] = [];
  readonly decisions: Array<{ id: string; path: string; body: unknown }> = [];
  readonly shipped: Array<{ id: string; body: unknown }> = [];
  // Queue pages are this long (a small number shows "load more").
  pageSize = 20;
  // Codes the server refuses although the catalogue lists them (a catalogue changed meanwhile).
  readonly refusedCodes = new Set<string>();

  constructor(readonly base: FakeServer) {}

  private me(): string {
    return this.base.session?.email ?? '';
  }

  private claimView(f: FakeFiling): Claim | null {
    if (!f.claim) return null;
    const { holder, ...c } = f.claim;
    return { ...c, mine: holder === this.me() };
  }

  private find(id: string): FakeFiling | undefined {
    return this.filings.find((f) => f.application.id === id);
  }

  private queueItem(f: FakeFiling): QueueItem {
    const a = f.application;
    return {
      id: a.id,
      state: a.state,
      filing_type: a.filing_type,
      province: a.province ?? '',
      organizer_type: a.organizer?.type ?? '',
      organizer_name: a.organizer?.name ?? '',
      certificate_number: a.organizer?.certificate?.number ?? '',
      website_count: a.websites?.length ?? 0,
      domains: (a.websites ?? []).flatMap((w) => w.domains ?? []),
      submitted_at: '2026-12-01T02:00:00.000Z',
      state_entered_at: a.state_entered_at,
      waiting_business_days: f.overdue ? 5 : 1,
      sla_deadline: a.sla_deadline,
      overdue: f.overdue,
      resubmission: f.resubmission,
      claim: this.claimView(f),
    };
  }

  private transition(f: FakeFiling, event: string, to: string, reasons: DecisionReason[]) {
    const from = f.application.state;
    f.application.state = to;
    f.events.push({
      seq: f.events.length + 1,
      event,
      actor_id: '2',
      role: 'reviewer',
      from,
      to,
      reasons,
      sla: null,
      sla_deadline: null,
      at: '2026-12-02T03:00:00.000Z',
    });
    f.claim = null;
  }

  // Checks a decision's reasons as the server does; an error answer or null.
  private checkReasons(decision: string, reasons: DecisionReason[], stage: 'preliminary' | 'photo') {
    if (decision.startsWith('reject') && reasons.length === 0) {
      return fail(422, 'validation_failed', 'a rejection needs a reason', [
        { field: 'reasons', code: 'required', message: 'at least one reason' },
      ]);
    }
    for (const [i, r] of reasons.entries()) {
      const entry = kReasons.find((x) => x.code === r.code && x.stages.includes(stage));
      if (!entry || this.refusedCodes.has(r.code)) {
        return fail(422, 'unknown_reason', `unknown reason ${r.code}`, [
          { field: `reasons[${i}].code`, code: 'unknown_reason', message: `unknown reason ${r.code}` },
        ]);
      }
      if (entry.note_required && !r.message) {
        return fail(422, 'validation_failed', 'note required', [
          { field: `reasons[${i}].message`, code: 'note_required', message: 'a note is required' },
        ]);
      }
    }
    return null;
  }

  wrap(next: typeof fetch): typeof fetch {
    return async (input, init = {}) => {
      const method = (init.method ?? 'GET').toUpperCase();
      const url = String(input);
      const prefix = this.base.config.api_base;
      if (!url.startsWith(prefix)) return next(input, init);
      const full = url.slice(prefix.length);
      const [path, qs = ''] = full.split('?');
      const q = new URLSearchParams(qs);
      const isReview = path.startsWith('/review/');
      const doc = /^\/applications\/([^/]+)\/documents\/([^/]+)$/.exec(path);
      if (!isReview && !doc) return next(input, init);
      // Keep the request log whole.
      this.base.requests.push({ method, path: url, csrf: null, headers: {} });
      if (!this.base.session) return fail(401, 'unauthenticated', 'login required');
      if (this.base.session.role !== 'reviewer') return fail(403, 'forbidden', 'reviewers only');
      const body = init.body ? JSON.parse(String(init.body)) : {};

      if (doc && method === 'GET') {
        const f = this.find(decodeURIComponent(doc[1]));
        const d = f?.documents.find((x) => x.id === decodeURIComponent(doc[2]));
        if (!d) return fail(404, 'not_found', 'no such document');
        return new Response(kPng, {
          status: 200,
          headers: { 'Content-Type': d.content_type, 'Content-Disposition': 'attachment' },
        });
      }
      if (method === 'GET' && path === '/review/reasons') return json(200, { items: kReasons });
      if (method === 'GET' && path === '/review/queue') {
        const state = kStageState[q.get('stage') ?? 'preliminary'];
        let list = this.filings.filter((f) => f.application.state === state);
        if (q.get('province')) list = list.filter((f) => f.application.province === q.get('province'));
        if (q.get('organizer_type')) {
          list = list.filter((f) => f.application.organizer?.type === q.get('organizer_type'));
        }
        if (q.get('overdue') === 'true') list = list.filter((f) => f.overdue);
        const start = Number(q.get('cursor') ?? '0');
        const limit = Math.min(Number(q.get('limit') ?? '20'), this.pageSize);
        const page = list.slice(start, start + limit);
        const next = start + limit < list.length ? String(start + limit) : null;
        return json(200, { items: page.map((f) => this.queueItem(f)), next_cursor: next });
      }
      const m = /^\/review\/applications\/([^/]+)(\/[a-z-]+)?$/.exec(path);
      if (m) {
        const f = this.find(decodeURIComponent(m[1]));
        if (!f) return fail(404, 'not_found', 'no such application');
        const action = m[2] ?? '';
        if (action === '' && method === 'GET') {
          const { secrets: _s, resubmission: _r, overdue: _o, ...rest } = f;
          return json(200, { ...rest, claim: this.claimView(f) });
        }
        if (action === '/claim' && method === 'POST') {
          if (f.claim && f.claim.holder !== this.me()) {
            return fail(409, 'claimed_by_other', 'claimed by another reviewer', [
              { field: 'claim.reviewer_id', code: 'claimed_by_other', message: String(f.claim.reviewer_id) },
              { field: 'claim.reviewer_name', code: 'claimed_by_other', message: f.claim.reviewer_name },
              { field: 'claim.expires_at', code: 'claimed_by_other', message: f.claim.expires_at },
            ]);
          }
          f.claim = {
            reviewer_id: 2,
            reviewer_name: this.base.session.display_name,
            expires_at: '2026-12-02T04:00:00.000Z',
            mine: true,
            holder: this.me(),
          };
          return json(200, { application_id: f.application.id, reviewer_id: 2, expires_at: f.claim.expires_at });
        }
        if (action === '/claim' && method === 'DELETE') {
          if (f.claim?.holder === this.me()) f.claim = null;
          return new Response(null, { status: 204 });
        }
        if (action === '/reveal' && method === 'POST') {
          this.reveals.push(f.application.id);
          return json(200, { values: f.secrets });
        }
        if (action === '/decision' || action === '/photo-decision') {
          this.decisions.push({ id: f.application.id, path: action, body });
          if (f.claim?.holder !== this.me()) return fail(409, 'claim_required', 'claim it first');
          const photo = action === '/photo-decision';
          const bad = this.checkReasons(body.decision, body.reasons ?? [], photo ? 'photo' : 'preliminary');
          if (bad) return bad;
          const from = f.application.state;
          if (!photo && from !== 'preliminary_review') {
            return fail(409, 'invalid_transition', `cannot ${body.decision} in ${from}`);
          }
          if (photo && from !== 'photo_uploaded') {
            return fail(409, 'invalid_transition', `cannot ${body.decision} in ${from}`);
          }
          const to = photo
            ? body.decision === 'accept'
              ? 'photo_accepted'
              : 'backdrop_shipped'
            : body.decision === 'approve'
              ? 'verification'
              : 'returned';
          const event = photo ? `${body.decision}_photo` : body.decision;
          this.transition(f, event, to, body.reasons ?? []);
          return json(200, f.application);
        }
      }
      if (method === 'GET' && path === '/review/backdrops') {
        const status = q.get('status') ?? 'requested';
        const list = this.backdrops.filter((b) => (status === 'shipped') === (b.shipped_at !== null));
        const start = Number(q.get('cursor') ?? '0');
        const page = list.slice(start, start + this.pageSize);
        const next = start + this.pageSize < list.length ? String(start + this.pageSize) : null;
        return json(200, { items: page, next_cursor: next });
      }
      const ship = /^\/review\/backdrops\/([^/]+)\/ship$/.exec(path);
      if (ship && method === 'POST') {
        const b = this.backdrops.find((x) => x.application_id === decodeURIComponent(ship[1]));
        if (!b) return fail(404, 'not_found', 'no such backdrop');
        this.shipped.push({ id: b.application_id, body });
        if (b.shipped_at) return fail(409, 'invalid_transition', 'already shipped');
        if (body.tracking_number === 'SF-TAKEN') {
          return fail(422, 'validation_failed', 'invalid', [
            { field: 'tracking_number', code: 'invalid', message: 'tracking number refused' },
          ]);
        }
        b.carrier = body.carrier;
        b.tracking_number = body.tracking_number;
        b.shipped_at = '2026-12-03T05:00:00.000Z';
        return json(200, b);
      }
      return fail(404, 'not_found', 'no route');
    };
  }
}
