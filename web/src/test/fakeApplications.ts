// An in-memory stand-in for the applicant's filing API (applications, precheck, documents,
// submit, withdraw, events, backdrop, photo, inventory), plugged into FakeServer for component
// tests. Same paths, status codes, headers (ETag, If-Match, Idempotency-Key) and error format as
// the agent; the precheck is a small rule set of its own (required fields, one domain per
// website, inventory membership) — enough to drive the pages, not the real rules.
import type {
  Application,
  ApplicationDocument,
  ApplicationEvent,
  Finding,
  FlaggedField,
  Instance,
  InventoryDomain,
  PrecheckResult,
  Reason,
  RequiredDocument,
} from '../api/applications';
import { fail, json, type FakeRequest, type FakeServer } from './fakeServer';

type Stored = Application & { owner: string; icp_password?: string };

const kUnsafe = new Set(['POST', 'PATCH', 'DELETE', 'PUT']);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// RFC 7386 merge patch.
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// The value at a field path such as websites[0].name.
function valueAt(app: unknown, path: string): unknown {
  let cur: unknown = app;
  for (const part of path.split('.')) {
    const re = /([^[\]]+)|\[(\d+)\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(part)) !== null) {
      if (!isObject(cur) && !Array.isArray(cur)) return undefined;
      cur = m[1] !== undefined ? (cur as Record<string, unknown>)[m[1]] : (cur as unknown[])[Number(m[2])];
    }
  }
  return cur;
}

const msg = (en: string, zh: string) => ({ en, 'zh-CN': zh });

export const kDemoInstances: Instance[] = [
  {
    id: 'i-demo-bj-001',
    product: 'ecs',
    region: 'cn-beijing',
    mainland: true,
    public_ip: '47.95.10.1',
    billing: 'subscription',
    expires_at: '2028-12-06',
    service_codes_total: 5,
    service_codes_used: 0,
  },
  {
    id: 'i-demo-sh-002',
    product: 'ecs',
    region: 'cn-shanghai',
    mainland: true,
    public_ip: '47.100.20.2',
    billing: 'subscription',
    expires_at: '2028-12-06',
    service_codes_total: 5,
    service_codes_used: 0,
  },
];

export const kDemoDomains: InventoryDomain[] = ['beian-demo.cn', 'beian-demo.com', '示例科技.cn'].map(
  (name) => ({
    name,
    ascii_name: name,
    holder_name: '北京示例科技有限公司',
    real_name_verified: true,
    registrar: '示例注册商',
    expires_at: '2028-12-06',
  }),
);

export class FakeApplications {
  readonly apps = new Map<string, Stored>();
  readonly documents = new Map<string, ApplicationDocument[]>();
  readonly events = new Map<string, ApplicationEvent[]>();
  readonly idempotent = new Map<string, Response>();
  instances: Instance[] = clone(kDemoInstances);
  domains: InventoryDomain[] = clone(kDemoDomains);
  // How many precheck calls were made (tests check the debounce).
  prechecks = 0;
  // Every create, patch and submit body as received.
  readonly writes: Array<{ method: string; path: string; body: unknown; headers: Record<string, string> }> = [];
  private serial = 0;
  private clock = Date.UTC(2026, 11, 1, 8, 0, 0);

  constructor(readonly server: FakeServer) {
    server.handlers.push((req) => this.handle(req));
  }

  private now(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
  }

  private owner(): string | null {
    return this.server.session?.email ?? null;
  }

  // Adds an application directly (tests that start from a given state).
  seed(partial: Partial<Application> & { state?: string }, owner?: string): Stored {
    const id = `app-${++this.serial}`;
    const at = this.now();
    const app: Stored = {
      id,
      version: 1,
      state: 'draft',
      filing_type: null,
      created_at: at,
      updated_at: at,
      state_entered_at: at,
      sla_deadline: null,
      submitted_at: null,
      backdrop: null,
      flagged_fields: [],
      ...clone(partial),
      owner: owner ?? this.owner() ?? this.server.accounts[0]?.email ?? '',
    } as Stored;
    this.apps.set(id, app);
    this.documents.set(id, []);
    this.events.set(id, [this.event(app, 'create', null, app.state, 'applicant')]);
    return app;
  }

  private event(
    app: Stored,
    event: string,
    from: string | null,
    to: string,
    role: string,
    reasons: Reason[] = [],
  ): ApplicationEvent {
    const list = this.events.get(app.id) ?? [];
    return {
      seq: list.length + 1,
      event,
      actor_id: role === 'applicant' ? 'u-applicant' : 'u-reviewer',
      role,
      from,
      to,
      reasons,
      sla: to === 'preliminary_review' ? 'preliminary_review' : null,
      sla_deadline: to === 'preliminary_review' ? '2026-12-04T10:00:00.000Z' : null,
      at: this.now(),
    };
  }

  // Moves an application as the reviewer side would (tests drive the other half of the journey).
  transition(id: string, to: string, event: string, reasons: Reason[] = [], role = 'reviewer'): Stored {
    const app = this.apps.get(id)!;
    const from = app.state;
    this.events.get(id)!.push(this.event(app, event, from, to, role, reasons));
    app.state = to;
    app.version += 1;
    app.state_entered_at = this.now();
    app.sla_deadline = to === 'preliminary_review' ? '2026-12-04T10:00:00.000Z' : null;
    if (reasons.length > 0) {
      app.flagged_fields = reasons.map((r) => ({
        ...r,
        changed: false,
        before: JSON.stringify(valueAt(app, r.field) ?? null),
      })) as FlaggedField[];
    }
    return app;
  }

  private view(app: Stored): Application {
    const out = clone(app) as Application & { owner?: string; icp_password?: string };
    delete out.owner;
    delete out.icp_password;
    out.flagged_fields = (app.flagged_fields ?? []).map((f) => {
      const before = (f as FlaggedField & { before?: string }).before;
      const changed = before !== undefined && JSON.stringify(valueAt(app, f.field) ?? null) !== before;
      return { field: f.field, code: f.code, message: f.message, changed };
    });
    return out;
  }

  private answer(status: number, app: Stored): Response {
    return json(status, this.view(app), { ETag: `"${app.version}"` });
  }

  precheck(app: Stored): PrecheckResult {
    const findings: Finding[] = [];
    const need = (path: string) => {
      const v = valueAt(app, path);
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) {
        findings.push({
          severity: 'error',
          field: path,
          code: 'required',
          message: msg('This field is required.', '此项为必填项。'),
        });
      }
    };
    for (const p of [
      'organizer.type',
      'organizer.name',
      'organizer.certificate.type',
      'organizer.certificate.number',
      'organizer.province',
      'organizer.address',
      'organizer.person_in_charge.name',
      'organizer.person_in_charge.id_number',
      'organizer.person_in_charge.mobile',
    ]) {
      need(p);
    }
    const number = String(valueAt(app, 'organizer.certificate.number') ?? '');
    if (number && !/^[0-9A-Z]{18}$/.test(number)) {
      findings.push({
        severity: 'error',
        field: 'organizer.certificate.number',
        code: 'uscc_invalid',
        message: msg('The unified social credit code is not valid.', '统一社会信用代码无效。'),
      });
    }
    const websites = app.websites ?? [];
    if (websites.length === 0) need('websites');
    websites.forEach((w, i) => {
      need(`websites[${i}].name`);
      need(`websites[${i}].domains`);
      need(`websites[${i}].instance_id`);
      need(`websites[${i}].service_content`);
      if ((w.domains ?? []).length > 1) {
        findings.push({
          severity: 'error',
          field: `websites[${i}].domains`,
          code: 'one_domain_per_website',
          message: msg('One domain per website.', '每个网站只能填写一个域名。'),
        });
      }
      for (const [j, d] of (w.domains ?? []).entries()) {
        if (!this.domains.some((x) => x.name === d)) {
          findings.push({
            severity: 'warning',
            field: `websites[${i}].domains[${j}]`,
            code: 'domain_not_in_inventory',
            message: msg(`${d} is not in your account.`, `域名 ${d} 不在您的账号中。`),
          });
        }
      }
      if (w.name && /新闻|news/i.test(w.name)) {
        findings.push({
          severity: 'warning',
          field: `websites[${i}].name`,
          code: 'regulated_word',
          message: msg('The name suggests news content.', '网站名称含有新闻类词语。'),
        });
      }
    });
    const docs = this.documents.get(app.id) ?? [];
    const required: RequiredDocument[] = [
      { kind: 'organizer_certificate', subject: 'organizer' },
      { kind: 'id_front', subject: 'organizer.person_in_charge' },
      { kind: 'id_back', subject: 'organizer.person_in_charge' },
      { kind: 'verified_photo', subject: 'organizer' },
    ].map((d) => ({
      ...d,
      reason: `doc_reason_${d.kind}`,
      message: msg(`${d.kind} of ${d.subject}`, `${d.subject} 的 ${d.kind}`),
      satisfied: docs.some((x) => x.kind === d.kind && x.subject === d.subject),
    }));
    const filingType = app.organizer?.name === '已备案主体' ? 'new_website' : 'first_filing';
    return {
      filing_type: filingType,
      filing_row: filingType,
      explanation:
        filingType === 'first_filing'
          ? 'This is a first filing: the subject is not filed yet.'
          : 'The subject is filed already: this adds a website.',
      explanation_message:
        filingType === 'first_filing'
          ? msg('This is a first filing: the subject is not filed yet.', '首次备案：主体尚未备案。')
          : msg('The subject is filed already: this adds a website.', '主体已备案：本次为新增网站。'),
      needs_beian_credentials: filingType === 'new_website',
      sms_persons: ['organizer.person_in_charge'],
      province: app.organizer?.province ?? '',
      findings,
      required_documents: required,
    };
  }

  private handle(req: FakeRequest): Response | null {
    const { method, path } = req;
    const isOurs = path.startsWith('/applications') || path.startsWith('/inventory/');
    if (!isOurs) return null;
    const me = this.owner();
    if (!me) return fail(401, 'unauthenticated', 'login required');
    if (this.server.session?.role !== 'applicant') return fail(403, 'forbidden', 'applicants only');
    if (kUnsafe.has(method) && req.csrf !== this.server.csrf) {
      return fail(403, 'csrf_failed', 'csrf token missing');
    }

    if (method === 'GET' && (path === '/inventory/instances' || path === '/inventory/domains')) {
      const items = path.endsWith('instances') ? this.instances : this.domains;
      return json(200, { items, next_cursor: null });
    }

    if (path === '/applications' && method === 'GET') {
      const state = req.query.get('state');
      const limit = Number(req.query.get('limit') ?? 20);
      const start = Number(req.query.get('cursor') ?? 0);
      const mine = [...this.apps.values()]
        .filter((a) => a.owner === me && (!state || a.state === state))
        .reverse();
      const page = mine.slice(start, start + limit);
      const next = start + limit < mine.length ? String(start + limit) : null;
      return json(200, { items: page.map((a) => this.view(a)), next_cursor: next });
    }
    if (path === '/applications' && method === 'POST') {
      const key = req.headers['Idempotency-Key'];
      const remembered = key ? this.idempotent.get(`${me}:${key}`) : undefined;
      this.writes.push({ method, path, body: req.body, headers: req.headers });
      if (remembered) return remembered.clone();
      const app = this.seed(req.body as Partial<Application>, me);
      const answer = this.answer(201, app);
      if (key) this.idempotent.set(`${me}:${key}`, answer.clone());
      return answer;
    }

    const m = /^\/applications\/([^/]+)(?:\/([a-z]+))?(?:\/([^/]+))?$/.exec(path);
    if (!m) return null;
    const id = decodeURIComponent(m[1]);
    const sub = m[2] ?? '';
    const docId = m[3] ? decodeURIComponent(m[3]) : null;
    const app = this.apps.get(id);
    if (!app || app.owner !== me) return fail(404, 'not_found', 'no such application');
    const editable = app.state === 'draft' || app.state === 'returned';
    const invalid = (event: string) =>
      fail(409, 'invalid_transition', `state ${app.state} does not allow ${event}`);

    if (sub === '' && method === 'GET') return this.answer(200, app);
    if (sub === '' && method === 'PATCH') {
      this.writes.push({ method, path, body: req.body, headers: req.headers });
      const ifMatch = req.headers['If-Match'];
      if (!ifMatch) return fail(428, 'precondition_required', 'If-Match is required');
      if (ifMatch.replace(/^W\//, '').replace(/"/g, '') !== String(app.version)) {
        return fail(412, 'precondition_failed', 'the application has changed');
      }
      if (!editable) return invalid('update');
      const merged = mergePatch(app, req.body) as Stored;
      Object.assign(app, merged, {
        id: app.id,
        version: app.version + 1,
        state: app.state,
        owner: app.owner,
        updated_at: this.now(),
      });
      for (const k of Object.keys(app) as Array<keyof Stored>) {
        if (!(k in merged) && k !== 'version' && k !== 'updated_at') delete app[k];
      }
      return this.answer(200, app);
    }
    if (sub === 'precheck' && method === 'POST') {
      this.prechecks += 1;
      return json(200, this.precheck(app));
    }
    if (sub === 'submit' && method === 'POST') {
      this.writes.push({ method, path, body: req.body, headers: req.headers });
      const key = req.headers['Idempotency-Key'];
      const remembered = key ? this.idempotent.get(`${me}:${key}`) : undefined;
      if (remembered) return remembered.clone();
      if (!editable) return invalid('submit');
      const p = this.precheck(app);
      const details = [
        ...p.findings
          .filter((f) => f.severity === 'error')
          .map((f) => ({ field: f.field, code: f.code, message: f.message.en ?? '' })),
        ...p.required_documents
          .filter((d) => !d.satisfied && d.kind !== 'verified_photo')
          .map((d) => ({ field: d.subject, code: 'document_missing', message: `the document ${d.kind} for ${d.subject} is missing` })),
      ];
      if (details.length > 0) {
        return fail(422, 'precheck_failed', 'the application does not pass the precheck', details);
      }
      if (p.needs_beian_credentials && (!req.body.beian_sn || !req.body.icp_password)) {
        const missing = [];
        if (!req.body.beian_sn) missing.push({ field: 'beian_sn', code: 'required', message: 'required' });
        if (!req.body.icp_password) {
          missing.push({ field: 'icp_password', code: 'required', message: 'required' });
        }
        return fail(422, 'beian_credentials_required', 'Beian SN and ICP password needed', missing);
      }
      // The authority knows one subject: 京ICP备12345678号 with the password zh-lantern-river-7.
      if (
        p.needs_beian_credentials &&
        (req.body.beian_sn !== '京ICP备12345678号' || req.body.icp_password !== 'zh-lantern-river-7')
      ) {
        const text = 'the Beian SN and ICP password do not match';
        return fail(422, 'beian_credentials_invalid', text, [
          { field: 'beian_sn', code: 'beian_credentials_invalid', message: text },
          { field: 'icp_password', code: 'beian_credentials_invalid', message: text },
        ]);
      }
      app.filing_type = p.filing_type;
      app.submitted_at ??= this.now();
      this.transition(id, 'preliminary_review', app.state === 'returned' ? 'resubmit' : 'submit', [], 'applicant');
      const answer = this.answer(200, app);
      if (key) this.idempotent.set(`${me}:${key}`, answer.clone());
      return answer;
    }
    if (sub === 'withdraw' && method === 'POST') {
      if (app.state === 'approved' || app.state === 'withdrawn') return invalid('withdraw');
      this.transition(id, 'withdrawn', 'withdraw', [], 'applicant');
      return this.answer(200, app);
    }
    if (sub === 'events' && method === 'GET') {
      return json(200, { items: this.events.get(id) ?? [] });
    }
    if (sub === 'backdrop' && method === 'POST') {
      if (app.state !== 'verification') return invalid('request_backdrop');
      const b = req.body as Record<string, string>;
      const details = [];
      const recipient = String(b.recipient ?? '').trim();
      if (recipient.length < 2 || recipient.length > 30) {
        details.push({ field: 'recipient', code: 'invalid', message: '2 to 30 characters' });
      }
      if (!/^1[3-9]\d{9}$/.test(String(b.mobile ?? ''))) {
        details.push({ field: 'mobile', code: 'invalid_mobile', message: 'not a mobile number' });
      }
      const address = String(b.address ?? '').trim();
      if (address.length < 8 || address.length > 200) {
        details.push({ field: 'address', code: 'invalid', message: '8 to 200 characters' });
      }
      if (details.length) return fail(422, 'validation_failed', 'invalid request', details);
      app.backdrop = {
        recipient,
        mobile: String(b.mobile),
        address,
        requested_at: this.now(),
        carrier: null,
        tracking_number: null,
        shipped_at: null,
      };
      this.transition(id, 'backdrop_requested', 'request_backdrop', [], 'applicant');
      return this.answer(200, app);
    }
    if (sub === 'photo' && method === 'POST') {
      if (app.state !== 'backdrop_shipped') return invalid('upload_photo');
      const doc = (this.documents.get(id) ?? []).find(
        (d) => d.id === req.body.document_id && d.kind === 'verified_photo',
      );
      if (!doc) {
        return fail(422, 'validation_failed', 'no such photo', [
          { field: 'document_id', code: 'invalid', message: 'not a verified photo of this application' },
        ]);
      }
      this.transition(id, 'photo_uploaded', 'upload_photo', [], 'applicant');
      return this.answer(200, app);
    }
    if (sub === 'documents' && method === 'GET' && !docId) {
      return json(200, { items: this.documents.get(id) ?? [] });
    }
    if (sub === 'documents' && method === 'POST' && !docId) {
      const form = req.form;
      const kind = String(form?.get('kind') ?? '');
      const subject = String(form?.get('subject') ?? '');
      const file = form?.get('file');
      const photoTime = kind === 'verified_photo' && app.state === 'backdrop_shipped';
      if (!editable && !photoTime) return invalid('upload');
      if (!(file instanceof Blob)) {
        return fail(400, 'validation_failed', 'file required', [
          { field: 'file', code: 'required', message: 'required' },
        ]);
      }
      const type = file.type;
      if (!['image/png', 'image/jpeg', 'application/pdf'].includes(type)) {
        return fail(422, 'unsupported_file_type', 'only JPEG, PNG and PDF');
      }
      if (type === 'application/pdf' && ['id_front', 'id_back', 'verified_photo'].includes(kind)) {
        return fail(422, 'photo_must_be_image', 'this kind must be an image');
      }
      const list = this.documents.get(id)!;
      if (kind === 'verified_photo') {
        this.documents.set(id, list.filter((d) => d.kind !== 'verified_photo'));
      }
      const doc: ApplicationDocument = {
        id: `doc-${++this.serial}`,
        kind,
        subject,
        size: file.size,
        content_type: type,
        sha256: 'f'.repeat(64),
        file_name: file instanceof File ? file.name : 'upload',
        width: type === 'application/pdf' ? null : 800,
        height: type === 'application/pdf' ? null : 600,
        uploader_id: 'u-applicant',
        created_at: this.clock,
      };
      this.documents.get(id)!.push(doc);
      return json(201, doc);
    }
    if (sub === 'documents' && method === 'DELETE' && docId) {
      const list = this.documents.get(id)!;
      const i = list.findIndex((d) => d.id === docId);
      if (i < 0) return fail(404, 'not_found', 'no such document');
      if (!editable) return invalid('delete_document');
      list.splice(i, 1);
      return new Response(null, { status: 204 });
    }
    return null;
  }
}

// A FakeServer with the demo applicant logged in and the filing API plugged in.
export function withApplications(server: FakeServer): FakeApplications {
  return new FakeApplications(server);
}
