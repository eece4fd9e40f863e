// The applicant's filing calls against the fake agent: headers (If-Match, Idempotency-Key, CSRF),
// versions from ETag, upload progress and its failures, paths and paging.
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from './client';
import { login } from './auth';
import {
  createApplication,
  deleteDocument,
  documentUrl,
  formatFieldPath,
  getApplication,
  listApplications,
  listDocuments,
  listEvents,
  listInstances,
  listInventoryDomains,
  newIdempotencyKey,
  parseFieldPath,
  patchApplication,
  precheckApplication,
  requestBackdrop,
  submitApplication,
  submitPhoto,
  uploadDocument,
  versionFromETag,
  withdrawApplication,
} from './applications';
import { FakeServer } from '../test/fakeServer';
import { FakeApplications } from '../test/fakeApplications';

const kConfig = { service: 'agent' as const, api_base: '/api/v1', version: 'test' };
const kApplicant = {
  email: 'applicant@demo.beian.test',
  phone: '13800000001',
  password: 'zh-lantern-river-7',
  display_name: '示例申请人',
  role: 'applicant',
};

const kComplete = {
  organizer: {
    type: 'enterprise',
    name: '北京示例科技有限公司',
    certificate: { type: 'business_license', number: '91110108MA01ABCD5T' },
    province: '11',
    address: '北京市海淀区中关村大街1号',
    person_in_charge: {
      name: '张三',
      id_type: 'resident_id_card',
      id_number: '110105199003071239',
      mobile: '13800138000',
    },
  },
  websites: [
    {
      name: '示例科技官网',
      domains: ['beian-demo.cn'],
      service_content: 'enterprise_portal',
      languages: ['zh-CN'],
      instance_id: 'i-demo-bj-001',
    },
  ],
};

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

const png = (bytes = 1000) => new File([new Uint8Array(bytes)], 'front.png', { type: 'image/png' });
const pdf = () => new File([new Uint8Array(300)], 'licence.pdf', { type: 'application/pdf' });

let server: FakeServer;
let fake: FakeApplications;
let client: ApiClient;

beforeEach(async () => {
  server = new FakeServer(kConfig);
  server.addAccount(kApplicant);
  fake = new FakeApplications(server);
  client = new ApiClient(kConfig.api_base, server.fetch, server.upload);
  await login(client, { email: kApplicant.email, password: kApplicant.password });
});

describe('helpers', () => {
  it('reads versions out of ETags', () => {
    expect(versionFromETag('"3"')).toBe(3);
    expect(versionFromETag('W/"12"')).toBe(12);
    expect(versionFromETag('7')).toBe(7);
    expect(versionFromETag(null)).toBeNull();
    expect(versionFromETag('"abc"')).toBeNull();
  });

  it('makes distinct UUID keys', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });

  it('splits and joins field paths', () => {
    expect(parseFieldPath('websites[0].person_in_charge.id_number')).toEqual([
      'websites',
      0,
      'person_in_charge',
      'id_number',
    ]);
    expect(parseFieldPath('websites[1].domains[0]')).toEqual(['websites', 1, 'domains', 0]);
    expect(formatFieldPath(['websites', 1, 'domains', 0])).toBe('websites[1].domains[0]');
    expect(formatFieldPath(parseFieldPath('organizer.name'))).toBe('organizer.name');
  });
});

describe('applications', () => {
  it('creates with an Idempotency-Key: the same key answers the first draft again', async () => {
    const key = newIdempotencyKey();
    const a = await createApplication(client, { organizer: { name: '甲' } }, key);
    const again = await createApplication(client, { organizer: { name: '甲' } }, key);
    expect(again.id).toBe(a.id);
    expect(a.version).toBe(1);
    expect(a.state).toBe('draft');
    expect(fake.apps.size).toBe(1);
    const create = server.requests.filter((r) => r.path === '/api/v1/applications');
    expect(create[0].headers['Idempotency-Key']).toBe(key);
    expect(create[0].csrf).toMatch(/^csrf-/);
  });

  it('patches with If-Match and takes the new version from the ETag; stale is 412', async () => {
    const a = await createApplication(client, {}, newIdempotencyKey());
    const b = await patchApplication(client, a.id, a.version, { organizer: { name: '乙' } });
    expect(b.version).toBe(2);
    expect(b.organizer?.name).toBe('乙');
    const patch = server.requests.find((r) => r.path.endsWith(`/applications/${a.id}`) && r.method === 'PATCH');
    expect(patch?.headers['If-Match']).toBe('"1"');
    const stale = await failure(patchApplication(client, a.id, 1, { organizer: { name: '丙' } }));
    expect(stale.status).toBe(412);
    expect(stale.code).toBe('precondition_failed');
    const fresh = await getApplication(client, a.id);
    expect(fresh.version).toBe(2);
    expect(fresh.organizer?.name).toBe('乙');
  });

  it('lists newest first with a state filter and cursor paging', async () => {
    for (let i = 0; i < 3; i++) await createApplication(client, {}, newIdempotencyKey());
    fake.seed({ state: 'returned' });
    const first = await listApplications(client, { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const second = await listApplications(client, { limit: 2, cursor: first.next_cursor });
    expect(second.items).toHaveLength(2);
    expect(second.next_cursor).toBeNull();
    const returned = await listApplications(client, { state: 'returned' });
    expect(returned.items.map((a) => a.state)).toEqual(['returned']);
    expect(server.requests.some((r) => r.path === '/api/v1/applications?state=returned')).toBe(true);
  });

  it('prechecks, refuses to submit with findings, submits once per key', async () => {
    const a = await createApplication(client, { organizer: { name: '丁' } }, newIdempotencyKey());
    const p = await precheckApplication(client, a.id);
    expect(p.findings.some((f) => f.field === 'organizer.address' && f.severity === 'error')).toBe(true);
    const refused = await failure(submitApplication(client, a.id, {}, newIdempotencyKey()));
    expect(refused.status).toBe(422);
    expect(refused.code).toBe('precheck_failed');
    expect(refused.details.some((d) => d.field === 'organizer.address')).toBe(true);

    const b = await patchApplication(client, a.id, a.version, kComplete);
    for (const [kind, subject] of [
      ['organizer_certificate', 'organizer'],
      ['id_front', 'organizer.person_in_charge'],
      ['id_back', 'organizer.person_in_charge'],
    ]) {
      await uploadDocument(client, a.id, { kind, subject, file: kind === 'organizer_certificate' ? pdf() : png() });
    }
    const ready = await precheckApplication(client, b.id);
    expect(ready.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(ready.required_documents.filter((d) => d.satisfied).length).toBe(3);

    const key = newIdempotencyKey();
    const submitted = await submitApplication(client, a.id, {}, key);
    expect(submitted.state).toBe('preliminary_review');
    const again = await submitApplication(client, a.id, {}, key);
    expect(again.state).toBe('preliminary_review');
    const events = await listEvents(client, a.id);
    expect(events.map((e) => e.event)).toEqual(['create', 'submit']);
    const submit = server.requests.filter((r) => r.path.endsWith('/submit'));
    expect(submit).toHaveLength(3);
    expect(submit[1].headers['Idempotency-Key']).toBe(key);
    expect(submit[2].headers['Idempotency-Key']).toBe(key);
    expect(submit[0].headers['Idempotency-Key']).not.toBe(key);
  });

  it('sends the Beian credentials only when given', async () => {
    const a = await createApplication(client, {}, newIdempotencyKey());
    await failure(submitApplication(client, a.id, { beian_sn: '', icp_password: '' }, 'k1'));
    expect(fake.writes.at(-1)?.body).toEqual({});
    await failure(submitApplication(client, a.id, { beian_sn: '京ICP备12345678号', icp_password: 'x-secret-9' }, 'k2'));
    expect(fake.writes.at(-1)?.body).toEqual({ beian_sn: '京ICP备12345678号', icp_password: 'x-secret-9' });
  });

  it('withdraws, and another applicant\u2019s application is 404', async () => {
    const a = await createApplication(client, {}, newIdempotencyKey());
    expect((await withdrawApplication(client, a.id)).state).toBe('withdrawn');
    const other = fake.seed({}, 'someone@else.test');
    const e = await failure(getApplication(client, other.id));
    expect(e.status).toBe(404);
  });
});

describe('documents', () => {
  it('uploads with progress, lists, gives a download URL and deletes', async () => {
    const a = await createApplication(client, {}, newIdempotencyKey());
    const progress: Array<[number, number]> = [];
    const doc = await uploadDocument(
      client,
      a.id,
      { kind: 'id_front', subject: 'organizer.person_in_charge', file: png(2000) },
      (loaded, total) => progress.push([loaded, total]),
    );
    expect(progress).toEqual([
      [1000, 2000],
      [2000, 2000],
    ]);
    expect(doc.kind).toBe('id_front');
    expect(doc.file_name).toBe('front.png');
    const upload = server.requests.find((r) => r.path.endsWith('/documents') && r.method === 'POST');
    expect(upload?.headers['X-CSRF-Token']).toMatch(/^csrf-/);
    expect((await listDocuments(client, a.id)).map((d) => d.id)).toEqual([doc.id]);
    expect(documentUrl(client, a.id, doc.id)).toBe(`/api/v1/applications/${a.id}/documents/${doc.id}`);
    await deleteDocument(client, a.id, doc.id);
    expect(await listDocuments(client, a.id)).toEqual([]);
  });

  it('rejects with the server\u2019s code, and aborts on request', async () => {
    const a = await createApplication(client, {}, newIdempotencyKey());
    const e = await failure(
      uploadDocument(client, a.id, { kind: 'id_front', subject: 'organizer.person_in_charge', file: pdf() }),
    );
    expect(e.status).toBe(422);
    expect(e.code).toBe('photo_must_be_image');

    let release = () => {};
    server.holdUploads = new Promise<void>((r) => (release = r));
    const controller = new AbortController();
    const pending = uploadDocument(
      client,
      a.id,
      { kind: 'id_back', subject: 'organizer.person_in_charge', file: png() },
      undefined,
      controller.signal,
    );
    controller.abort();
    release();
    const aborted = await failure(pending);
    expect(aborted.code).toBe('network_error');
    expect(await listDocuments(client, a.id)).toEqual([]);
  });
});

describe('authenticity check and inventory', () => {
  it('requests the backdrop in verification only, and hands in the photo when shipped', async () => {
    const a = fake.seed({ ...kComplete, state: 'verification' });
    const bad = await failure(requestBackdrop(client, a.id, { recipient: '张', mobile: '123', address: '短' }));
    expect(bad.code).toBe('validation_failed');
    expect(bad.details.map((d) => d.field)).toEqual(['recipient', 'mobile', 'address']);
    const b = await requestBackdrop(client, a.id, {
      recipient: '张三',
      mobile: '13800138000',
      address: '北京市海淀区中关村大街1号',
    });
    expect(b.state).toBe('backdrop_requested');
    expect(b.backdrop?.recipient).toBe('张三');
    const early = await failure(submitPhoto(client, a.id, 'doc-x'));
    expect(early.code).toBe('invalid_transition');

    fake.transition(a.id, 'backdrop_shipped', 'ship');
    const photo = await uploadDocument(client, a.id, { kind: 'verified_photo', subject: 'organizer', file: png() });
    const c = await submitPhoto(client, a.id, photo.id);
    expect(c.state).toBe('photo_uploaded');
    expect(fake.writes).toEqual([]);
  });

  it('reads the whole inventory', async () => {
    expect((await listInstances(client)).map((i) => i.id)).toEqual(['i-demo-bj-001', 'i-demo-sh-002']);
    expect((await listInventoryDomains(client)).map((d) => d.name)).toContain('beian-demo.cn');
    expect(server.requests.some((r) => r.path === '/api/v1/inventory/instances?limit=1000')).toBe(true);
  });
});
