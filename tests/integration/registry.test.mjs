// The authority's signed provider API and registry over HTTP (issue 10 items 1, 2, 7): providers
// registered with `beian admin add-provider` (key printed once), filings written with `beian
// admin registry-add` (numbered as an approval), every refusal of a signed call as 401 with its
// own code, the signed look-up, change feed and credential check, and the public query.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertError, runBeian, startServer } from './lib/server.mjs';

let server;
let key;  // provider p1's key (hex)

before(async () => {
  server = await startServer({ demo: false });
  const added = await runBeian(['admin', 'add-provider', ...server.db.args, '--id', 'p1',
    '--name', 'Provider One', '--callback-url', 'http://127.0.0.1:9/']);
  assert.equal(added.code, 0, added.stderr);
  key = /^([0-9a-f]{64})$/m.exec(added.stdout)?.[1];
  assert.ok(key, added.stdout);
  const second = await runBeian(['admin', 'add-provider', ...server.db.args, '--id', 'p2',
    '--name', 'Provider Two', '--callback-url', 'http://127.0.0.1:9/']);
  assert.equal(second.code, 0, second.stderr);
});

after(async () => {
  await server?.stop();
});

function sign(method, target, body, { provider = 'p1', k = key, ts, nonce } = {}) {
  const timestamp = String(ts ?? Math.floor(Date.now() / 1000));
  const n = nonce ?? crypto.randomBytes(16).toString('base64url');
  const canonical = ['BEIAN-HMAC-SHA256', method, target, timestamp, n,
    crypto.createHash('sha256').update(body).digest('hex')].join('\n');
  return {
    'X-Beian-Provider': provider,
    'X-Beian-Timestamp': timestamp,
    'X-Beian-Nonce': n,
    'X-Beian-Signature': crypto.createHmac('sha256', Buffer.from(k, 'hex')).update(canonical).digest('hex'),
  };
}

async function call(method, target, { json, headers, sig = {} } = {}) {
  const body = json === undefined ? '' : JSON.stringify(json);
  const h = { ...sign(method, target, body, sig), ...headers };
  if (json !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(`${server.authorityUrl}${target}`, {
    method, headers: h, body: json === undefined ? undefined : body,
  });
  const text = await res.text();
  let data = null;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) data = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, data };
}

async function registryAdd(filing, provider = 'p1') {
  const file = path.join(server.db.dataDir, `filing-${crypto.randomBytes(4).toString('hex')}.json`);
  fs.writeFileSync(file, JSON.stringify(filing));
  return runBeian(['admin', 'registry-add', ...server.db.args, '--provider', provider, file]);
}

function enterprise(number, domains, extra = {}) {
  return {
    province: '44',
    organizer: { type: 'enterprise', name: '深圳市示例科技有限公司',
      certificate: { type: 'uscc', number } },
    websites: [{ name: '示例网', domains }],
    ...extra,
  };
}

describe('signed calls', () => {
  const target = '/authority/v1/registry/changes?since=0';

  test('a correctly signed call is answered', async () => {
    const r = await call('GET', target);
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.data.changes));
  });

  test('no signature headers → 401 bad_signature', async () => {
    const res = await fetch(`${server.authorityUrl}${target}`);
    const text = await res.text();
    assertError({ status: res.status, headers: res.headers, text, data: JSON.parse(text) }, 401,
      'bad_signature');
  });

  test('a wrong key → 401 bad_signature', async () => {
    assertError(await call('GET', target, { sig: { k: 'ab'.repeat(32) } }), 401, 'bad_signature');
  });

  test('a signature over another query → 401 bad_signature', async () => {
    const headers = sign('GET', '/authority/v1/registry/changes?since=1', '');
    assertError(await call('GET', target, { headers }), 401, 'bad_signature');
  });

  test('a body changed after signing → 401 bad_signature', async () => {
    const t = '/authority/v1/registry/verify-credentials';
    const headers = sign('POST', t, '{}');
    assertError(await call('POST', t, { json: { certificate_number: 'x', beian_sn: 'y',
      icp_password: 'z' }, headers }), 401, 'bad_signature');
  });

  test('an unknown provider → 401 unknown_provider', async () => {
    assertError(await call('GET', target, { sig: { provider: 'nobody' } }), 401, 'unknown_provider');
  });

  test('a timestamp more than 5 minutes off → 401 timestamp_skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    assertError(await call('GET', target, { sig: { ts: now - 400 } }), 401, 'timestamp_skew');
    assertError(await call('GET', target, { sig: { ts: now + 400 } }), 401, 'timestamp_skew');
  });

  test('a replayed nonce → 401 replayed', async () => {
    const nonce = crypto.randomBytes(16).toString('base64url');
    assert.equal((await call('GET', target, { sig: { nonce } })).status, 200);
    assertError(await call('GET', target, { sig: { nonce } }), 401, 'replayed');
    // The same nonce from another provider is that provider's own.
    const out = await runBeian(['admin', 'add-provider', ...server.db.args, '--id', 'p3',
      '--name', 'Provider Three', '--callback-url', 'http://127.0.0.1:9/']);
    const k3 = /^([0-9a-f]{64})$/m.exec(out.stdout)[1];
    assert.equal((await call('GET', target, { sig: { nonce, provider: 'p3', k: k3 } })).status, 200);
  });

  test('add-provider refuses a taken id and a bad callback URL', async () => {
    const dup = await runBeian(['admin', 'add-provider', ...server.db.args, '--id', 'p1',
      '--name', 'Again', '--callback-url', 'http://127.0.0.1:9/']);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /provider_exists/);
    const bad = await runBeian(['admin', 'add-provider', ...server.db.args, '--id', 'p9',
      '--name', 'Bad', '--callback-url', 'ftp://x']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /callback/);
  });
});

describe('registry', () => {
  let first;
  let password;

  before(async () => {
    first = await registryAdd(enterprise('91440300MA5FQQQQ1Q', ['registry-one.cn', 'www.registry-two.com']));
    assert.equal(first.code, 0, first.stderr);
    password = /ICP password \(shown only this once\): (\S+)/.exec(first.stdout)?.[1];
    assert.ok(password, first.stdout);
  });

  test('registry-add numbers the subject and its websites; a second website continues', async () => {
    assert.match(first.stdout, /subject SN 粤ICP备\d{4}000001号 \(new subject\)/);
    assert.match(first.stdout, /website SN 粤ICP备\d{4}000001号-1/);
    const again = await registryAdd(enterprise('91440300MA5FQQQQ1Q', ['registry-three.cn']));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /website SN 粤ICP备\d{4}000001号-2/);
    assert.doesNotMatch(again.stdout, /ICP password/);
    const taken = await registryAdd(enterprise('91440300MA5FRRRR2R', ['sub.registry-one.cn']));
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /domain_filed/);
  });

  test('lookup answers subjects and websites for the judgement', async () => {
    const r = await call('GET', '/authority/v1/registry/lookup?certificate_type=uscc&certificate_number=91440300MA5FQQQQ1Q&domain=www.registry-one.cn&domain=unknown-example.cn');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.subjects.length, 1);
    assert.match(r.data.subjects[0].subject_sn, /^粤ICP备\d{10}号$/);
    const domains = r.data.websites.map((w) => w.domain).sort();
    assert.ok(domains.includes('registry-one.cn') && domains.includes('registry-two.com'), r.text);
    assert.deepEqual(r.data.websites[0].providers, ['p1']);
    const empty = await call('GET', '/authority/v1/registry/lookup?domain=unknown-example.cn');
    assert.deepEqual(empty.data, { subjects: [], websites: [] });
    assertError(await call('GET', '/authority/v1/registry/lookup'), 400, 'validation_failed');
  });

  test('verify-credentials checks the subject SN and ICP password', async () => {
    const sn = /subject SN (\S+)/.exec(first.stdout)[1];
    const t = '/authority/v1/registry/verify-credentials';
    const body = (extra) => ({ certificate_type: 'uscc', certificate_number: '91440300MA5FQQQQ1Q',
      beian_sn: sn, icp_password: password, ...extra });
    assert.deepEqual((await call('POST', t, { json: body() })).data, { valid: true });
    assert.deepEqual((await call('POST', t, { json: body({ icp_password: `${password}x` }) })).data,
      { valid: false });
    assert.deepEqual((await call('POST', t, { json: body({ beian_sn: `${sn}-1` }) })).data,
      { valid: false });
    assertError(await call('POST', t, { json: body({ extra: 1 }) }), 400, 'unknown_field');
  });

  test('the change feed is ordered and resumable', async () => {
    const all = await call('GET', '/authority/v1/registry/changes?since=0&limit=1000');
    assert.equal(all.status, 200);
    const seqs = all.data.changes.map((c) => c.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.ok(seqs.length >= 2);
    assert.equal(all.data.next_since, seqs.at(-1));
    const tail = await call('GET', `/authority/v1/registry/changes?since=${seqs[0]}&limit=1`);
    assert.deepEqual(tail.data.changes.map((c) => c.seq), [seqs[1]]);
    assert.equal(all.data.changes[0].record.organizer_name, '深圳市示例科技有限公司');
    assertError(await call('GET', '/authority/v1/registry/changes?limit=0'), 400, 'validation_failed');
  });

  test('public query by domain, SN and organizer; individuals masked; no sign-in', async () => {
    const person = await registryAdd({
      province: '11',
      organizer: { type: 'individual', name: '王小明',
        certificate: { type: 'resident_id_card', number: '110101199003074512' } },
      websites: [{ name: '个人博客', domains: ['xn--fiqs8s-blog.cn'] }],
    });
    assert.equal(person.code, 0, person.stderr);
    const q = async (query) => {
      const res = await fetch(`${server.authorityUrl}/authority/v1/public/query?${query}`);
      return { status: res.status, data: await res.json() };
    };
    const byDomain = await q('domain=WWW.Registry-One.cn');
    assert.equal(byDomain.status, 200);
    assert.equal(byDomain.data.results.length, 1);
    assert.deepEqual(byDomain.data.results[0].domains.sort(), ['registry-one.cn', 'registry-two.com']);
    const sn = byDomain.data.results[0].subject_sn;
    assert.equal((await q(`sn=${encodeURIComponent(sn)}`)).data.results.length, 2);
    assert.equal((await q(`sn=${encodeURIComponent(`${sn}-2`)}`)).data.results.length, 1);
    assert.equal((await q(`organizer=${encodeURIComponent('深圳市示例科技有限公司')}`)).data.results.length, 2);
    assert.equal((await q(`organizer=${encodeURIComponent('深圳市示例')}`)).data.results.length, 0);
    const paged = await q(`organizer=${encodeURIComponent('深圳市示例')}&match=prefix&limit=1`);
    assert.equal(paged.data.results.length, 1);
    assert.ok(paged.data.next_cursor);
    const next = await q(`organizer=${encodeURIComponent('深圳市示例')}&match=prefix&limit=1&cursor=${encodeURIComponent(paged.data.next_cursor)}`);
    assert.equal(next.data.results.length, 1);
    assert.notEqual(next.data.results[0].website_sn, paged.data.results[0].website_sn);
    const masked = await q('domain=xn--fiqs8s-blog.cn');
    assert.equal(masked.data.results[0].organizer_name, '王**');
    assert.equal((await q('domain=nothing-filed-here.cn')).data.results.length, 0);
    assert.equal((await q('')).status, 400);
    assert.equal((await q('domain=a.cn&sn=x')).status, 400);
  });
});
