// The agent's public filing look-up over HTTP (issue 10 item 7): a filing put into the
// authority's registry with `beian admin registry-add` reaches the agent's copy through the
// signed change feed within 5 seconds (polled), and GET /api/v1/public/filings answers it for
// the registrable domain, a subdomain, `www.`, and an IDN in Unicode or punycode, without
// sign-in; not-filed answers; the batch keeps order and refuses more than 1,000 domains; bad
// input is a 400 with its code; /metrics shows the sync's cursor.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { uscc } from './lib/filing.mjs';
import { assertError, runBeian, sleep, startServer } from './lib/server.mjs';

let server;
const tag = crypto.randomBytes(3).toString('hex');
const ascii = `pub-${tag}.com.cn`;
const idnLabel = `公开${tag}`;  // an IDN registrable domain under .中国

before(async () => {
  server = await startServer({ demo: false, extraArgs: ['--registry-sync-interval', '0.5'] });
});

after(async () => {
  await server?.stop();
});

async function registryAdd(filing) {
  const file = path.join(server.db.dataDir, `filing-${crypto.randomBytes(4).toString('hex')}.json`);
  fs.writeFileSync(file, JSON.stringify(filing));
  const r = await runBeian(['admin', 'registry-add', ...server.db.args, '--provider', 'local', file]);
  assert.equal(r.code, 0, r.stderr);
  return r;
}

async function get(domain) {
  const res = await fetch(`${server.agentUrl}/api/v1/public/filings?domain=${encodeURIComponent(domain)}`);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, data: text ? JSON.parse(text) : null };
}

async function batch(body) {
  const res = await fetch(`${server.agentUrl}/api/v1/public/filings/batch`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, data: text ? JSON.parse(text) : null };
}

// Polls until `domain` is filed; returns the answer and how long it took.
async function waitFiled(domain, limitMs = 5000) {
  const start = Date.now();
  for (;;) {
    const r = await get(domain);
    assert.equal(r.status, 200, r.text);
    if (r.data.filed) return { answer: r.data, ms: Date.now() - start };
    if (Date.now() - start > limitMs) assert.fail(`${domain} not filed after ${limitMs} ms: ${r.text}`);
    await sleep(100);
  }
}

describe('public filing look-up from the agent\'s copy', () => {
  test('not filed before; filed within 5 s of registry-add, in every form', async () => {
    const before = await get(ascii);
    assert.equal(before.status, 200, before.text);
    assert.equal(before.data.filed, false);
    assert.equal(before.data.domain, ascii);
    assert.equal(before.data.website_sn, null);
    assert.match(before.headers.get('cache-control') ?? '', /public, max-age=\d+/);

    const added = Date.now();
    await registryAdd({
      province: '44',
      organizer: { type: 'enterprise', name: '深圳市公开查询科技有限公司',
        certificate: { type: 'business_license', number: uscc() } },
      websites: [{ name: '公开查询网', domains: [ascii, `${idnLabel}.中国`] }],
    });
    const { answer } = await waitFiled(`www.${ascii}`);
    assert.ok(Date.now() - added < 5000 + 2000, 'within 5 s of the filing (plus the CLI)');
    assert.equal(answer.domain, ascii);
    assert.match(answer.website_sn, /^粤ICP备\d{10}号-1$/);
    assert.match(answer.subject_sn, /^粤ICP备\d{10}号$/);
    assert.equal(answer.organizer_name, '深圳市公开查询科技有限公司');
    assert.equal(answer.organizer_type, 'enterprise');
    assert.equal(answer.website_name, '公开查询网');
    assert.ok(!Number.isNaN(Date.parse(answer.approved_at)), answer.approved_at);

    const punycode = new URL(`http://${idnLabel}.中国/`).hostname;
    assert.match(punycode, /^xn--/);
    for (const form of [ascii, `www.${ascii}`, `a.b.${ascii.toUpperCase()}.`, `${idnLabel}.中国`,
      `www.${idnLabel}.中国`, punycode, `WWW.${punycode.toUpperCase()}`]) {
      const r = await get(form);
      assert.equal(r.status, 200, `${form}: ${r.text}`);
      assert.equal(r.data.filed, true, form);
      assert.equal(r.data.query, form);
      assert.equal(r.data.website_sn, answer.website_sn, form);
    }
    const idn = await get(`www.${idnLabel}.中国`);
    assert.equal(idn.data.domain, punycode);
    assert.equal(idn.data.domain_unicode, `${idnLabel}.中国`);
  });

  test('an individual organizer is masked as the feed gives it', async () => {
    const domain = `person-${tag}.cn`;
    await registryAdd({
      province: '11',
      organizer: { type: 'individual', name: '王小明',
        certificate: { type: 'resident_id_card', number: '110101199003074512' } },
      websites: [{ name: '个人博客', domains: [domain] }],
    });
    const { answer } = await waitFiled(domain);
    assert.match(answer.organizer_name, /^王\*+$/);  // the authority's mask
    assert.equal(answer.organizer_type, 'individual');
  });

  test('bad input is 400 with its code, never a 5xx', async () => {
    for (const [input, code] of [['', 'required'], ['not a domain', 'domain_invalid'],
      ['192.168.1.1', 'domain_ip_address'], ['[2001:db8::1]', 'domain_ip_address'],
      [`${'a'.repeat(64)}.com`, 'domain_label_too_long'],
      ['http://example.com/', 'domain_invalid'], ['xn--zz-invalid.com', 'domain_punycode_invalid'],
      ['\u0430pple.com', 'domain_mixed_script'], ['xn--pple-43d.com', 'domain_mixed_script'],
      [`${'a.'.repeat(130)}cn`, 'domain_too_long'],
      ['a'.repeat(5000), 'domain_too_long'], ['com.cn', 'domain_is_public_suffix']]) {
      const r = await get(input);
      const e = assertError(r, 400, 'validation_failed', JSON.stringify(input.slice(0, 30)));
      assert.equal(e.details[0].field, 'domain');
      assert.equal(e.details[0].code, code, input.slice(0, 30));
    }
    const none = await fetch(`${server.agentUrl}/api/v1/public/filings`);
    assert.equal(none.status, 400);
  });

  test('batch: in order, per-domain errors, at most 1,000', async () => {
    await waitFiled(ascii);
    const r = await batch({ domains: [`nothing-${tag}.cn`, `www.${ascii}`, '1.2.3.4', `${idnLabel}.中国`] });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.results.length, 4);
    assert.deepEqual(r.data.results.map((x) => x.query),
      [`nothing-${tag}.cn`, `www.${ascii}`, '1.2.3.4', `${idnLabel}.中国`]);
    assert.deepEqual(r.data.results.map((x) => x.filed), [false, true, false, true]);
    assert.equal(r.data.results[2].error.code, 'domain_ip_address');
    assert.equal(r.data.results[1].website_sn, r.data.results[3].website_sn);

    const full = await batch({ domains: Array.from({ length: 1000 }, (_, i) => `d${i}-${tag}.cn`) });
    assert.equal(full.status, 200, full.text.slice(0, 200));
    assert.equal(full.data.results.length, 1000);
    assert.equal(full.data.results[999].query, `d999-${tag}.cn`);

    const over = await batch({ domains: Array.from({ length: 1001 }, () => ascii) });
    assertError(over, 413, 'payload_too_large');
    assertError(await batch({ domains: [] }), 400, 'validation_failed');
    assertError(await batch({ domains: [1, 2] }), 400, 'validation_failed');
    assertError(await batch({}), 400, 'validation_failed');
  });

  test('batch: any body that is not the plain form reads as JSON, with the same answers and errors', async () => {
    await waitFiled(ascii);
    const raw = async (text, type = 'application/json') => {
      const res = await fetch(`${server.agentUrl}/api/v1/public/filings/batch`, {
        method: 'POST', headers: { 'Content-Type': type }, body: text,
      });
      const t = await res.text();
      return { status: res.status, headers: res.headers, text: t, data: t ? JSON.parse(t) : null };
    };
    const plain = await raw(`{"domains":["www.${ascii}","nothing-${tag}.cn"]}`);
    assert.equal(plain.status, 200, plain.text);
    // Whitespace (still the plain form) and an escape (the JSON path): byte for byte the same.
    const spaced = await raw(` {\n "domains" : [ "www.${ascii}" ,\t"nothing-${tag}.cn" ] }\n`);
    assert.equal(spaced.text, plain.text);
    const escaped = await raw(`{"domains":["www\\u002e${ascii}","nothing-${tag}.cn"]}`);
    assert.equal(escaped.text, plain.text);
    assertError(await raw(`{"domains":["www.${ascii}"]}`, 'text/plain'), 415, 'unsupported_media_type');
    assertError(await raw(`{"domains":["www.${ascii}"]`), 400, 'invalid_json');
    assertError(await raw(`{"domains":["www.${ascii}"],"extra":1}`), 400, 'unknown_field');
    const badUtf8 = Buffer.concat([Buffer.from('{"domains":["'), Buffer.from([0xff]), Buffer.from('"]}')]);
    assertError(await raw(badUtf8), 400, 'invalid_json');
  });

  test('/metrics shows the sync cursor', async () => {
    const res = await fetch(`${server.agentUrl}/metrics`);
    const text = await res.text();
    assert.equal(res.status, 200, text.slice(0, 200));
    const cursor = /^beian_registry_sync_cursor\{service="agent"\} (\d+)/m.exec(text);
    assert.ok(cursor && Number(cursor[1]) >= 2, text.match(/beian_registry_sync.*/g)?.join('\n'));
    assert.match(text, /^beian_registry_sync_age_seconds\{service="agent"\} /m);
  });
});
