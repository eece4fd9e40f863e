// Inventory against the real binary: the demo applicant's inventory, the admin API (owner,
// validation, normalisation of IP addresses and IDN domain names, conflicts), roles, cursor
// paging of the applicant's own lists, and `beian admin import-inventory` (JSON and CSV, all or
// nothing per file, the report of rejected rows, re-import updates).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import url from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  account,
  assertError,
  kDemo,
  kDemoPassword,
  runBeian,
  startServer,
} from './lib/server.mjs';

let server;
let admin;

before(async () => {
  server = await startServer();
  admin = agent();
  await admin.login(kDemo.admin, kDemoPassword);
});

after(async () => {
  await server?.stop();
});

const agent = () => new Client(server.agentUrl, '/api/v1');

async function newApplicant(tag) {
  const acct = account(tag);
  const c = agent();
  await c.register(acct);
  return { client: c, email: acct.email };
}

function instanceBody(owner, id, extra = {}) {
  return {
    owner_email: owner,
    id,
    product: 'ecs',
    region: 'cn-hangzhou',
    mainland: true,
    public_ip: '47.96.1.2',
    billing: 'subscription',
    expires_at: '2030-06-30',
    service_codes_total: 5,
    ...extra,
  };
}

function domainBody(owner, name, extra = {}) {
  return {
    owner_email: owner,
    name,
    holder_name: '杭州示例网络有限公司',
    real_name_verified: true,
    registrar: '示例注册商',
    expires_at: '2030-06-30',
    ...extra,
  };
}

const kInstanceKeys = ['billing', 'expires_at', 'id', 'mainland', 'product', 'public_ip', 'region',
  'service_codes_total', 'service_codes_used'];
const kDomainKeys = ['ascii_name', 'expires_at', 'holder_name', 'name', 'real_name_verified',
  'registrar'];

describe('demo inventory', () => {
  test('the demo applicant has two instances and three domains of the demo organizer', async () => {
    const c = agent();
    await c.login(kDemo.applicant, kDemoPassword);
    const inst = await c.get('/inventory/instances');
    assert.equal(inst.status, 200, inst.text);
    assert.equal(inst.data.items.length, 2);
    assert.equal(inst.data.next_cursor, null);
    for (const i of inst.data.items) {
      assert.deepEqual(Object.keys(i).sort(), kInstanceKeys);
      assert.equal(i.mainland, true);
      assert.equal(i.billing, 'subscription');
      assert.match(i.public_ip, /^\d+\.\d+\.\d+\.\d+$/);
      assert.ok(i.expires_at > new Date().toISOString().slice(0, 10));
    }
    const doms = await c.get('/inventory/domains');
    assert.equal(doms.status, 200, doms.text);
    assert.equal(doms.data.items.length, 3);
    for (const d of doms.data.items) {
      assert.deepEqual(Object.keys(d).sort(), kDomainKeys);
      assert.equal(d.holder_name, '北京示例科技有限公司');
      assert.equal(d.real_name_verified, true);
    }
    assert.ok(doms.data.items.some((d) => d.name === '示例科技.cn' && d.ascii_name.startsWith('xn--')));
  });
});

describe('admin API', () => {
  test('adds an instance and a domain to an applicant, normalised; the applicant lists them', async () => {
    const { client, email } = await newApplicant('inv-add');
    const r = await admin.post('/admin/inventory/instances',
      instanceBody(email.toUpperCase(), 'i-add-1', { public_ip: '2001:DB8:0:0::1', service_codes_used: 2 }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.data.public_ip, '2001:db8::1');
    assert.equal(r.data.service_codes_used, 2);
    const noIp = await admin.post('/admin/inventory/instances',
      instanceBody(email, 'i-add-2', { public_ip: null, billing: 'pay_as_you_go', expires_at: null }));
    assert.equal(noIp.status, 201, noIp.text);
    assert.equal(noIp.data.public_ip, null);
    assert.equal(noIp.data.expires_at, null);

    const d = await admin.post('/admin/inventory/domains',
      domainBody(email, ' 示例网络．中国 ', { expires_at: '2030-06-30T12:00:00+08:00' }));
    assert.equal(d.status, 201, d.text);
    assert.equal(d.data.name, '示例网络.中国');
    assert.equal(d.data.ascii_name, url.domainToASCII('示例网络.中国'));
    assert.equal(d.data.expires_at, '2030-06-30');
    const upper = await admin.post('/admin/inventory/domains', domainBody(email, 'Example-Add.COM.'));
    assert.equal(upper.status, 201, upper.text);
    assert.equal(upper.data.name, 'example-add.com');

    const inst = await client.get('/inventory/instances');
    assert.deepEqual(inst.data.items.map((i) => i.id), ['i-add-1', 'i-add-2']);
    const doms = await client.get('/inventory/domains');
    assert.deepEqual(doms.data.items.map((x) => x.name).sort(), ['example-add.com', '示例网络.中国'].sort());
  });

  test('an existing id or domain is 409 conflict, also in another form of the same name', async () => {
    const { email } = await newApplicant('inv-dup');
    assert.equal((await admin.post('/admin/inventory/instances', instanceBody(email, 'i-dup'))).status, 201);
    const again = await admin.post('/admin/inventory/instances', instanceBody(email, 'i-dup'));
    assertError(again, 409, 'conflict');
    assert.equal(again.data.error.details[0].code, 'already_exists');
    assert.equal((await admin.post('/admin/inventory/domains', domainBody(email, '示例重复.cn'))).status, 201);
    const ascii = url.domainToASCII('示例重复.cn').toUpperCase();
    assert.match(ascii, /^XN--/);
    const puny = await admin.post('/admin/inventory/domains', domainBody(email, ascii));
    assertError(puny, 409, 'conflict');
  });

  test('validation: each bad field is named; unknown owner, non-applicant owner', async () => {
    const { email } = await newApplicant('inv-bad');
    const bad = await admin.post('/admin/inventory/instances', instanceBody(email, 'bad id/1', {
      public_ip: '300.1.2.3', billing: 'monthly', expires_at: '2030-02-30', service_codes_total: -1,
    }));
    const e = assertError(bad, 400, 'validation_failed');
    const fields = e.details.map((d) => d.field).sort();
    assert.deepEqual(fields, ['billing', 'expires_at', 'id', 'public_ip', 'service_codes_total']);

    for (const [name, code] of [['www.example.com', 'not_registrable'], ['com.cn', 'not_registrable'],
      ['http://example.com', 'invalid'], ['exa mple.com', 'invalid'], ['', 'required']]) {
      const r = await admin.post('/admin/inventory/domains', domainBody(email, name));
      const err = assertError(r, 400, 'validation_failed', name);
      assert.equal(err.details.find((d) => d.field === 'name')?.code, code, `${name}: ${r.text}`);
    }
    const unknown = await admin.post('/admin/inventory/domains', domainBody('nobody@example.com', 'nobody-x.com'));
    assert.equal(assertError(unknown, 400, 'validation_failed').details[0].code, 'unknown_account');
    const reviewer = await admin.post('/admin/inventory/domains', domainBody(kDemo.reviewer, 'reviewer-x.com'));
    assert.equal(assertError(reviewer, 400, 'validation_failed').details[0].code, 'not_an_applicant');
    const extra = await admin.post('/admin/inventory/domains', { ...domainBody(email, 'extra-x.com'), colour: 'red' });
    assertError(extra, 400, 'unknown_field');
    const wrongType = await admin.post('/admin/inventory/instances', instanceBody(email, 'i-wt', { mainland: 'yes' }));
    assertError(wrongType, 400, 'validation_failed');
  });

  test('roles: applicants and reviewers may not add inventory; admins have no inventory list', async () => {
    const { client, email } = await newApplicant('inv-role');
    assertError(await client.post('/admin/inventory/domains', domainBody(email, 'self-add.com')), 403, 'forbidden');
    const reviewer = agent();
    await reviewer.login(kDemo.reviewer, kDemoPassword);
    assertError(await reviewer.post('/admin/inventory/instances', instanceBody(email, 'i-r')), 403, 'forbidden');
    assertError(await agent().get('/inventory/instances'), 401, 'unauthenticated');
    assertError(await admin.get('/inventory/domains'), 403, 'forbidden');
    // Without the CSRF token.
    assertError(await admin.post('/admin/inventory/domains', domainBody(email, 'nocsrf.com'),
      { csrf: false }), 403, 'csrf_failed');
  });

  test('cursor paging of the applicant\'s own list; another applicant sees none of it', async () => {
    const { client, email } = await newApplicant('inv-page');
    for (let i = 0; i < 5; i++) {
      const r = await admin.post('/admin/inventory/domains', domainBody(email, `page-${i}-${Date.now()}.com`));
      assert.equal(r.status, 201, r.text);
    }
    const seen = [];
    let cursor = null;
    let pages = 0;
    do {
      const r = await client.get(`/inventory/domains?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(r.status, 200, r.text);
      seen.push(...r.data.items.map((d) => d.name));
      cursor = r.data.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 5);
    assertError(await client.get('/inventory/domains?limit=0'), 400, 'validation_failed');
    assertError(await client.get('/inventory/domains?limit=abc'), 400, 'validation_failed');
    assertError(await client.get('/inventory/domains?cursor=zzz'), 400, 'validation_failed');
    const other = await newApplicant('inv-other');
    const none = await other.client.get('/inventory/domains');
    assert.deepEqual(none.data, { items: [], next_cursor: null });
  });
});

describe('beian admin import-inventory', () => {
  const tmp = () => fs.mkdtempSync(path.join(server.db.dataDir, 'import-'));
  const importFile = (file) => runBeian(['admin', 'import-inventory', ...server.db.args, file]);

  test('JSON: all rows imported; the applicant lists them; re-import updates', async () => {
    const { client, email } = await newApplicant('imp-json');
    const file = path.join(tmp(), 'inv.json');
    const stamp = Date.now().toString(36);
    const doc = {
      instances: [instanceBody(email, `i-imp-${stamp}-1`), instanceBody(email, `i-imp-${stamp}-2`, { public_ip: null })],
      domains: [domainBody(email, `imp-${stamp}.com`), domainBody(email, `imp-${stamp}.cn`)],
    };
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    const r = await importFile(file);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /imported 2 instance\(s\) and 2 domain\(s\)/);
    assert.doesNotMatch(r.stderr, /\[#/, 'no progress bar when standard error is not a terminal');
    assert.equal((await client.get('/inventory/instances')).data.items.length, 2);
    assert.equal((await client.get('/inventory/domains')).data.items.length, 2);

    doc.domains[0].holder_name = '新的持有人';
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    const again = await importFile(file);
    assert.equal(again.code, 0, again.stderr);
    const doms = (await client.get('/inventory/domains')).data.items;
    assert.equal(doms.length, 2);
    assert.equal(doms.find((d) => d.name === `imp-${stamp}.com`).holder_name, '新的持有人');
  });

  test('JSON with bad rows: nothing imported, each bad row reported with line and reason, exit 1', async () => {
    const { client, email } = await newApplicant('imp-bad');
    const stamp = Date.now().toString(36);
    const doc = {
      instances: [
        instanceBody(email, `i-ok-${stamp}`),
        instanceBody(email, `i-bad-${stamp}`, { public_ip: 'not-an-ip' }),
        instanceBody(email, `i-ok-${stamp}`),
      ],
      domains: [domainBody(email, `ok-${stamp}.com`), domainBody('ghost@example.com', `ghost-${stamp}.com`),
        { ...domainBody(email, `x-${stamp}.com`), mainland: true }],
    };
    const file = path.join(tmp(), 'bad.json');
    const text = JSON.stringify(doc, null, 2);
    fs.writeFileSync(file, text);
    const lines = text.split('\n');
    const lineOf = (needle, from = 0) => lines.findIndex((l, i) => i >= from && l.includes(needle)) + 1;
    const r = await importFile(file);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /4 row\(s\) rejected; nothing was imported/);
    // Each element's "{" is on the line above its first member, owner_email, above id.
    const badIp = lineOf(`"id": "i-bad-${stamp}"`) - 2;
    assert.match(r.stderr, new RegExp(`line ${badIp} \\(instances\\[1\\]\\): public_ip: .*\\(invalid\\)`));
    assert.match(r.stderr, /\(instances\[2\]\): id: instance i-ok-\S+ is already on line \d+ \(duplicate\)/);
    assert.match(r.stderr, /\(domains\[1\]\): owner_email: .*\(unknown_account\)/);
    assert.match(r.stderr, /\(domains\[2\]\): mainland is not a known field/);
    assert.equal((await client.get('/inventory/instances')).data.items.length, 0);
    assert.equal((await client.get('/inventory/domains')).data.items.length, 0);
  });

  test('CSV: instances and domains files; quoted cells; bad rows reported by line', async () => {
    const { client, email } = await newApplicant('imp-csv');
    const stamp = Date.now().toString(36);
    const dir = tmp();
    const instances = path.join(dir, 'instances.csv');
    fs.writeFileSync(instances, '\uFEFFowner_email,id,product,region,mainland,public_ip,billing,expires_at,service_codes_total\r\n' +
      `${email},i-csv-${stamp}-1,ecs,cn-beijing,true,47.95.0.1,subscription,2030-01-01,5\r\n` +
      `${email},i-csv-${stamp}-2,"light, weight",cn-shanghai,no,,pay_as_you_go,,0\r\n`);
    const r = await importFile(instances);
    assert.equal(r.code, 0, r.stderr);
    const items = (await client.get('/inventory/instances')).data.items;
    assert.deepEqual(items.map((i) => [i.id, i.product, i.mainland, i.public_ip]), [
      [`i-csv-${stamp}-1`, 'ecs', true, '47.95.0.1'],
      [`i-csv-${stamp}-2`, 'light, weight', false, null],
    ]);

    const domains = path.join(dir, 'domains.csv');
    fs.writeFileSync(domains, 'name,owner_email,holder_name,real_name_verified,registrar,expires_at\n' +
      `csv-${stamp}.com,${email},"北京""示例""公司",true,示例注册商,2030-01-01\n` +
      `www.csv-${stamp}.cn,${email},某公司,true,,\n` +
      `csv2-${stamp}.com,${email},某公司,maybe,,\n` +
      `csv3-${stamp}.com,${email},某公司\n`);
    const bad = await importFile(domains);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /line 3: name: .*\(not_registrable\)/);
    assert.match(bad.stderr, /line 4: real_name_verified must be true or false/);
    assert.match(bad.stderr, /line 5: has 3 cells; the header has 6/);
    assert.doesNotMatch(bad.stderr, /line 2:/);
    assert.equal((await client.get('/inventory/domains')).data.items.length, 0);

    const unknownColumn = path.join(dir, 'odd.csv');
    fs.writeFileSync(unknownColumn, 'owner_email,name,holder_name,real_name_verified,colour\n');
    const odd = await importFile(unknownColumn);
    assert.equal(odd.code, 1);
    assert.match(odd.stderr, /unknown column "colour"/);
  });

  test('an instance of another account is refused, not moved', async () => {
    const a = await newApplicant('imp-own-a');
    const b = await newApplicant('imp-own-b');
    const id = `i-own-${Date.now().toString(36)}`;
    assert.equal((await admin.post('/admin/inventory/instances', instanceBody(a.email, id))).status, 201);
    const file = path.join(tmp(), 'steal.json');
    fs.writeFileSync(file, JSON.stringify({ instances: [instanceBody(b.email, id)] }));
    const r = await importFile(file);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /owned_by_another_account/);
    assert.equal((await b.client.get('/inventory/instances')).data.items.length, 0);
    assert.equal((await a.client.get('/inventory/instances')).data.items.length, 1);
  });

  test('a file that is not JSON is refused as a whole', async () => {
    const file = path.join(tmp(), 'broken.json');
    fs.writeFileSync(file, '{"instances": [');
    const r = await importFile(file);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not valid JSON/);
  });
});
