// The authority's side of the hand-over, review and results (issue 10 items 3, 5, 6): signed
// submissions from providers (201 / 200 repeat, 409 across providers, 422 hash mismatch with
// nothing stored, 400, 401), the review queue / detail (masked) / documents / claim / decision
// (claim races, concurrent approvals → one SN, reasons from the catalogue), and the results
// outbox: every outcome POSTed, signed with the provider's key, to a node HTTP sink acting as
// the provider's agent — through a sink that is down, one that answers 503, one that answers
// 409, and an authority SIGKILLed mid-delivery (each result applied exactly once).
// The SMS step is the SMS helper's: a submission is moved to under_review with SQL here.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { png, uscc } from './lib/filing.mjs';
import {
  Client, assertError, createUser, kBackend, kDemo, kDemoPassword, makeDatabases, runBeian, sleep,
  startServer,
} from './lib/server.mjs';

let db;  // kept across the restart of the SIGKILL test
let server;
const keys = {};  // provider id → key (hex)
let sink;  // the providers' agent: records every POST

// A provider's agent stand-in: checks the signature with the provider's key, records the event,
// answers what `sink.answer(event)` says (default 200 {applied}); applied = first time seen.
function startSink(port = 0) {
  const s = {
    received: [],  // {provider, event, valid}
    applied: new Map(),  // event_id → count of 2xx answers
    answer: () => 200,
    delayMs: 0,
  };
  s.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', async () => {
      const provider = req.headers['x-beian-provider'];
      const canonical = ['BEIAN-HMAC-SHA256', req.method, req.url, req.headers['x-beian-timestamp'],
        req.headers['x-beian-nonce'], crypto.createHash('sha256').update(body).digest('hex')].join('\n');
      const k = keys[provider];
      const valid = !!k && crypto.createHmac('sha256', Buffer.from(k, 'hex')).update(canonical)
        .digest('hex') === req.headers['x-beian-signature'];
      let event = null;
      try { event = JSON.parse(body); } catch { /* recorded as null */ }
      s.received.push({ provider, path: req.url, event, valid });
      if (s.delayMs) await sleep(s.delayMs);
      const status = valid ? s.answer(event) : 401;
      if (status >= 200 && status < 300) {
        s.applied.set(event.event_id, (s.applied.get(event.event_id) ?? 0) + 1);
      }
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(status === 409
        ? { error: { code: 'invalid_transition', message: 'not in authority_review', details: [] } }
        : { event_id: event?.event_id, applied: true }));
    });
  });
  return new Promise((resolve) => s.server.listen(port, '127.0.0.1', () => {
    s.port = s.server.address().port;
    s.url = `http://127.0.0.1:${s.port}`;
    resolve(s);
  }));
}

async function addProvider(id, callback) {
  const r = await runBeian(['admin', 'add-provider', ...server.db.args, '--id', id,
    '--name', `Provider ${id}`, '--callback-url', callback]);
  assert.equal(r.code, 0, r.stderr);
  keys[id] = /^([0-9a-f]{64})$/m.exec(r.stdout)?.[1];
  assert.ok(keys[id], r.stdout);
}

function sign(method, target, body, provider) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = crypto.randomBytes(16).toString('base64url');
  const canonical = ['BEIAN-HMAC-SHA256', method, target, timestamp, nonce,
    crypto.createHash('sha256').update(body).digest('hex')].join('\n');
  return {
    'X-Beian-Provider': provider,
    'X-Beian-Timestamp': timestamp,
    'X-Beian-Nonce': nonce,
    'X-Beian-Signature': crypto.createHmac('sha256', Buffer.from(keys[provider], 'hex'))
      .update(canonical).digest('hex'),
  };
}

async function submit(provider, json, { signed = true } = {}) {
  const target = '/authority/v1/submissions';
  const body = JSON.stringify(json);
  const headers = { 'Content-Type': 'application/json', ...(signed ? sign('POST', target, body, provider) : {}) };
  const res = await fetch(`${server.authorityUrl}${target}`, { method: 'POST', headers, body });
  const text = await res.text();
  let data = null;
  try { data = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, data };
}

let serial = 0;
function filing({ cert = uscc(), domain, mobile = '13800138000', id } = {}) {
  serial += 1;
  const d = domain ?? `ar${process.pid}x${serial}${crypto.randomBytes(3).toString('hex')}.cn`;
  const file = png(40, 30, serial % 200);
  return {
    submission_id: id ?? `app-${crypto.randomBytes(6).toString('hex')}.1`,
    application_id: `app-${serial}`,
    filing_type: 'first_filing',
    province: '11',
    beian_sn: null,
    organizer: {
      type: 'enterprise', name: `北京审核测试${serial}有限公司`,
      certificate: { type: 'business_license', number: cert },
      province: '11', address: '北京市海淀区中关村大街1号',
      person_in_charge: { name: '张三', id_type: 'resident_id_card', id_number: '110105199003071239',
        mobile, email: `zhang${serial}@example.com` },
    },
    websites: [{ name: `审核测试网${serial}`, domains: [d], homepage: `https://www.${d}`,
      service_content: 'enterprise_portal', languages: ['zh-CN'], pre_approvals: [], instance_id: 'i-1' }],
    sms_persons: ['organizer'],
    documents: [{ id: `doc-${serial}`, kind: 'business_license', subject: 'organizer',
      filename: '营业执照.png', content_type: 'image/png', size: file.length,
      sha256: crypto.createHash('sha256').update(file).digest('hex'),
      content_base64: file.toString('base64') }],
  };
}

// SQL on the authority's database (sqlite3 / psql).
function sql(q) {
  if (kBackend === 'sqlite') {
    return execFileSync('sqlite3', ['-cmd', '.timeout 5000', path.join(server.db.dataDir, 'authority.db'), q],
      { encoding: 'utf8' }).trim();
  }
  const url = server.db.args[server.db.args.indexOf('--authority-database') + 1];
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qtA', '-c', q], { encoding: 'utf8' }).trim();
}

// What the SMS step does when every code is entered (the SMS helper's code; here by hand).
function toReview(id) {
  const now = Date.now();
  sql(`UPDATE submissions SET state = 'under_review', review_started_at = ${now},
    review_deadline = ${now + 28 * 86400000}, version = version + 1 WHERE id = '${id}'`);
}

async function reviewer(email, password = kDemoPassword) {
  const c = new Client(server.authorityUrl, '/authority/v1');
  await c.login(email, password);
  return c;
}

async function until(what, fn, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    }
    await sleep(100);
  }
}

let rv1;
let rv2;
// Short leases and back-off, so that the fault tests take seconds.
const kServeArgs = ['--provider-events-lease', '2', '--provider-events-max-backoff', '2'];

before(async () => {
  sink = await startSink();
  db = makeDatabases();
  server = await startServer({ db, extraArgs: kServeArgs });
  await addProvider('pa', sink.url);
  await addProvider('pb', sink.url);
  rv1 = await reviewer(kDemo.authority);
  const second = { email: `rv2-${Date.now()}@example.com`, phone: '13900000002',
    password: 'zh-lantern-river-7', display_name: 'Reviewer Two' };
  await createUser(server.db, second, 'authority_reviewer');
  rv2 = await reviewer(second.email, second.password);
});

after(async () => {
  await server?.stop();
  db?.drop();
  sink?.server.close();
});

describe('hand-over', () => {
  test('201 on arrival, 200 for a repeat (nothing new), state and SMS deadline', async () => {
    const f = filing();
    const t0 = Date.now();
    const first = await submit('pa', f);
    assert.equal(first.status, 201, first.text);
    assert.equal(first.data.submission_id, f.submission_id);
    assert.equal(first.data.state, 'sms_verification');
    const deadline = Date.parse(first.data.sms_deadline);
    assert.ok(Math.abs(deadline - (t0 + 24 * 3600 * 1000)) < 60_000, first.data.sms_deadline);
    const again = await submit('pa', { ...f, documents: [] });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.data, first.data);
    assert.equal(sql(`SELECT COUNT(*) FROM submissions WHERE provider_submission_id = '${f.submission_id}'`), '1');
    assert.equal(sql(`SELECT COUNT(*) FROM submission_events WHERE submission_id = '${first.data.id}'`), '1');
    // The document is in the authority's own blob store, under its hash.
    const hash = f.documents[0].sha256;
    assert.ok(fs.existsSync(path.join(server.db.dataDir, 'authority-blobs')), 'authority-blobs');
    assert.equal(sql(`SELECT blob_key FROM submission_documents WHERE submission_id = '${first.data.id}'`), hash);
  });

  test('409 submission_conflict across providers (domain, certificate), free again once closed', async () => {
    const f = filing();
    assert.equal((await submit('pa', f)).status, 201);
    const sameDomain = filing({ domain: f.websites[0].domains[0] });
    const r1 = await submit('pb', sameDomain);
    const e1 = assertError(r1, 409, 'submission_conflict');
    assert.deepEqual(e1.details.map((d) => [d.field, d.code]), [['websites[0].domains[0]', 'submission_conflict']]);
    const sameCert = filing({ cert: f.organizer.certificate.number });
    const e2 = assertError(await submit('pb', sameCert), 409, 'submission_conflict');
    assert.deepEqual(e2.details.map((d) => d.field), ['organizer.certificate.number']);
    // The same provider's second submission of the same filing conflicts too.
    assertError(await submit('pa', { ...f, submission_id: `${f.submission_id}x` }), 409, 'submission_conflict');
  });

  test('422 document_hash_mismatch stores nothing; 400 for malformed bodies; 401 unsigned', async () => {
    const f = filing();
    const bad = structuredClone(f);
    bad.documents[0].sha256 = crypto.createHash('sha256').update('other').digest('hex');
    const e = assertError(await submit('pa', bad), 422, 'document_hash_mismatch');
    assert.deepEqual(e.details.map((d) => d.field), ['documents[0]']);
    assert.equal(sql(`SELECT COUNT(*) FROM submissions WHERE provider_submission_id = '${f.submission_id}'`), '0');
    assert.ok(!fs.existsSync(path.join(server.db.dataDir, 'authority-blobs', f.documents[0].sha256.slice(0, 2),
      f.documents[0].sha256)), 'no blob written');
    // The same submission id, correct now: a first arrival.
    assert.equal((await submit('pa', f)).status, 201);

    assertError(await submit('pa', { ...filing(), sms_persons: [] }), 400, 'validation_failed');
    assertError(await submit('pa', { ...filing(), sms_persons: ['website:3'] }), 400, 'validation_failed');
    assertError(await submit('pa', { ...filing(), extra: 1 }), 400, 'unknown_field');
    const noB64 = filing();
    noB64.documents[0].content_base64 = '***';
    assertError(await submit('pa', noB64), 400, 'validation_failed');
    assertError(await submit('pa', filing(), { signed: false }), 401, 'bad_signature');
  });
});

describe('review', () => {
  async function underReview(provider = 'pa', opts = {}) {
    const f = filing(opts);
    const r = await submit(provider, f);
    assert.equal(r.status, 201, r.text);
    toReview(r.data.id);
    return { f, id: r.data.id };
  }

  test('queue, masked detail, documents, the reason catalogue', async () => {
    const { f, id } = await underReview();
    const q = await rv1.get('/review/queue?state=under_review&limit=100');
    assert.equal(q.status, 200, q.text);
    const item = q.data.items.find((i) => i.id === id);
    assert.ok(item, 'queued');
    assert.equal(item.provider_id, 'pa');
    assert.equal(item.provider_name, 'Provider pa');
    assert.deepEqual(item.domains, f.websites[0].domains);
    assert.equal(item.overdue, false);
    assert.equal(item.claimed_by, null);
    assert.ok(item.deadline);
    const sms = await rv1.get('/review/queue?state=sms_verification&limit=100');
    assert.ok(!sms.data.items.some((i) => i.id === id));
    assertError(await rv1.get('/review/queue?state=nope'), 400, 'validation_failed');

    const d = await rv1.get(`/review/submissions/${id}`);
    assert.equal(d.status, 200, d.text);
    assert.equal(d.data.organizer.person_in_charge.mobile, '138****8000');
    assert.equal(d.data.organizer.person_in_charge.id_number, '1101**********1239');
    assert.ok(!d.text.includes('13800138000') && !d.text.includes('110105199003071239'), 'nothing in clear');
    assert.equal(d.data.documents.length, 1);
    assert.equal(d.data.events[0].event, 'receive');
    const doc = await rv1.get(`/review/submissions/${id}/documents/${f.documents[0].id}`);
    assert.equal(doc.status, 200);
    assert.match(doc.headers.get('content-disposition'), /^attachment/);
    assert.equal(doc.headers.get('x-content-type-options'), 'nosniff');
    const bytes = Buffer.from(await (await fetch(`${server.authorityUrl}/authority/v1/review/submissions/${id}/documents/${f.documents[0].id}`,
      { headers: { Cookie: rv1.cookieHeader() } })).arrayBuffer());
    assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), f.documents[0].sha256);
    assertError(await rv1.get(`/review/submissions/${id}/documents/none`), 404, 'not_found');
    assertError(await rv1.get('/review/submissions/none'), 404, 'not_found');

    const reasons = await rv1.get('/review/reasons');
    assert.equal(reasons.status, 200);
    assert.ok(reasons.data.items.some((r) => r.code === 'other' && r.note_required));
    // Not for anyone else.
    const anon = new Client(server.authorityUrl, '/authority/v1');
    assertError(await anon.get('/review/queue'), 401, 'unauthenticated');
  });

  test('claims: another reviewer 409, 10 parallel claims one winner, decision needs the claim', async () => {
    const { id } = await underReview();
    assertError(await rv1.post(`/review/submissions/${id}/decision`, { decision: 'approve' }), 409, 'claim_required');
    const c = await rv1.post(`/review/submissions/${id}/claim`, {});
    assert.equal(c.status, 200, c.text);
    assert.ok(Date.parse(c.data.claim_until) > Date.now() + 29 * 60_000);
    assertError(await rv2.post(`/review/submissions/${id}/claim`, {}), 409, 'claimed_by_other');
    // The other reviewers see who holds it by name, not by id.
    const held = (await rv2.get('/review/queue?state=under_review&limit=100')).data.items.find((i) => i.id === id);
    assert.equal(held.claimed_by_name, '管局审核员');
    assertError(await rv2.post(`/review/submissions/${id}/decision`, { decision: 'approve' }), 409, 'claim_required');

    const { id: raced } = await underReview();
    const clients = [rv1, rv2];
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      clients[i % 2].post(`/review/submissions/${raced}/claim`, {})));
    const winners = new Set(answers.filter((a) => a.status === 200).map((a) => a.data.claimed_by));
    assert.equal(winners.size, 1, answers.map((a) => a.status).join(','));
    assert.ok(answers.every((a) => a.status === 200 || a.status === 409));
  });

  test('reject: reasons checked against the catalogue, the provider told with the reasons', async () => {
    const { id, f } = await underReview('pb');
    assert.equal((await rv1.post(`/review/submissions/${id}/claim`, {})).status, 200);
    assertError(await rv1.post(`/review/submissions/${id}/decision`, { decision: 'reject', reasons: [] }), 400, 'validation_failed');
    assertError(await rv1.post(`/review/submissions/${id}/decision`,
      { decision: 'reject', reasons: [{ field: 'organizer.name', code: 'no_such' }] }), 422, 'unknown_reason');
    assertError(await rv1.post(`/review/submissions/${id}/decision`,
      { decision: 'reject', reasons: [{ field: '', code: 'other' }] }), 400, 'validation_failed');
    const r = await rv1.post(`/review/submissions/${id}/decision`, { decision: 'reject',
      reasons: [{ field: 'websites[0].name', code: 'website_name_noncompliant', message: '名称过长' }] });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.state, 'rejected');
    const got = await until('the rejection at the provider', () =>
      sink.received.find((x) => x.event?.authority_submission_id === id));
    assert.equal(got.valid, true, 'signed with the provider key');
    assert.equal(got.provider, 'pb');
    assert.equal(got.path, '/api/v1/authority/events');
    assert.equal(got.event.type, 'rejected');
    assert.equal(got.event.submission_id, f.submission_id);
    assert.deepEqual(got.event.reasons, [{ field: 'websites[0].name', code: 'website_name_noncompliant', message: '名称过长' }]);
    // Closed: its keys are free for a new submission, and it cannot be decided again.
    assert.equal((await submit('pa', filing({ domain: f.websites[0].domains[0] }))).status, 201);
    assertError(await rv1.post(`/review/submissions/${id}/claim`, {}), 409, 'invalid_transition');
  });

  test('approve: one SN for concurrent approvals, registry, messages, the provider told', async () => {
    const { id, f } = await underReview();
    assert.equal((await rv1.post(`/review/submissions/${id}/claim`, {})).status, 200);
    const answers = await Promise.all([
      rv1.post(`/review/submissions/${id}/decision`, { decision: 'approve' }),
      rv1.post(`/review/submissions/${id}/decision`, { decision: 'approve' }),
      rv2.post(`/review/submissions/${id}/decision`, { decision: 'approve' }),
    ]);
    const ok = answers.filter((a) => a.status === 200);
    assert.equal(ok.length, 1, answers.map((a) => `${a.status} ${a.text}`).join('\n'));
    for (const a of answers.filter((x) => x.status !== 200)) {
      assert.ok(['invalid_transition', 'claim_required'].includes(a.data.error.code), a.text);
    }
    const detail = ok[0].data;
    assert.equal(detail.state, 'approved');
    assert.match(detail.subject_sn, /^京ICP备\d{10}号$/);
    assert.equal(detail.website_sns[f.websites[0].name], `${detail.subject_sn}-1`);
    assert.equal(sql(`SELECT COUNT(*) FROM registry_subjects WHERE subject_sn = '${detail.subject_sn}'`), '1');
    // The ICP password only as a hash; the messages enqueued, the password sealed in them.
    assert.match(sql(`SELECT icp_password_hash FROM registry_subjects WHERE subject_sn = '${detail.subject_sn}'`), /^\$argon2id\$/);
    const templates = sql(`SELECT template || ':' || channel FROM notifications WHERE dedupe_key LIKE 'submission:${id}:%' ORDER BY 1`);
    assert.deepEqual(templates.split('\n'), ['authority_approved:email', 'authority_icp_password:email', 'authority_icp_password:sms']);
    assert.doesNotMatch(sql(`SELECT params FROM notifications WHERE template = 'authority_icp_password' AND dedupe_key LIKE 'submission:${id}:%' LIMIT 1`),
      /"icp_password":"[A-Za-z2-9]{16}"/, 'sealed');
    // The public query finds it.
    const pub = await fetch(`${server.authorityUrl}/authority/v1/public/query?domain=${f.websites[0].domains[0]}`);
    assert.equal((await pub.json()).results[0].website_sn, `${detail.subject_sn}-1`);
    const got = await until('the approval at the provider', () =>
      sink.received.find((x) => x.event?.authority_submission_id === id));
    assert.equal(got.valid, true);
    assert.equal(got.event.type, 'approved');
    assert.equal(got.event.approval.subject_sn, detail.subject_sn);
    assert.equal(got.event.approval.new_subject, true);
    assert.deepEqual(got.event.approval.websites, [{ name: f.websites[0].name, domains: f.websites[0].domains,
      website_sn: `${detail.subject_sn}-1` }]);
  });
});

describe('results delivery', () => {
  async function decided(provider = 'pa') {
    const f = filing();
    const r = await submit(provider, f);
    assert.equal(r.status, 201, r.text);
    toReview(r.data.id);
    assert.equal((await rv1.post(`/review/submissions/${r.data.id}/claim`, {})).status, 200);
    const d = await rv1.post(`/review/submissions/${r.data.id}/decision`, { decision: 'reject',
      reasons: [{ field: 'organizer', code: 'info_mismatch' }] });
    assert.equal(d.status, 200, d.text);
    return r.data.id;
  }
  const eventOf = (id) => sql(`SELECT event_id FROM provider_events WHERE submission_id = '${id}'`);
  const stateOf = (eventId) => sql(`SELECT state || '|' || attempts || '|' || last_error || '|' || COALESCE(lease_until, 0) || '|' || COALESCE(lease_owner, '') FROM provider_events WHERE event_id = '${eventId}'`);

  test('503 then 200: retried, delivered and applied once', async () => {
    let refusals = 3;
    sink.answer = () => (refusals-- > 0 ? 503 : 200);
    try {
      const id = await decided();
      const eventId = eventOf(id);
      const backlog = await fetch(`${server.authorityUrl}/metrics`).then((r) => r.text());
      assert.match(backlog, /^beian_provider_events_backlog\{service="authority"\} [1-9]/m, 'the undelivered result in /metrics');
      await until('delivery', () => stateOf(eventId).startsWith('delivered|'), 30000);
      const [, attempts] = stateOf(eventId).split('|');
      assert.equal(Number(attempts), 4);
      assert.equal(sink.applied.get(eventId), 1);
    } finally {
      sink.answer = () => 200;
    }
  });

  test('409 from the agent: delivered, the answer kept, never retried', async () => {
    sink.answer = () => 409;
    try {
      const id = await decided();
      const eventId = eventOf(id);
      await until('delivery', () => stateOf(eventId).startsWith('delivered|'));
      assert.match(stateOf(eventId), /^delivered\|1\|HTTP 409 invalid_transition/);
      await sleep(1500);
      assert.equal(sink.received.filter((x) => x.event?.event_id === eventId).length, 1);
    } finally {
      sink.answer = () => 200;
    }
  });

  test('the agent down, then back: delivered exactly once', async () => {
    const port = sink.port;
    await new Promise((resolve) => sink.server.close(resolve));
    sink.server.closeAllConnections?.();
    const id = await decided();
    const eventId = eventOf(id);
    await until('a failed try', () => Number(stateOf(eventId).split('|')[1]) >= 2, 20000);
    assert.match(stateOf(eventId), /^pending\|/);
    const back = await startSink(port);
    back.received = sink.received;
    back.applied = sink.applied;
    sink = back;
    await until('delivery', () => stateOf(eventId).startsWith('delivered|'), 20000);
    assert.equal(sink.applied.get(eventId), 1);
  });

  test('the authority SIGKILLed mid-delivery: sent again after the lease, applied once', async () => {
    sink.delayMs = 1500;
    let id;
    try {
      id = await decided();
      const eventId = eventOf(id);
      await until('the POST in flight', () => sink.received.some((x) => x.event?.event_id === eventId));
      await server.stop({ signal: 'SIGKILL', expectCode: null });
      sink.delayMs = 0;
      // The database stays: the same data dir (and PostgreSQL databases) for the new process.
      server = await startServer({ db, extraArgs: kServeArgs });
      await until(() => `delivery (${stateOf(eventId)} now ${Date.now()})\n${server.output()}`,
        () => stateOf(eventId).startsWith('delivered|'), 20000);
      // The killed process's answer was lost: the agent got it twice and applies it once
      // (idempotent on event_id); here the sink counts 2xx answers per event id.
      const sends = sink.received.filter((x) => x.event?.event_id === eventId).length;
      assert.ok(sends >= 1 && sends <= 2, `sent ${sends} times`);
      assert.equal(new Set(sink.received.filter((x) => x.event?.event_id === eventId).map((x) => x.event.event_id)).size, 1);
      assert.equal(sql(`SELECT COUNT(*) FROM provider_events WHERE submission_id = '${id}'`), '1');
    } finally {
      sink.delayMs = 0;
      rv1 = await reviewer(kDemo.authority);
    }
  });
});
