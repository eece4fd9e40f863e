// The provider's preliminary review against the real binary (issue 7 item 5, the review
// contract): the reason catalogue, the queue (filters, SLA, claim shown), claims (one reviewer at
// a time, database-enforced: 10 parallel claims, and claims through two server processes on one
// database → exactly one wins), the detail view,
// reject with reasons → flagged_fields for the applicant → fix → resubmit →
// changes_since_rejection → approve; reveal writes a hash-chained audit row that
// `beian audit verify` accepts (and rejects, naming the row, after a row is tampered with); the
// abuse cases: another applicant → 404, applicant on reviewer routes → 403, invalid transition →
// 409, decision without claim → 409 claim_required, unknown reason → 422, `other` without a note.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, assertError, kBackend, runBeian, sleep, startServer } from './lib/server.mjs';
import {
  demoReviewer,
  newApplicant,
  newFiling,
  newReviewer,
  png,
  submittedFiling,
  upload,
} from './lib/filing.mjs';

let server;

before(async () => {
  server = await startServer({ extraArgs: ['--claim-minutes', '5'] });
});

after(async () => {
  await server?.stop();
});

describe('reason catalogue and queue', () => {
  test('GET /review/reasons lists the catalogue with both languages and stages', async () => {
    const rv = await demoReviewer(server);
    const r = await rv.get('/review/reasons');
    assert.equal(r.status, 200, r.text);
    const codes = r.data.items.map((i) => i.code);
    for (const c of ['name_unrelated', 'info_mismatch', 'document_unclear', 'document_expired',
      'photo_nonconforming', 'domain_holder_mismatch', 'other']) {
      assert.ok(codes.includes(c), c);
    }
    const other = r.data.items.find((i) => i.code === 'other');
    assert.equal(other.note_required, true);
    assert.deepEqual(other.stages.sort(), ['photo', 'preliminary']);
    assert.ok(other.zh_CN && other.en);
    assert.deepEqual(r.data.items.find((i) => i.code === 'photo_nonconforming').stages, ['photo']);
  });

  test('the queue lists submitted filings oldest first with SLA, claim and filters', async () => {
    const who = await newApplicant(server, 'rv-queue');
    const a = await submittedFiling(who);
    const b = await submittedFiling(who);
    assert.match(a.submitted_at, /^\d{4}-\d\d-\d\dT/);
    const rv = await demoReviewer(server);
    const q = await rv.get('/review/queue?stage=preliminary&limit=100');
    assert.equal(q.status, 200, q.text);
    const ids = q.data.items.map((i) => i.id);
    assert.ok(ids.indexOf(a.id) >= 0 && ids.indexOf(a.id) < ids.indexOf(b.id), 'oldest first');
    const item = q.data.items.find((i) => i.id === a.id);
    assert.equal(item.state, 'preliminary_review');
    assert.equal(item.organizer_type, 'enterprise');
    assert.equal(item.province, '11');
    assert.equal(item.website_count, 1);
    assert.deepEqual(item.domains, a.websites[0].domains);
    assert.ok(!item.certificate_number.includes(a.organizer.certificate.number.slice(4, 14)),
      'certificate number masked');
    assert.equal(item.waiting_business_days, 0);
    assert.match(item.sla_deadline, /^\d{4}-/);
    assert.equal(item.overdue, false);
    assert.equal(item.resubmission, false);
    assert.equal(item.claim, null);
    assert.equal(item.submitted_at, a.submitted_at);
    // Filters.
    const other = await rv.get('/review/queue?province=44&limit=100');
    assert.ok(!other.data.items.some((i) => i.id === a.id));
    const same = await rv.get('/review/queue?province=11&organizer_type=enterprise&limit=100');
    assert.ok(same.data.items.some((i) => i.id === a.id));
    const overdue = await rv.get('/review/queue?overdue=true&limit=100');
    assert.ok(!overdue.data.items.some((i) => i.id === a.id));
    assertError(await rv.get('/review/queue?stage=nope'), 400, 'validation_failed');
    // Paging.
    const p1 = await rv.get('/review/queue?limit=1');
    assert.equal(p1.data.items.length, 1);
    assert.ok(p1.data.next_cursor);
    const p2 = await rv.get(`/review/queue?limit=1&cursor=${encodeURIComponent(p1.data.next_cursor)}`);
    assert.equal(p2.status, 200, p2.text);
    assert.notEqual(p2.data.items[0].id, p1.data.items[0].id);
  });
});

describe('claims', () => {
  test('claim, extend, release; another reviewer gets claimed_by_other naming the holder',
    async () => {
      const who = await newApplicant(server, 'rv-claim');
      const a = await submittedFiling(who);
      const rv = await demoReviewer(server);
      const rv2 = await newReviewer(server, 'rv-second');
      const c1 = await rv.post(`/review/applications/${a.id}/claim`, {});
      assert.equal(c1.status, 200, c1.text);
      assert.equal(c1.data.application_id, a.id);
      assert.match(c1.data.expires_at, /^\d{4}-/);
      const e = assertError(await rv2.post(`/review/applications/${a.id}/claim`, {}), 409,
        'claimed_by_other');
      assert.ok(e.details.some((d) => d.field === 'claim.expires_at' && d.message === c1.data.expires_at));
      assert.ok(e.details.some((d) => d.field === 'claim.reviewer_id' && d.message === c1.data.reviewer_id));
      await sleep(5);
      const again = await rv.post(`/review/applications/${a.id}/claim`, {});
      assert.equal(again.status, 200);
      assert.ok(again.data.expires_at >= c1.data.expires_at, 'the same reviewer extends');
      const q = await rv2.get('/review/queue?limit=100');
      const item = q.data.items.find((i) => i.id === a.id);
      assert.equal(item.claim.reviewer_id, c1.data.reviewer_id);
      assert.equal(item.claim.mine, false);
      assert.equal((await rv.get('/review/queue?limit=100')).data.items.find((i) => i.id === a.id)
        .claim.mine, true);
      const rel = await rv.request('DELETE', `/review/applications/${a.id}/claim`);
      assert.equal(rel.status, 204);
      const c2 = await rv2.post(`/review/applications/${a.id}/claim`, {});
      assert.equal(c2.status, 200, c2.text);
    });

  test('claims racing through two server processes on one database: exactly one wins',
    async () => {
      const second = await startServer({ db: server.db, demo: false });
      try {
        const who = await newApplicant(server, 'rv-race2');
        const a = await submittedFiling(who);
        const reviewers = [];
        for (let i = 0; i < 6; i++) {
          const c = await newReviewer(server, `rv-race2-${i}`);
          if (i % 2) {
            // The same session, sent to the other process.
            const other = new Client(second.agentUrl, '/api/v1');
            other.cookies = c.cookies;
            other.csrf = c.csrf;
            reviewers.push(other);
          } else {
            reviewers.push(c);
          }
        }
        const answers = await Promise.all(
          reviewers.map((c) => c.post(`/review/applications/${a.id}/claim`, {})));
        assert.equal(answers.filter((r) => r.status === 200).length, 1,
          answers.map((r) => `${r.status} ${r.data?.error?.code ?? ''}`).join(', '));
        for (const r of answers.filter((x) => x.status !== 200)) {
          assert.equal(r.data.error.code, 'claimed_by_other');
        }
      } finally {
        await second.stop();
      }
    });

  test('10 parallel claims by different reviewers: exactly one wins', async () => {
    const who = await newApplicant(server, 'rv-race');
    const a = await submittedFiling(who);
    const reviewers = [];
    for (let i = 0; i < 10; i++) reviewers.push(await newReviewer(server, `rv-race-${i}`));
    const answers = await Promise.all(
      reviewers.map((c) => c.post(`/review/applications/${a.id}/claim`, {})));
    const won = answers.filter((r) => r.status === 200);
    const lost = answers.filter((r) => r.status === 409);
    assert.equal(won.length, 1, answers.map((r) => r.status).join(','));
    assert.equal(lost.length, 9);
    for (const r of lost) assert.equal(r.data.error.code, 'claimed_by_other');
  });
});

describe('reject, fix, resubmit, approve', () => {
  test('the whole preliminary review over HTTP', async () => {
    const who = await newApplicant(server, 'rv-journey');
    const app = who.client;
    const a = await submittedFiling(who);
    const rv = await demoReviewer(server);

    // The detail view: masked application, documents, precheck, events, no rejection yet.
    const d0 = await rv.get(`/review/applications/${a.id}`);
    assert.equal(d0.status, 200, d0.text);
    assert.equal(d0.data.application.organizer.person_in_charge.id_number, '1101**********1239');
    assert.equal(d0.data.application.organizer.person_in_charge.mobile, '138****8000');
    assert.ok(d0.data.documents.length >= 3);
    assert.ok(Array.isArray(d0.data.precheck.findings));
    assert.deepEqual(d0.data.events.map((e) => e.event), ['create', 'submit']);
    assert.deepEqual(d0.data.changes_since_rejection, []);
    assert.equal(d0.data.last_rejection, null);
    assert.equal(d0.data.claim, null);

    // No claim → 409; claim; reasons checked.
    const reasons = [
      { field: 'websites[0].name', code: 'name_unrelated', message: '' },
      { field: 'documents.id_front:organizer.person_in_charge', code: 'document_unclear',
        message: 'blurred' },
    ];
    assertError(await rv.post(`/review/applications/${a.id}/decision`, { decision: 'reject', reasons }),
      409, 'claim_required');
    assert.equal((await rv.post(`/review/applications/${a.id}/claim`, {})).status, 200);
    const unknown = assertError(await rv.post(`/review/applications/${a.id}/decision`, {
      decision: 'reject', reasons: [{ field: 'organizer.name', code: 'looks_fishy' }] }), 422,
    'unknown_reason');
    assert.equal(unknown.details[0].field, 'reasons[0].code');
    assertError(await rv.post(`/review/applications/${a.id}/decision`, {
      decision: 'reject', reasons: [{ field: 'photo', code: 'photo_nonconforming' }] }), 422,
    'unknown_reason', 'a photo reason in the preliminary review');
    const note = assertError(await rv.post(`/review/applications/${a.id}/decision`, {
      decision: 'reject', reasons: [{ field: 'organizer.address', code: 'other' }] }), 400,
    'validation_failed');
    assert.equal(note.details[0].code, 'note_required');
    assertError(await rv.post(`/review/applications/${a.id}/decision`, { decision: 'reject',
      reasons: [] }), 400, 'validation_failed');
    const path = assertError(await rv.post(`/review/applications/${a.id}/decision`, {
      decision: 'reject', reasons: [{ field: 'websites[5].name', code: 'name_unrelated' }] }), 400,
    'validation_failed');
    assert.equal(path.details[0].code, 'unknown_field_path');
    assertError(await rv.post(`/review/applications/${a.id}/decision`, { decision: 'maybe' }), 400,
      'validation_failed');
    // The photo decision is not a transition of preliminary_review.
    assertError(await rv.post(`/review/applications/${a.id}/photo-decision`, { decision: 'accept' }),
      409, 'invalid_transition');

    // Reject.
    const rej = await rv.post(`/review/applications/${a.id}/decision`, { decision: 'reject', reasons });
    assert.equal(rej.status, 200, rej.text);
    assert.equal(rej.data.state, 'returned');
    assert.equal(rej.data.flagged_fields.length, 2);
    // The claim went with the decision.
    assertError(await rv.post(`/review/applications/${a.id}/decision`, { decision: 'approve' }), 409,
      'invalid_transition');

    // The applicant sees the flagged fields, unchanged yet.
    const g1 = await app.get(`/applications/${a.id}`);
    assert.equal(g1.data.state, 'returned');
    assert.deepEqual(g1.data.flagged_fields, [
      { field: 'websites[0].name', code: 'name_unrelated', message: '', changed: false },
      { field: 'documents.id_front:organizer.person_in_charge', code: 'document_unclear',
        message: 'blurred', changed: false },
    ]);
    const ev = await app.get(`/applications/${a.id}/events`);
    const last = ev.data.items.at(-1);
    assert.equal(last.event, 'reject');
    assert.equal(last.role, 'reviewer');
    assert.deepEqual(last.reasons, reasons);

    // Fix the name: changed; the document not yet.
    const p = await app.request('PATCH', `/applications/${a.id}`, {
      json: { websites: [{ ...g1.data.websites[0], name: '北京示例科技官方网站' }] },
      headers: { 'If-Match': String(g1.data.version) } });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual(p.data.flagged_fields.map((f) => f.changed), [true, false]);
    // Replace the unclear document.
    const docs = (await app.get(`/applications/${a.id}/documents`)).data.items;
    const old = docs.find((x) => x.kind === 'id_front' && x.subject === 'organizer.person_in_charge');
    assert.equal((await app.request('DELETE', `/applications/${a.id}/documents/${old.id}`)).status, 204);
    const up = await upload(app, a.id, 'id_front', 'organizer.person_in_charge', png(900, 600, 3),
      'sharp.png');
    assert.equal(up.status, 201, up.text);
    const g2 = await app.get(`/applications/${a.id}`);
    assert.deepEqual(g2.data.flagged_fields.map((f) => f.changed), [true, true]);

    // Resubmit: the reviewer sees what changed, masked, and the resubmission in the queue.
    const rs = await app.post(`/applications/${a.id}/submit`, {});
    assert.equal(rs.status, 200, rs.text);
    assert.equal(rs.data.state, 'preliminary_review');
    assert.equal(rs.data.submitted_at, a.submitted_at, 'submitted_at is the first submission');
    const q = await rv.get('/review/queue?limit=100');
    assert.equal(q.data.items.find((i) => i.id === a.id).resubmission, true);
    const d1 = await rv.get(`/review/applications/${a.id}`);
    assert.equal(d1.status, 200, d1.text);
    const fields = d1.data.changes_since_rejection.map((c) => c.field);
    assert.ok(fields.includes('websites[0].name'), JSON.stringify(d1.data.changes_since_rejection));
    assert.ok(fields.includes('documents.id_front:organizer.person_in_charge'));
    const nameChange = d1.data.changes_since_rejection.find((c) => c.field === 'websites[0].name');
    assert.deepEqual([nameChange.before, nameChange.after], ['示例科技官网', '北京示例科技官方网站']);
    assert.equal(d1.data.last_rejection.reasons.length, 2);
    assert.deepEqual(d1.data.application.flagged_fields.map((f) => f.changed), [true, true]);

    // Approve.
    assert.equal((await rv.post(`/review/applications/${a.id}/claim`, {})).status, 200);
    const ok = await rv.post(`/review/applications/${a.id}/decision`, { decision: 'approve' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.data.state, 'verification');
    assert.deepEqual(ok.data.flagged_fields, [], 'an approval clears the flags');
    const g3 = await app.get(`/applications/${a.id}`);
    assert.equal(g3.data.state, 'verification');
    assert.deepEqual(g3.data.flagged_fields, []);
    const events = (await app.get(`/applications/${a.id}/events`)).data.items.map((e) => e.event);
    assert.deepEqual(events, ['create', 'submit', 'reject', 'resubmit', 'approve']);
    // Approved filings leave the preliminary queue.
    assert.ok(!(await rv.get('/review/queue?limit=100')).data.items.some((i) => i.id === a.id));
  });
});

describe('abuse', () => {
  test('another applicant → 404; an applicant on reviewer routes → 403', async () => {
    const who = await newApplicant(server, 'rv-owner');
    const a = await submittedFiling(who);
    const intruder = await newApplicant(server, 'rv-intruder');
    for (const r of [
      await intruder.client.get(`/applications/${a.id}`),
      await intruder.client.post(`/applications/${a.id}/backdrop`, { recipient: '张三',
        mobile: '13800138000', address: '北京市海淀区中关村大街1号' }),
      await intruder.client.post(`/applications/${a.id}/photo`, { document_id: 'x' }),
    ]) {
      assertError(r, 404, 'not_found');
    }
    for (const [method, p] of [
      ['GET', '/review/reasons'], ['GET', '/review/queue'], ['GET', `/review/applications/${a.id}`],
      ['POST', `/review/applications/${a.id}/claim`], ['DELETE', `/review/applications/${a.id}/claim`],
      ['POST', `/review/applications/${a.id}/reveal`], ['POST', `/review/applications/${a.id}/decision`],
      ['POST', `/review/applications/${a.id}/photo-decision`], ['GET', '/review/backdrops'],
      ['POST', `/review/backdrops/${a.id}/ship`],
    ]) {
      assertError(await who.client.request(method, p, { json: method === 'POST' ? {} : undefined }),
        403, 'forbidden', `${method} ${p}`);
    }
    // A reviewer on the applicant's routes is refused too.
    const rv = await demoReviewer(server);
    assertError(await rv.post(`/applications/${a.id}/backdrop`, {}), 403, 'forbidden');
  });

  test('drafts are invisible to reviewers; a draft cannot be claimed; unknown ids → 404',
    async () => {
      const who = await newApplicant(server, 'rv-draft');
      const d = await newFiling(who);
      const rv = await demoReviewer(server);
      assertError(await rv.get(`/review/applications/${d.id}`), 404, 'not_found');
      assertError(await rv.post(`/review/applications/${d.id}/claim`, {}), 404, 'not_found');
      assertError(await rv.post('/review/applications/nope/claim', {}), 404, 'not_found');
      // Invalid transitions over HTTP.
      assertError(await who.client.post(`/applications/${d.id}/backdrop`, { recipient: '张三',
        mobile: '13800138000', address: '北京市海淀区中关村大街1号' }), 409, 'invalid_transition');
    });
});

describe('reveal and the audit log', () => {
  test('reveal answers the full numbers and writes a hash-chained audit row', async () => {
    const who = await newApplicant(server, 'rv-reveal');
    const a = await submittedFiling(who);
    const rv = await demoReviewer(server);
    const r = await rv.post(`/review/applications/${a.id}/reveal`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.values['organizer.person_in_charge.id_number'], '110105199003071239');
    assert.equal(r.data.values['organizer.person_in_charge.mobile'], '13800138000');
    assert.equal((await rv.post(`/review/applications/${a.id}/reveal`, {})).status, 200);
    const ok = await runBeian(['audit', 'verify', ...server.db.args]);
    assert.equal(ok.code, 0, `${ok.stdout}\n${ok.stderr}`);
    assert.match(ok.stdout, /rows? verified|chain intact/i);
  });

  test('beian audit verify names the first tampered row', async () => {
    const who = await newApplicant(server, 'rv-tamper');
    const a = await submittedFiling(who);
    const rv = await demoReviewer(server);
    for (let i = 0; i < 3; i++) {
      assert.equal((await rv.post(`/review/applications/${a.id}/reveal`, {})).status, 200);
    }
    // Tamper with the database directly, as someone with access to it would (the trigger that
    // refuses UPDATE dropped first).
    let sql;
    if (kBackend === 'sqlite') {
      const file = path.join(server.db.dataDir, 'agent.db');
      sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, q],
        { encoding: 'utf8' }).trim();
    } else {
      const url = server.db.args[server.db.args.indexOf('--database') + 1];
      sql = (q) => execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qtA', '-c', q],
        { encoding: 'utf8' }).trim();
    }
    const seq = Number(sql(`SELECT MIN(seq) FROM audit_log WHERE application_id = '${a.id}'`));
    assert.ok(seq >= 1);
    const drop = kBackend === 'sqlite' ? 'DROP TRIGGER audit_log_no_update'
      : 'DROP TRIGGER audit_log_no_change ON audit_log';
    sql(`${drop}; UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = ${seq};`);
    const bad = await runBeian(['audit', 'verify', ...server.db.args]);
    assert.equal(bad.code, 1, `${bad.stdout}\n${bad.stderr}`);
    assert.match(bad.stderr + bad.stdout, new RegExp(`row ${seq}\\b`));
  });
});
