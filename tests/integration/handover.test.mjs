// The hand-over to the authority and the results back, on the agent's side (issue 10 items 3
// and 6; the authority contract §1 and §4), against the real binary: `beian serve --service
// agent` talking to a fake authority (a node HTTP server that checks the provider's signature,
// answers the registry look-up with an empty registry, and plays POST /authority/v1/submissions
// idempotently on submission_id, as the contract says the authority does).
//  - down for a while, then up: the hand-over is retried (the application stays photo_accepted,
//    `authority.state` handing_over) and delivered once → authority_review; the payload carries
//    the application in clear and every document (base64, SHA-256 as stated).
//  - SIGKILL of the agent while the authority holds the POST: after the restart the lease runs
//    out, the row is sent again, the authority answers 200 (a repeat) and the application is
//    forwarded once.
//  - 409 submission_conflict: the application is returned, the field flagged, `authority.state`
//    refused.
//  - POST /api/v1/authority/events signed with the provider key: under_review, approved (SNs,
//    a service code used, the applicant's e-mail), a repeated event → applied:false, rejected
//    (flagged fields), bad signature / unknown provider / old timestamp / replay → 401 with their
//    codes, an event for an application not in authority_review → 409 invalid_transition.
// Last, with both services (the real local authority): the hand-over reaches the authority
// (authority_review, `authority.state` sms_verification, the authority's id) and the agent takes
// events signed with the key in <data-dir>/provider.key as provider "local".
// Runs on SQLite and on PostgreSQL (BEIAN_IT_BACKEND).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, assertError, freePort, kBin, kDemo, kDemoPassword, kWebDir, makeDatabases, sleep,
  startServer } from './lib/server.mjs';
import { demoReviewer, newApplicant, png, submittedFiling, upload } from './lib/filing.mjs';

const kProvider = 'sink-provider';
const kKey = crypto.randomBytes(32).toString('hex');

function sha256(data) {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function sign(method, target, body, { provider = kProvider, key = kKey, ts, nonce } = {}) {
  const timestamp = String(ts ?? Math.floor(Date.now() / 1000));
  const n = nonce ?? crypto.randomBytes(16).toString('base64url');
  const canonical = ['BEIAN-HMAC-SHA256', method, target, timestamp, n, sha256(body)].join('\n');
  return {
    'X-Beian-Provider': provider,
    'X-Beian-Timestamp': timestamp,
    'X-Beian-Nonce': n,
    'X-Beian-Signature': crypto.createHmac('sha256', Buffer.from(key, 'hex')).update(canonical)
      .digest('hex'),
  };
}

// The fake authority. mode: 'down' (503), 'up', 'hang' (creates, never answers), 'conflict'.
async function fakeAuthority() {
  const sink = { mode: 'down', arrivals: [], created: new Map(), held: [], unsigned: 0 };
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString('utf8');
    const expected = sign(req.method, req.url, body, {
      ts: req.headers['x-beian-timestamp'], nonce: req.headers['x-beian-nonce'] });
    const answer = (status, json) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.headers['x-beian-provider'] !== kProvider
      || req.headers['x-beian-signature'] !== expected['X-Beian-Signature']) {
      sink.unsigned += 1;
      return answer(401, { error: { code: 'bad_signature', message: 'bad signature', details: [] } });
    }
    if (req.method === 'GET' && req.url.startsWith('/authority/v1/registry/lookup')) {
      return answer(200, { subjects: [], websites: [] });
    }
    if (req.method === 'GET' && req.url.startsWith('/authority/v1/registry/changes')) {
      return answer(200, { changes: [], next_since: 0 });
    }
    if (req.method !== 'POST' || req.url !== '/authority/v1/submissions') {
      return answer(404, { error: { code: 'not_found', message: 'no route', details: [] } });
    }
    const sub = JSON.parse(body);
    sink.arrivals.push({ mode: sink.mode, sub });
    if (sink.mode === 'down') {
      return answer(503, { error: { code: 'unavailable', message: 'down', details: [] } });
    }
    if (sink.mode === 'conflict') {
      return answer(409, { error: { code: 'submission_conflict', message: 'an open submission has it',
        details: [{ field: 'organizer.certificate.number', code: 'submission_conflict',
          message: 'another provider\'s open submission has this certificate' }] } });
    }
    const repeat = sink.created.has(sub.submission_id);
    if (!repeat) sink.created.set(sub.submission_id, `as-${crypto.randomBytes(6).toString('hex')}`);
    const reply = { id: sink.created.get(sub.submission_id), submission_id: sub.submission_id,
      state: 'sms_verification', sms_deadline: new Date(Date.now() + 86400000).toISOString() };
    if (sink.mode === 'hang') {
      sink.held.push(res);  // the answer is lost with the agent
      return undefined;
    }
    return answer(repeat ? 200 : 201, reply);
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${port}`;
  sink.close = () => {
    for (const r of sink.held) r.destroy();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  sink.count = (sid) => sink.arrivals.filter((a) => a.sub.submission_id === sid).length;
  return sink;
}

// One `beian serve --service agent` on `db` talking to the fake authority.
async function startAgent(db, port, authorityUrl) {
  const args = ['serve', '--service', 'agent', ...db.args.filter((a, i, all) =>
    a !== '--authority-database' && all[i - 1] !== '--authority-database'),
  '--agent-listen', `127.0.0.1:${port}`, '--web-dir', kWebDir, '--log-level', 'warn', '--migrate',
  '--authority-url', authorityUrl, '--provider-id', kProvider, '--provider-key', kKey,
  '--registry-sync-interval', '0', '--handover-retry-seconds', '0.2',
  '--handover-lease-seconds', '3'];
  const child = spawn(kBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out = (out + d).slice(-20000)));
  child.stderr.on('data', (d) => (out = (out + d).slice(-20000)));
  const agentUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`agent exited ${child.exitCode}:\n${out}`);
    try {
      const r = await fetch(`${agentUrl}/readyz`);
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline) throw new Error(`agent not ready:\n${out}`);
    await sleep(100);
  }
  return {
    agentUrl,
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode };
      const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, sig })));
      child.kill(signal);
      return exited;
    },
  };
}

let db;
let sink;
let agent;
let port;

before(async () => {
  db = makeDatabases();
  sink = await fakeAuthority();
  port = await freePort();
  agent = await startAgent(db, port, sink.url);
});

after(async () => {
  await agent?.stop();
  await sink?.close();
  db?.drop();
});

// A new applicant's filing taken to photo_accepted over HTTP (as verification.test.mjs does).
async function photoAccepted(tag, server = agent) {
  const who = await newApplicant(server, tag);
  const a = await submittedFiling(who);
  const rv = await demoReviewer(server);
  const id = a.id;
  assert.equal((await rv.post(`/review/applications/${id}/claim`, {})).status, 200);
  assert.equal((await rv.post(`/review/applications/${id}/decision`, { decision: 'approve' })).status, 200);
  const app = who.client;
  const bd = await app.post(`/applications/${id}/backdrop`, { recipient: '张三', mobile: '13912340001',
    address: '北京市海淀区中关村大街1号院2号楼' });
  assert.equal(bd.status, 200, bd.text);
  const ship = await rv.post(`/review/backdrops/${id}/ship`, { carrier: '顺丰速运',
    tracking_number: 'SF1234567890' });
  assert.equal(ship.status, 200, ship.text);
  const photo = await upload(app, id, 'verified_photo', 'organizer', png(1200, 900, 40), 'photo.png');
  assert.equal(photo.status, 201, photo.text);
  assert.equal((await app.post(`/applications/${id}/photo`, { document_id: photo.data.id })).status, 200);
  assert.equal((await rv.post(`/review/applications/${id}/claim`, {})).status, 200);
  const acc = await rv.post(`/review/applications/${id}/photo-decision`, { decision: 'accept' });
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.data.state, 'photo_accepted');
  return { who, rv, id };
}

// Polls the owner's view of the application until `pred` holds.
async function waitFor(client, id, pred, what, timeoutMs = 20_000, output = () => agent.output()) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await client.get(`/applications/${id}`);
    assert.equal(last.status, 200, last.text);
    if (pred(last.data)) return last.data;
    if (Date.now() > deadline) {
      assert.fail(`${what}: ${JSON.stringify({ state: last.data.state, authority: last.data.authority })}\n${output()}`);
    }
    await sleep(100);
  }
}

async function postEvent(event, { sig = {}, headers, raw, url = agent.agentUrl } = {}) {
  const target = '/api/v1/authority/events';
  const body = raw ?? JSON.stringify(event);
  const h = { 'Content-Type': 'application/json', ...sign('POST', target, body, sig), ...headers };
  const res = await fetch(`${url}${target}`, { method: 'POST', headers: h, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, data: text ? JSON.parse(text) : null, h, body };
}

function eventOf(type, app, extra = {}) {
  return {
    event_id: `ev-${crypto.randomBytes(6).toString('hex')}`,
    type,
    submission_id: app.authority.submission_id,
    application_id: app.id,
    authority_submission_id: app.authority.authority_submission_id,
    occurred_at: new Date().toISOString(),
    ...extra,
  };
}

describe('hand-over and results back (fake authority)', () => {
  let first;  // {who, id} of the application delivered after the outage

  test('the authority down for a while, then up: delivered once, with its documents', async () => {
    sink.mode = 'down';
    first = await photoAccepted('ho-down');
    const { who, id } = first;
    const sid = `${id}.1`;
    // Retried while the authority answers 503; the application waits in photo_accepted.
    const deadline = Date.now() + 20_000;
    while (sink.count(sid) < 3) {
      assert.ok(Date.now() < deadline, `retries: ${sink.count(sid)}\n${agent.output()}`);
      await sleep(100);
    }
    const waiting = (await who.client.get(`/applications/${id}`)).data;
    assert.equal(waiting.state, 'photo_accepted');
    assert.equal(waiting.authority.submission_id, sid);
    assert.equal(waiting.authority.state, 'handing_over');
    assert.equal(waiting.authority.authority_submission_id, null);

    sink.mode = 'up';
    const delivered = await waitFor(who.client, id, (a) => a.state === 'authority_review',
      'forwarded after the outage');
    assert.equal(delivered.authority.state, 'sms_verification');
    assert.equal(delivered.authority.authority_submission_id, sink.created.get(sid));
    await sleep(1000);  // nothing more is sent
    const upArrivals = sink.arrivals.filter((a) => a.sub.submission_id === sid && a.mode === 'up');
    assert.equal(upArrivals.length, 1, 'one delivery once the authority is up');
    const events = (await who.client.get(`/applications/${id}/events`)).data.items;
    assert.equal(events.filter((e) => e.event === 'forward').length, 1);
    assert.equal(events.at(-1).event, 'forward');
    assert.equal(events.at(-1).role, 'system');

    // The payload: the contract's members, the application in clear, every document whole.
    const sub = upArrivals[0].sub;
    assert.equal(sub.submission_id, sid);
    assert.equal(sub.application_id, id);
    assert.equal(sub.filing_type, 'first_filing');
    assert.equal(sub.province, '11');
    assert.equal(sub.beian_sn, null);
    assert.equal(sub.organizer.person_in_charge.id_number, '110105199003071239', 'in clear');
    assert.equal(sub.organizer.person_in_charge.mobile, '13800138000');
    assert.equal(sub.websites.length, 1);
    assert.equal(sub.websites[0].instance_id, who.instance);
    assert.deepEqual(sub.sms_persons, ['organizer']);
    const docs = (await who.client.get(`/applications/${id}/documents`)).data.items;
    assert.equal(sub.documents.length, docs.length);
    assert.ok(sub.documents.some((d) => d.kind === 'verified_photo'), 'the verified photo travels');
    for (const d of sub.documents) {
      assert.deepEqual(Object.keys(d).sort(), ['content_base64', 'content_type', 'filename', 'id', 'kind',
        'sha256', 'size', 'subject']);
      const bytes = Buffer.from(d.content_base64, 'base64');
      assert.equal(bytes.length, d.size);
      assert.equal(sha256(bytes), d.sha256, `${d.kind} ${d.subject}`);
    }
    assert.equal(sink.unsigned, 0, 'every call was signed with the provider key');
  });

  test('SIGKILL while the authority holds the POST: sent again after the lease, forwarded once', async () => {
    // The authority takes the submission and never answers: the answer dies with the agent.
    sink.mode = 'hang';
    const slow = await photoAccepted('ho-kill');
    const sid = `${slow.id}.1`;
    const deadline = Date.now() + 20_000;
    while (sink.count(sid) === 0) {
      assert.ok(Date.now() < deadline, `no hand-over arrived\n${agent.output()}`);
      await sleep(20);
    }
    const killed = await agent.stop('SIGKILL');
    assert.equal(killed.sig, 'SIGKILL');
    sink.mode = 'up';
    agent = await startAgent(db, port, sink.url);
    const { who } = slow;  // sessions live in the database: still signed in
    const done = await waitFor(who.client, slow.id, (a) => a.state === 'authority_review',
      'forwarded after the restart');
    assert.equal(done.authority.authority_submission_id, sink.created.get(sid));
    await sleep(1000);
    const events = (await who.client.get(`/applications/${slow.id}/events`)).data.items;
    assert.equal(events.filter((e) => e.event === 'forward').length, 1, 'forwarded once');
    assert.ok(sink.count(sid) >= 2, 'the submission was sent again after the kill');
    assert.equal([...sink.created.keys()].filter((k) => k === sid).length, 1, 'one submission');
    first.slow = slow;
  });

  test('409 submission_conflict: returned with the field flagged', async () => {
    // The earlier hand-overs are settled: the conflict is this one's.
    sink.mode = 'conflict';
    const c = await photoAccepted('ho-conflict');
    const sid = `${c.id}.1`;
    const returned = await waitFor(c.who.client, c.id, (a) => a.state === 'returned', 'refused');
    assert.equal(returned.authority.state, 'refused');
    assert.deepEqual(returned.flagged_fields.map((f) => [f.field, f.code]),
      [['organizer.certificate.number', 'submission_conflict']]);
    const events = (await c.who.client.get(`/applications/${c.id}/events`)).data.items;
    assert.equal(events.at(-1).event, 'handover_refused');
    assert.equal(events.at(-1).to, 'returned');
    assert.equal(sink.count(sid), 1, 'a refusal is not retried');
    sink.mode = 'up';
  });

  test('events: signature checks, under_review, approved (SNs, service code, e-mail), repeats, 409', async () => {
    sink.mode = 'up';
    const { who, id } = first;
    const app = (await who.client.get(`/applications/${id}`)).data;

    // Signature refusals.
    const ev = eventOf('under_review', app);
    assertError(await postEvent(ev, { headers: { 'X-Beian-Signature': '0'.repeat(64) } }), 401,
      'bad_signature');
    assertError(await postEvent(ev, { sig: { key: crypto.randomBytes(32).toString('hex') } }), 401,
      'bad_signature');
    assertError(await postEvent(ev, { sig: { provider: 'other-provider' } }), 401, 'unknown_provider');
    assertError(await postEvent(ev, { sig: { ts: Math.floor(Date.now() / 1000) - 3600 } }), 401,
      'timestamp_skew');
    const ok = await postEvent(ev);
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.data, { event_id: ev.event_id, applied: true });
    // The same request again: its nonce was seen.
    const replay = await fetch(`${agent.agentUrl}/api/v1/authority/events`, { method: 'POST',
      headers: ok.h, body: ok.body });
    assert.equal(replay.status, 401);
    assert.equal((await replay.json()).error.code, 'replayed');
    const reviewing = (await who.client.get(`/applications/${id}`)).data;
    assert.equal(reviewing.state, 'authority_review');
    assert.equal(reviewing.authority.state, 'under_review');

    // Malformed events.
    assertError(await postEvent({ ...ev, event_id: '', type: 'under_review' }), 400, 'validation_failed');
    assertError(await postEvent({ ...eventOf('approved', app) }), 400, 'validation_failed',
      'approved without approval');

    // Approved: SNs stored, one service code used, the applicant told.
    const before = (await who.client.get('/inventory/instances')).data.items
      .find((i) => i.id === who.instance);
    const domain = app.websites[0].domains[0];
    const approved = eventOf('approved', app, { approval: { subject_sn: '京ICP备2026000123号', new_subject: true,
      websites: [{ name: app.websites[0].name, domains: [domain], website_sn: '京ICP备2026000123号-1' }] } });
    const r = await postEvent(approved);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.data, { event_id: approved.event_id, applied: true });
    const done = (await who.client.get(`/applications/${id}`)).data;
    assert.equal(done.state, 'approved');
    assert.equal(done.authority.state, 'approved');
    assert.equal(done.beian.subject_sn, '京ICP备2026000123号');
    assert.equal(done.beian.website_sns[app.websites[0].name], '京ICP备2026000123号-1');
    assert.equal(done.beian.website_sns[domain], '京ICP备2026000123号-1');
    const afterCodes = (await who.client.get('/inventory/instances')).data.items
      .find((i) => i.id === who.instance);
    assert.equal(afterCodes.service_codes_used, before.service_codes_used + 1);
    const events = (await who.client.get(`/applications/${id}/events`)).data.items;
    assert.equal(events.at(-1).event, 'authority_approve');
    assert.equal(events.at(-1).to, 'approved');
    // The applicant's e-mail names the SNs (the development mailbox, demo mode).
    const admin = new Client(agent.agentUrl, '/api/v1');
    await admin.login(kDemo.admin, kDemoPassword);
    const deadline = Date.now() + 10_000;
    let mail;
    while (!mail) {
      const box = await admin.get('/admin/mailbox?limit=100');
      mail = box.data.items.find((m) => m.template === 'application_approved' && m.channel === 'email'
        && (m.text ?? '').includes('京ICP备2026000123号-1'));
      if (!mail) {
        assert.ok(Date.now() < deadline, `no approval e-mail: ${JSON.stringify(box.data.items.slice(0, 3))}`);
        await sleep(100);
      }
    }

    // The same event again: not applied twice.
    const again = await postEvent(approved);
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.data, { event_id: approved.event_id, applied: false });
    assert.equal((await who.client.get('/inventory/instances')).data.items
      .find((i) => i.id === who.instance).service_codes_used, before.service_codes_used + 1);
    // Another event for an application no longer in authority_review.
    assertError(await postEvent(eventOf('rejected', app, { reasons: [] })), 409, 'invalid_transition');
    // An unknown submission.
    assertError(await postEvent({ ...eventOf('rejected', app), submission_id: 'nope.1' }), 409,
      'invalid_transition');
  });

  test('events: rejected → returned with the authority\'s reasons flagged', async () => {
    const { who, id } = first.slow;
    const app = (await who.client.get(`/applications/${id}`)).data;
    assert.equal(app.state, 'authority_review');
    const ev = eventOf('rejected', app, { reasons: [
      { field: 'websites[0].name', code: 'name_unrelated', message: '名称与主体无关' }] });
    const r = await postEvent(ev);
    assert.equal(r.status, 200, r.text);
    const back = (await who.client.get(`/applications/${id}`)).data;
    assert.equal(back.state, 'returned');
    assert.equal(back.authority.state, 'rejected');
    assert.deepEqual(back.flagged_fields, [{ field: 'websites[0].name', code: 'name_unrelated',
      message: '名称与主体无关', changed: false }]);
    const events = (await who.client.get(`/applications/${id}/events`)).data.items;
    assert.equal(events.at(-1).event, 'authority_reject');
    assert.deepEqual(events.at(-1).reasons, ev.reasons);
  });
});

describe('hand-over to the local authority (both services)', () => {
  test('reaches authority_review; events signed with <data-dir>/provider.key are applied', async () => {
    const both = await startServer({ extraArgs: ['--handover-retry-seconds', '0.2'] });
    try {
      const { who, id } = await photoAccepted('ho-local', both);
      const app = await waitFor(who.client, id, (a) => a.state === 'authority_review',
        'handed over to the local authority', 20_000, both.output);
      assert.equal(app.authority.submission_id, `${id}.1`);
      assert.equal(app.authority.state, 'sms_verification');
      assert.ok(app.authority.authority_submission_id, 'the authority\'s id is kept');
      const events = (await who.client.get(`/applications/${id}/events`)).data.items;
      assert.equal(events.filter((e) => e.event === 'forward').length, 1);

      const key = fs.readFileSync(path.join(both.db.dataDir, 'provider.key'), 'utf8').trim();
      const sig = { provider: 'local', key };
      assertError(await postEvent(eventOf('under_review', app), { url: both.agentUrl }), 401,
        'unknown_provider', 'the fake authority\'s provider is not this agent\'s');
      const review = await postEvent(eventOf('under_review', app), { url: both.agentUrl, sig });
      assert.equal(review.status, 200, review.text);
      assert.equal(review.data.applied, true);
      const reviewing = (await who.client.get(`/applications/${id}`)).data;
      assert.equal(reviewing.authority.state, 'under_review');
      const approved = eventOf('approved', app, { approval: { subject_sn: '京ICP备2026009999号',
        new_subject: true, websites: [{ name: app.websites[0].name, domains: app.websites[0].domains,
          website_sn: '京ICP备2026009999号-1' }] } });
      const r = await postEvent(approved, { url: both.agentUrl, sig });
      assert.equal(r.status, 200, r.text);
      const done = (await who.client.get(`/applications/${id}`)).data;
      assert.equal(done.state, 'approved');
      assert.equal(done.beian.subject_sn, '京ICP备2026009999号');
    } finally {
      await both.stop();
    }
  });
});
