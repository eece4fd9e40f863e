// Applications against the real binary (issue 7 items 2, 4, 7, 8): create, read, list with
// cursor paging and the state filter, merge-patch updates with If-Match, withdraw, precheck,
// submit refusals, Idempotency-Key, the one-open-application rule held by the database, the
// timeline, masking of personal numbers, and the bad-input cases (another applicant's
// application → 404, wrong role → 403, stale version → 412, invalid transition → 409, limits → 422).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  account,
  assertError,
  kDemo,
  kBackend,
  kDemoPassword,
  kRepo,
  runBeian,
  startServer,
} from './lib/server.mjs';

let server;

before(async () => {
  server = await startServer({ extraArgs: ['--max-websites', '3', '--max-domains', '4'] });
});

after(async () => {
  await server?.stop();
});

const agent = () => new Client(server.agentUrl, '/api/v1');

async function applicant(tag) {
  const c = agent();
  await c.register(account(tag));
  return c;
}

let serial = 0;
// A draft-worthy application whose certificate and domains no other test uses.
function application({ websites = 1 } = {}) {
  serial += 1;
  const n = `${process.pid}${serial}`;
  return {
    organizer: {
      type: 'enterprise',
      name: '北京示例科技有限公司',
      certificate: { type: 'business_license', number: `9111${n.padStart(14, '0')}` },
      province: '11',
      address: '北京市海淀区中关村大街1号',
      person_in_charge: {
        name: '张三',
        id_type: 'resident_id_card',
        id_number: '330106199001011234',
        mobile: '13900000001',
        email: 'zhang@example.com',
      },
    },
    websites: Array.from({ length: websites }, (_, i) => ({
      name: `示例网站${i}`,
      domains: [`site${n}-${i}.com.cn`],
      homepage: `https://www.site${n}-${i}.com.cn`,
      service_content: 'enterprise_portal',
      languages: ['zh-CN'],
      instance_id: 'i-1',
    })),
  };
}

async function create(c, app = application(), headers = {}) {
  const r = await c.post('/applications', app, { headers });
  assert.equal(r.status, 201, r.text);
  return r.data;
}

describe('create and read', () => {
  test('a draft is created, shown in full to its owner, with a version ETag', async () => {
    const c = await applicant('app-create');
    const input = application();
    const r = await c.post('/applications', input);
    assert.equal(r.status, 201, r.text);
    const a = r.data;
    assert.match(a.id, /^[0-9a-f]{32}$/);
    assert.equal(a.state, 'draft');
    assert.equal(a.version, 1);
    assert.equal(r.headers.get('etag'), '"1"');
    assert.equal(a.organizer.person_in_charge.id_number, '330106199001011234');
    assert.equal(a.organizer.person_in_charge.mobile, '13900000001');
    assert.equal(a.organizer.certificate.number, input.organizer.certificate.number);
    assert.deepEqual(a.websites[0].domains, input.websites[0].domains);
    for (const k of ['created_at', 'updated_at', 'state_entered_at']) {
      assert.match(a[k], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, k);
    }

    const g = await c.get(`/applications/${a.id}`);
    assert.equal(g.status, 200);
    assert.equal(g.headers.get('etag'), '"1"');
    assert.equal(g.headers.get('cache-control'), 'no-store');
    assert.deepEqual(g.data, a);
  });

  test('server-owned members in the input are ignored', async () => {
    const c = await applicant('app-owned');
    const a = await create(c, { ...application(), id: 'mine', state: 'approved', version: 9 });
    assert.notEqual(a.id, 'mine');
    assert.equal(a.state, 'draft');
    assert.equal(a.version, 1);
  });

  test('bad input is refused before anything is stored', async () => {
    const c = await applicant('app-bad');
    assertError(await c.post('/applications', { ...application(), colour: 'red' }), 400,
      'unknown_field');
    const wrong = application();
    wrong.websites = 'many';
    assertError(await c.post('/applications', wrong), 400, 'validation_failed');
    assertError(await c.request('POST', '/applications', { body: '{', headers: {
      'Content-Type': 'application/json' } }), 400, 'invalid_json');
    assertError(await c.request('POST', '/applications', { body: 'x', headers: {
      'Content-Type': 'text/plain' } }), 415, 'unsupported_media_type');
    const list = await c.get('/applications');
    assert.deepEqual(list.data.items, []);
  });

  test('more websites or domains than configured → 422 limit_exceeded', async () => {
    const c = await applicant('app-limit');
    const e = assertError(await c.post('/applications', application({ websites: 4 })), 422,
      'limit_exceeded');
    assert.equal(e.details[0].code, 'too_many_websites');
    const many = application({ websites: 2 });
    many.websites[0].domains = ['a1.cn', 'a2.cn', 'a3.cn', 'a4.cn'];
    const e2 = assertError(await c.post('/applications', many), 422, 'limit_exceeded');
    assert.equal(e2.details[0].code, 'too_many_domains');
    const a = await create(c, application({ websites: 3 }));
    const r = await c.request('PATCH', `/applications/${a.id}`, {
      json: { websites: [...a.websites, a.websites[0]] }, headers: { 'If-Match': '1' } });
    assertError(r, 422, 'limit_exceeded');
  });
});

describe('lists', () => {
  test('own applications newest first, paged by cursor, masked, filtered by state', async () => {
    const c = await applicant('app-list');
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push((await create(c)).id);
    await c.post(`/applications/${ids[1]}/withdraw`);
    const other = await applicant('app-list-other');
    await create(other);

    const seen = [];
    let cursor = null;
    let pages = 0;
    do {
      const q = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const r = await c.get(`/applications${q}`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(Object.keys(r.data).sort(), ['items', 'next_cursor']);
      for (const item of r.data.items) {
        seen.push(item.id);
        assert.equal(item.organizer.person_in_charge.id_number, '3301**********1234');
        assert.equal(item.organizer.person_in_charge.mobile, '139****0001');
      }
      cursor = r.data.next_cursor;
      pages += 1;
    } while (cursor);
    assert.deepEqual(seen, [...ids].reverse());
    assert.equal(pages, 3);

    const withdrawn = await c.get('/applications?state=withdrawn');
    assert.deepEqual(withdrawn.data.items.map((a) => a.id), [ids[1]]);
    const drafts = await c.get('/applications?state=draft');
    assert.equal(drafts.data.items.length, 4);

    assertError(await c.get('/applications?state=nonsense'), 400, 'validation_failed');
    assertError(await c.get('/applications?limit=0'), 400, 'validation_failed');
    assertError(await c.get('/applications?limit=abc'), 400, 'validation_failed');
    assertError(await c.get('/applications?cursor=garbage'), 400, 'validation_failed');
  });

  test('an identity document as the organizer certificate is masked in lists too', async () => {
    const c = await applicant('app-individual');
    const app = application();
    app.organizer = { ...app.organizer, type: 'individual', name: '张三',
      certificate: { type: 'resident_id_card', number: '110105199003071239' } };
    const a = await create(c, app);
    assert.equal(a.organizer.certificate.number, '110105199003071239');
    const list = await c.get('/applications');
    assert.equal(list.data.items[0].organizer.certificate.number, '1101**********1239');
    assert.ok(!list.text.includes('110105199003071239'));
    assert.ok(!list.text.includes('13900000001'));
  });
});

describe('updates', () => {
  test('PATCH needs If-Match, refuses a stale version, merges the patch', async () => {
    const c = await applicant('app-patch');
    const a = await create(c);
    const url = `/applications/${a.id}`;
    assertError(await c.request('PATCH', url, { json: { organizer: { name: 'x' } } }), 428,
      'precondition_required');
    assertError(await c.request('PATCH', url, { json: { organizer: { name: 'x' } },
      headers: { 'If-Match': '"7"' } }), 412, 'precondition_failed');
    assertError(await c.request('PATCH', url, { json: { organizer: { name: 'x' } },
      headers: { 'If-Match': 'abc' } }), 412, 'precondition_failed');
    const r = await c.request('PATCH', url, {
      json: { organizer: { name: '北京新名字科技有限公司', address: null } },
      headers: { 'If-Match': '"1"' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.version, 2);
    assert.equal(r.headers.get('etag'), '"2"');
    assert.equal(r.data.organizer.name, '北京新名字科技有限公司');
    assert.equal(r.data.organizer.address, '');
    assert.equal(r.data.organizer.person_in_charge.id_number, '330106199001011234');
    // The first writer won; the same stale version is refused now.
    assertError(await c.request('PATCH', url, { json: { organizer: { name: 'y' } },
      headers: { 'If-Match': '1' } }), 412, 'precondition_failed');
    assertError(await c.request('PATCH', url, { json: { organizer: { colour: 'y' } },
      headers: { 'If-Match': '2' } }), 400, 'unknown_field');
    const g = await c.get(url);
    assert.equal(g.data.version, 2);
    assert.equal(g.data.organizer.name, '北京新名字科技有限公司');
  });

  test('a withdrawn application cannot be edited or withdrawn again (409 naming state and event)',
    async () => {
      const c = await applicant('app-withdraw');
      const a = await create(c);
      const w = await c.post(`/applications/${a.id}/withdraw`);
      assert.equal(w.status, 200, w.text);
      assert.equal(w.data.state, 'withdrawn');
      assert.equal(w.data.version, 2);
      const again = assertError(await c.post(`/applications/${a.id}/withdraw`), 409,
        'invalid_transition');
      assert.match(again.message, /withdrawn/);
      assert.match(again.message, /withdraw/);
      assertError(await c.request('PATCH', `/applications/${a.id}`, {
        json: { organizer: { name: 'x' } }, headers: { 'If-Match': '2' } }), 409,
      'invalid_transition');
      assertError(await c.post(`/applications/${a.id}/submit`, {}), 409, 'invalid_transition');
    });
});

describe('one open application per certificate and per domain', () => {
  test('a second application for the same certificate → 409 subject_conflict naming the first',
    async () => {
      const c = await applicant('app-subject');
      const first = await create(c);
      const second = application();
      second.organizer.certificate = first.organizer.certificate;
      const e = assertError(await c.post('/applications', second), 409, 'subject_conflict');
      assert.match(e.message, new RegExp(first.id));
      assert.equal(e.details[0].field, 'organizer.certificate.number');
      // Another account is refused too, without learning the id.
      const other = await applicant('app-subject-other');
      const e2 = assertError(await other.post('/applications', second), 409, 'subject_conflict');
      assert.ok(!e2.message.includes(first.id));
      // Withdrawing the first frees the certificate.
      await c.post(`/applications/${first.id}/withdraw`);
      await create(c, second);
    });

  test('the same domain in another open application → 409 domain_conflict naming the field',
    async () => {
      const c = await applicant('app-domain');
      const first = await create(c);
      const second = application({ websites: 2 });
      second.websites[1].domains = [`WWW.${first.websites[0].domains[0].toUpperCase()}`];
      const e = assertError(await c.post('/applications', second), 409, 'domain_conflict');
      assert.equal(e.details[0].field, 'websites[1].domains[0]');
      // A patch that takes a held domain is refused the same way; dropping one frees it.
      const third = await create(c);
      assertError(await c.request('PATCH', `/applications/${third.id}`, {
        json: { websites: [{ ...third.websites[0], domains: first.websites[0].domains }] },
        headers: { 'If-Match': '1' } }), 409, 'domain_conflict');
      const moved = await c.request('PATCH', `/applications/${first.id}`, {
        json: { websites: [{ ...first.websites[0], domains: ['elsewhere-' + first.id + '.cn'] }] },
        headers: { 'If-Match': '1' } });
      assert.equal(moved.status, 200, moved.text);
      const ok = await c.request('PATCH', `/applications/${third.id}`, {
        json: { websites: [{ ...third.websites[0], domains: first.websites[0].domains }] },
        headers: { 'If-Match': '1' } });
      assert.equal(ok.status, 200, ok.text);
    });

  test('concurrent creates for one certificate: exactly one wins', async () => {
    const c = await applicant('app-race');
    const app = application();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => c.post('/applications', app)));
    const statuses = results.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(','));
    for (const r of results) if (r.status !== 201) assertError(r, 409, 'subject_conflict');
  });
});

describe('Idempotency-Key', () => {
  test('the same key on create returns the first answer and creates nothing more', async () => {
    const c = await applicant('app-idem');
    const app = application();
    const h = { 'Idempotency-Key': 'create-1' };
    const first = await c.post('/applications', app, { headers: h });
    assert.equal(first.status, 201, first.text);
    const again = await c.post('/applications', app, { headers: h });
    assert.equal(again.status, 201);
    assert.deepEqual(again.data, first.data);
    const list = await c.get('/applications');
    assert.equal(list.data.items.length, 1);
    const events = await c.get(`/applications/${first.data.id}/events`);
    assert.equal(events.data.items.length, 1);
    // The key reused for another request is refused.
    const other = application();
    assertError(await c.post('/applications', other, { headers: h }), 422,
      'idempotency_key_reused');
    // Keys are per account.
    const c2 = await applicant('app-idem-2');
    const mine = await c2.post('/applications', other, { headers: h });
    assert.equal(mine.status, 201, mine.text);
    assertError(await c.post('/applications', app, { headers: { 'Idempotency-Key': 'a b' } }), 400,
      'validation_failed');
  });
});

describe('access', () => {
  test("another applicant's application is 404 on every route", async () => {
    const owner = await applicant('app-owner');
    const a = await create(owner);
    const intruder = await applicant('app-intruder');
    const base = `/applications/${a.id}`;
    assertError(await intruder.get(base), 404, 'not_found');
    assertError(await intruder.get(`${base}/events`), 404, 'not_found');
    assertError(await intruder.post(`${base}/precheck`, {}), 404, 'not_found');
    assertError(await intruder.post(`${base}/submit`, {}), 404, 'not_found');
    assertError(await intruder.post(`${base}/withdraw`), 404, 'not_found');
    assertError(await intruder.request('PATCH', base, { json: { organizer: { name: 'x' } },
      headers: { 'If-Match': '1' } }), 404, 'not_found');
    assertError(await intruder.get('/applications/0123456789abcdef0123456789abcdef'), 404,
      'not_found');
    // Nothing changed.
    const g = await owner.get(base);
    assert.equal(g.data.version, 1);
    assert.equal(g.data.state, 'draft');
  });

  test('staff roles are refused (403) and anonymous callers are 401', async () => {
    const reviewer = agent();
    await reviewer.login(kDemo.reviewer, kDemoPassword);
    assertError(await reviewer.get('/applications'), 403, 'forbidden');
    assertError(await reviewer.post('/applications', application()), 403, 'forbidden');
    assertError(await agent().get('/applications'), 401, 'unauthenticated');
  });
});

describe('precheck, submit and the timeline', () => {
  test('precheck answers like `beian precheck`, with satisfied per document', async () => {
    const c = await applicant('app-precheck');
    const a = await create(c);
    const r = await c.post(`/applications/${a.id}/precheck`, {});
    assert.equal(r.status, 200, r.text);
    for (const k of ['filing_type', 'explanation', 'needs_beian_credentials', 'findings',
      'required_documents']) {
      assert.ok(k in r.data, k);
    }
    assert.equal(r.data.filing_type, 'first_filing');
    assert.equal(typeof r.data.explanation, 'string');
    for (const f of r.data.findings) {
      assert.deepEqual(Object.keys(f).sort(), ['code', 'field', 'message', 'params', 'severity']);
    }
    assert.ok(r.data.required_documents.length > 0);
    for (const d of r.data.required_documents) assert.equal(d.satisfied, false);
    const g = await c.get(`/applications/${a.id}`);
    assert.equal(g.data.filing_type, 'first_filing');
  });

  test('submit is refused with the findings while problems remain; the state stays draft',
    async () => {
      const c = await applicant('app-submit');
      const app = application();
      app.organizer.person_in_charge.id_number = '330106199001011235'; // bad check digit
      const a = await create(c, app);
      const e = assertError(await c.post(`/applications/${a.id}/submit`, {}), 422,
        'precheck_failed');
      assert.ok(e.details.some((d) => d.field === 'organizer.person_in_charge.id_number'),
        JSON.stringify(e.details));
      assert.ok(e.details.some((d) => d.code === 'document_missing'));
      assert.ok(!e.details.some((d) => d.message.includes('verified_photo')));
      assertError(await c.post(`/applications/${a.id}/submit`, { colour: 1 }), 400,
        'unknown_field');
      const g = await c.get(`/applications/${a.id}`);
      assert.equal(g.data.state, 'draft');
      assert.equal(g.data.version, 1);
    });

  test('the timeline lists the creation and each transition', async () => {
    const c = await applicant('app-events');
    const a = await create(c);
    await c.post(`/applications/${a.id}/withdraw`);
    const r = await c.get(`/applications/${a.id}/events`);
    assert.equal(r.status, 200, r.text);
    const [created, withdrawn] = r.data.items;
    assert.equal(r.data.items.length, 2);
    assert.deepEqual(Object.keys(created).sort(),
      ['actor_id', 'at', 'event', 'from', 'reasons', 'role', 'seq', 'sla', 'sla_deadline', 'to']);
    assert.equal(created.event, 'create');
    assert.equal(created.from, null);
    assert.equal(created.to, 'draft');
    assert.equal(withdrawn.seq, 2);
    assert.equal(withdrawn.event, 'withdraw');
    assert.equal(withdrawn.from, 'draft');
    assert.equal(withdrawn.to, 'withdrawn');
    assert.equal(withdrawn.role, 'applicant');
    assert.deepEqual(withdrawn.reasons, []);
  });
});

describe('personal data at rest', () => {
  test('identity and mobile numbers are not stored in clear (SQLite files)',
    { skip: kBackend !== 'sqlite' && 'PostgreSQL: the same code path seals them' }, async () => {
      const c = await applicant('app-rest');
      const app = application();
      app.organizer.person_in_charge.id_number = '110105194912310021';
      app.organizer.person_in_charge.mobile = '13712345678';
      const a = await create(c, app);
      const read = (dir) => fs.readdirSync(dir, { withFileTypes: true }).map((f) => {
        const p = path.join(dir, f.name);
        if (f.isDirectory()) return read(p);
        return f.isFile() ? fs.readFileSync(p).toString('latin1') : '';
      }).join('');
      const text = read(server.db.dataDir);
      assert.ok(text.includes(a.id), 'the database files hold the application');
      assert.ok(text.includes(a.organizer.name) || text.includes(a.id));
      assert.ok(!text.includes('110105194912310021'), 'identity number in clear');
      assert.ok(!text.includes('13712345678'), 'mobile number in clear');
    });
});

describe('the same answer as beian precheck', () => {
  // The golden cases of tests/precheck that need no registry: the server's answer for the
  // saved application and the account's inventory equals the CLI's for the same inputs (today).
  for (const name of ['first_filing_enterprise', 'individual_errors']) {
    test(`golden case ${name}`, async () => {
      const dir = path.join(kRepo, 'tests', 'precheck', name);
      const app = JSON.parse(fs.readFileSync(path.join(dir, 'application.json'), 'utf8'));
      const acct = account(`golden-${name}`);
      const c = agent();
      await c.register(acct);
      const invFile = path.join(dir, 'inventory.json');
      if (fs.existsSync(invFile)) {
        const admin = agent();
        await admin.login(kDemo.admin, kDemoPassword);
        const inv = JSON.parse(fs.readFileSync(invFile, 'utf8'));
        for (const i of inv.instances) {
          const r = await admin.post('/admin/inventory/instances', {
            owner_email: acct.email, id: i.id, product: 'ecs', region: i.region,
            mainland: i.mainland, public_ip: i.public_ip ? '47.95.10.1' : null,
            billing: i.billing, expires_at: i.expires_at,
            service_codes_total: i.service_codes_total });
          assert.equal(r.status, 201, r.text);
        }
        for (const d of inv.domains) {
          const r = await admin.post('/admin/inventory/domains', {
            owner_email: acct.email, name: d.name, holder_name: d.holder_name,
            real_name_verified: d.real_name_verified, registrar: 'test', expires_at: d.expires_at });
          assert.equal(r.status, 201, r.text);
        }
      }
      // The CLI gets exactly what the server holds for this account.
      const instances = (await c.get('/inventory/instances?limit=100')).data.items;
      const domains = (await c.get('/inventory/domains?limit=100')).data.items;
      const inventory = {
        instances: instances.map((i) => ({ id: i.id, region: i.region, mainland: i.mainland,
          public_ip: i.public_ip !== null, billing: i.billing, expires_at: i.expires_at,
          service_codes_total: i.service_codes_total, service_codes_used: i.service_codes_used })),
        domains: domains.map((d) => ({ name: d.ascii_name, holder_name: d.holder_name,
          real_name_verified: d.real_name_verified, expires_at: d.expires_at })),
      };
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-golden-'));
      fs.writeFileSync(path.join(tmp, 'inventory.json'), JSON.stringify(inventory));
      const a = await create(c, app);
      const served = await c.post(`/applications/${a.id}/precheck`, {});
      assert.equal(served.status, 200, served.text);
      for (const d of served.data.required_documents) {
        assert.equal(d.satisfied, false);
        delete d.satisfied;
      }
      const cli = await runBeian(['precheck', path.join(dir, 'application.json'), '--inventory',
        path.join(tmp, 'inventory.json')]);
      fs.rmSync(tmp, { recursive: true, force: true });
      assert.ok(cli.code === 0 || cli.code === 1, cli.stderr);
      assert.deepEqual(served.data, JSON.parse(cli.stdout));
    });
  }

  test('the explanation never shows a full identity number and reads as a sentence', async () => {
    const c = await applicant('app-explain');
    const app = application();
    app.organizer = { ...app.organizer, type: 'individual', name: '张三',
      certificate: { type: 'resident_id_card', number: '330106199001011234' } };
    const a = await create(c, app);
    const r = await c.post(`/applications/${a.id}/precheck`, {});
    assert.equal(r.status, 200, r.text);
    assert.ok(!r.data.explanation.includes('330106199001011234'), r.data.explanation);
    assert.ok(r.data.explanation.includes('3301**********1234'), r.data.explanation);
    assert.ok(!JSON.stringify(r.data.explanation_message).includes('330106199001011234'));
    assert.match(r.data.explanation, /^[A-Z][^]*\.$/);
    assert.ok(!/\brow\b|first_filing/.test(r.data.explanation), r.data.explanation);
  });
});
