// SMS verification at the authority over HTTP (issue 10 item 4; contract §5): a submission
// arrives (signed POST /authority/v1/submissions), its codes are read from the authority's
// development mailbox (GET /authority/v1/admin/mailbox, authority_reviewer), and entered at the
// public POST /authority/v1/sms-verification: two persons → under_review only after both (the
// provider is sent under_review); a wrong code → 422 with attempts_left, the 5th → 410 and the
// submission rejected (reason sms_failed, sent to the provider); 404 for no code; resends up to
// 3 → 429 sms_resend_limit, the newest code works; nothing secret at rest; and a server started
// with the test-only `--sms-code-validity 2` expiring the submission by its sweeper.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { png, uscc } from './lib/filing.mjs';
import {
  Client, assertError, kBackend, kDemo, kDemoPassword, maskMobile, runBeian, sleep, startServer,
  waitForMailboxMessage,
} from './lib/server.mjs';

let server;  // default validity
let shortServer;  // --sms-code-validity 2 --sms-sweep-interval 0.3
let sink;  // the provider's agent: records the events the authority sends back
const keys = new Map();  // `${server port}/${provider}` → key

function startSink() {
  const s = { events: [] };
  s.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      let event = null;
      try { event = JSON.parse(body); } catch { /* recorded as null */ }
      s.events.push(event);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ event_id: event?.event_id, applied: true }));
    });
  });
  return new Promise((resolve) => s.server.listen(0, '127.0.0.1', () => {
    s.url = `http://127.0.0.1:${s.server.address().port}`;
    resolve(s);
  }));
}

async function addProvider(srv, id) {
  const r = await runBeian(['admin', 'add-provider', ...srv.db.args, '--id', id,
    '--name', `Provider ${id}`, '--callback-url', sink.url]);
  assert.equal(r.code, 0, r.stderr);
  const key = /^([0-9a-f]{64})$/m.exec(r.stdout)?.[1];
  assert.ok(key, r.stdout);
  keys.set(`${srv.authorityPort}/${id}`, key);
}

async function submit(srv, json, provider = 'sp') {
  const target = '/authority/v1/submissions';
  const body = JSON.stringify(json);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = crypto.randomBytes(16).toString('base64url');
  const canonical = ['BEIAN-HMAC-SHA256', 'POST', target, timestamp, nonce,
    crypto.createHash('sha256').update(body).digest('hex')].join('\n');
  const key = keys.get(`${srv.authorityPort}/${provider}`);
  const res = await fetch(`${srv.authorityUrl}${target}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Beian-Provider': provider,
      'X-Beian-Timestamp': timestamp,
      'X-Beian-Nonce': nonce,
      'X-Beian-Signature': crypto.createHmac('sha256', Buffer.from(key, 'hex')).update(canonical)
        .digest('hex'),
    },
    body,
  });
  const text = await res.text();
  assert.equal(res.status, 201, text);
  return JSON.parse(text);
}

let serial = 0;
const mobile = () => `137${String(process.pid % 1000).padStart(3, '0')}${String(10000 + (serial++)).slice(-5)}`;

// A first filing whose organizer's person has `organizerMobile`; with `webmasterMobile` its one
// website names a person of its own and sms_persons names both.
function filing({ organizerMobile, webmasterMobile } = {}) {
  serial += 1;
  const d = `sms${process.pid}x${serial}${crypto.randomBytes(3).toString('hex')}.cn`;
  const file = png(40, 30, serial % 200);
  const website = { name: `短信测试网${serial}`, domains: [d], homepage: `https://www.${d}`,
    service_content: 'enterprise_portal', languages: ['zh-CN'], pre_approvals: [], instance_id: 'i-1' };
  if (webmasterMobile) {
    website.person_in_charge = { name: '李四', id_type: 'resident_id_card',
      id_number: '110105198001011238', mobile: webmasterMobile, email: `li${serial}@example.com` };
  }
  return {
    submission_id: `app-${crypto.randomBytes(6).toString('hex')}.1`,
    application_id: `app-sms-${serial}`,
    filing_type: 'first_filing',
    province: '11',
    beian_sn: null,
    organizer: {
      type: 'enterprise', name: `北京短信${serial}有限公司`,
      certificate: { type: 'business_license', number: uscc() },
      province: '11', address: '北京市海淀区中关村大街1号',
      person_in_charge: { name: '张三', id_type: 'resident_id_card', id_number: '11010519491231002X',
        mobile: organizerMobile, email: `zhang${serial}@example.com` },
    },
    websites: [website],
    sms_persons: webmasterMobile ? ['organizer', 'website:0'] : ['organizer'],
    documents: [{ id: `doc-${serial}`, kind: 'business_license', subject: 'organizer',
      filename: '营业执照.png', content_type: 'image/png', size: file.length,
      sha256: crypto.createHash('sha256').update(file).digest('hex'),
      content_base64: file.toString('base64') }],
  };
}

// The newest code the authority's mailbox holds for `phone`.
async function codeFor(client, phone) {
  const m = await waitForMailboxMessage(client, (x) => x.template === 'authority_sms_code'
    && x.to === maskMobile(phone));
  assert.equal(m.channel, 'sms');
  assert.match(m.text, /^【工信部ICP备案】/);
  const code = /核验码：(\d{6})/.exec(m.text)?.[1];
  assert.ok(code, m.text);
  return code;
}

async function enter(srv, body) {
  const res = await fetch(`${srv.authorityUrl}/authority/v1/sms-verification`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, data: text ? JSON.parse(text) : null };
}

async function resend(srv, body) {
  const res = await fetch(`${srv.authorityUrl}/authority/v1/sms-verification/resend`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, data: text ? JSON.parse(text) : null };
}

// SQL on a server's authority database (sqlite3 / psql).
function sql(srv, q) {
  if (kBackend === 'sqlite') {
    return execFileSync('sqlite3', ['-cmd', '.timeout 5000', path.join(srv.db.dataDir, 'authority.db'), q],
      { encoding: 'utf8' }).trim();
  }
  const url = srv.db.args[srv.db.args.indexOf('--authority-database') + 1];
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qtA', '-c', q], { encoding: 'utf8' }).trim();
}

async function until(what, fn, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const eventsOf = (id) => sink.events.filter((e) => e?.authority_submission_id === id);

let reviewer;
let shortReviewer;

before(async () => {
  sink = await startSink();
  [server, shortServer] = await Promise.all([
    startServer(),
    startServer({ extraArgs: ['--sms-code-validity', '2', '--sms-sweep-interval', '0.3'] }),
  ]);
  await addProvider(server, 'sp');
  await addProvider(shortServer, 'sp');
  reviewer = new Client(server.authorityUrl, '/authority/v1');
  await reviewer.login(kDemo.authority, kDemoPassword);
  shortReviewer = new Client(shortServer.authorityUrl, '/authority/v1');
  await shortReviewer.login(kDemo.authority, kDemoPassword);
});

after(async () => {
  await server?.stop();
  await shortServer?.stop();
  sink?.server.close();
});

describe('SMS verification', () => {
  test('two persons: under_review only after both codes, then the provider is told', async () => {
    const boss = mobile();
    const webmaster = mobile();
    const s = await submit(server, filing({ organizerMobile: boss, webmasterMobile: webmaster }));
    assert.equal(s.state, 'sms_verification');
    const bossCode = await codeFor(reviewer, boss);
    const webCode = await codeFor(reviewer, webmaster);
    const first = await enter(server, { mobile: boss, code: bossCode, id_last6: '31002x' });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.data, { verified: true, submission_state: 'sms_verification', remaining: 1 });
    assert.equal(first.headers.get('cache-control'), 'no-store');
    // Entering the same code again (a double submit) is answered alike.
    const again = await enter(server, { mobile: `+86 ${boss}`, code: bossCode, id_last6: '31002X' });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.data.remaining, 1);
    assert.equal(sql(server, `SELECT state FROM submissions WHERE id = '${s.id}'`), 'sms_verification');
    const second = await enter(server, { mobile: webmaster, code: webCode, id_last6: '011238' });
    assert.equal(second.status, 200, second.text);
    assert.deepEqual(second.data, { verified: true, submission_state: 'under_review', remaining: 0 });
    assert.equal(sql(server, `SELECT state FROM submissions WHERE id = '${s.id}'`), 'under_review');
    const events = await until('under_review at the provider', () => {
      const e = eventsOf(s.id);
      return e.length > 0 ? e : null;
    });
    assert.deepEqual(events.map((e) => e.type), ['under_review']);
    // The secrets are not kept: the sent SMS rows hold no code, only the mask.
    const rows = sql(server, `SELECT params || '|' || body_text FROM notifications WHERE template = 'authority_sms_code' AND state = 'sent'`);
    assert.ok(rows.length > 0);
    assert.ok(!rows.includes(bossCode) && !rows.includes(webCode), rows);
    assert.match(rows, /\*\*\*\*\*\*/);
    const stored = sql(server, `SELECT mobile_hash || mobile_sealed || id_last6_hash || code_hash FROM sms_codes WHERE submission_id = '${s.id}'`);
    assert.ok(!stored.includes(boss) && !stored.includes(bossCode), stored);
  });

  test('wrong codes: attempts_left, the 5th → 410 and rejected (sms_failed) at the provider', async () => {
    const boss = mobile();
    const s = await submit(server, filing({ organizerMobile: boss }));
    const code = await codeFor(reviewer, boss);
    const wrong = code === '000000' ? '000001' : '000000';
    for (const left of [4, 3, 2, 1]) {
      const r = await enter(server, { mobile: boss, code: wrong, id_last6: '31002X' });
      const e = assertError(r, 422, 'sms_code_wrong');
      assert.equal(e.details.find((d) => d.field === 'attempts_left')?.message, String(left), r.text);
    }
    assertError(await enter(server, { mobile: boss, code: wrong, id_last6: '31002X' }), 410, 'sms_code_expired');
    assertError(await enter(server, { mobile: boss, code, id_last6: '31002X' }), 410, 'sms_code_expired');
    assert.equal(sql(server, `SELECT state FROM submissions WHERE id = '${s.id}'`), 'rejected');
    const events = await until('rejected at the provider', () => {
      const e = eventsOf(s.id);
      return e.length > 0 ? e : null;
    });
    assert.equal(events[0].type, 'rejected');
    assert.deepEqual(events[0].reasons.map((r) => r.code), ['sms_failed']);
    assert.equal(sql(server, `SELECT COUNT(*) FROM submission_open_keys WHERE submission_id = '${s.id}'`), '0');
  });

  test('no code for the mobile and ID tail → 404; malformed input → 400', async () => {
    const boss = mobile();
    await submit(server, filing({ organizerMobile: boss }));
    const code = await codeFor(reviewer, boss);
    assertError(await enter(server, { mobile: mobile(), code, id_last6: '31002X' }), 404, 'sms_code_not_found');
    assertError(await enter(server, { mobile: boss, code, id_last6: '123456' }), 404, 'sms_code_not_found');
    const bad = assertError(await enter(server, { mobile: '123', code: '12a', id_last6: '1' }), 400, 'validation_failed');
    assert.deepEqual(bad.details.map((d) => d.field).sort(), ['code', 'id_last6', 'mobile']);
    assertError(await enter(server, { mobile: boss, code }), 400, 'validation_failed');
  });

  test('resends: three, then 429 sms_resend_limit; the newest code replaces the old', async () => {
    const boss = mobile();
    const s = await submit(server, filing({ organizerMobile: boss }));
    const first = await codeFor(reviewer, boss);
    const delivered = async () => {
      const r = await reviewer.get('/admin/mailbox?limit=100');
      return r.data.items.filter((x) => x.to === maskMobile(boss)).length;
    };
    for (const left of [2, 1, 0]) {
      const r = await resend(server, { mobile: boss, id_last6: '31002X' });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.data, { resends_left: left });
      // Each new code delivered before the next is asked for: the newest is the last one.
      await until(`resend ${3 - left} delivered`, async () => (await delivered()) === 4 - left);
    }
    assertError(await resend(server, { mobile: boss, id_last6: '31002X' }), 429, 'sms_resend_limit');
    assert.equal(await delivered(), 4);
    const newest = await codeFor(reviewer, boss);
    if (newest !== first) {
      assertError(await enter(server, { mobile: boss, code: first, id_last6: '31002X' }), 422, 'sms_code_wrong');
    }
    const ok = await enter(server, { mobile: boss, code: newest, id_last6: '31002X' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.data.submission_state, 'under_review');
    assert.equal(sql(server, `SELECT COUNT(*) FROM submission_events WHERE submission_id = '${s.id}' AND event = 'resend_sms'`), '3');
  });

  test('the authority mailbox is the reviewers\' only', async () => {
    const anonymous = new Client(server.authorityUrl, '/authority/v1');
    assertError(await anonymous.get('/admin/mailbox'), 401, 'unauthenticated');
  });
});

describe('the deadline (--sms-code-validity 2)', () => {
  test('past the deadline the sweeper expires the submission; the code → 410', async () => {
    const boss = mobile();
    const s = await submit(shortServer, filing({ organizerMobile: boss }));
    const code = await codeFor(shortReviewer, boss);
    await until('expired', () => sql(shortServer, `SELECT state FROM submissions WHERE id = '${s.id}'`) === 'expired', 10000);
    assertError(await enter(shortServer, { mobile: boss, code, id_last6: '31002X' }), 410, 'sms_code_expired');
    assertError(await resend(shortServer, { mobile: boss, id_last6: '31002X' }), 410, 'sms_code_expired');
    const events = await until('expired at the provider', () => {
      const e = eventsOf(s.id);
      return e.length > 0 ? e : null;
    });
    assert.equal(events[0].type, 'expired');
  });
});
