// The authenticity check against the real binary (issue 7 item 6, the review contract): after
// the preliminary approval the applicant requests the backdrop (validated), the reviewer sees the
// shipping list and ships it, the applicant uploads the verified photo over multipart and hands
// it in, the reviewer rejects it with a photo reason (flagged `photo`), the applicant uploads a
// new one (replacing the first, `changed` true) and hands it in again, the reviewer accepts →
// photo_accepted and the "ready" queue. Every transition is driven over HTTP and checked in the
// timeline; invalid transitions → 409, another applicant → 404, bad input → 400 with fields.
// Last, a SIGKILL in the middle of a burst of uploads and decisions: after the restart every
// document row has its file and every state its event.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, assertError, makeDatabases, sleep, startServer } from './lib/server.mjs';
import { demoReviewer, newApplicant, png, submittedFiling, upload } from './lib/filing.mjs';

let server;
let db;

before(async () => {
  db = makeDatabases();
  server = await startServer({ db });
});

after(async () => {
  await server?.stop();
  db?.drop();
});

const kBackdrop = { recipient: '张三', mobile: '13912340001', address: '北京市海淀区中关村大街1号院2号楼' };

// A filing of a new applicant taken through the preliminary review to `verification`.
async function approvedFiling(tag) {
  const who = await newApplicant(server, tag);
  const a = await submittedFiling(who);
  const rv = await demoReviewer(server);
  assert.equal((await rv.post(`/review/applications/${a.id}/claim`, {})).status, 200);
  const ok = await rv.post(`/review/applications/${a.id}/decision`, { decision: 'approve' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.data.state, 'verification');
  return { who, rv, id: a.id };
}

describe('backdrop, photo, photo review', () => {
  test('the whole authenticity check over HTTP', async () => {
    const { who, rv, id } = await approvedFiling('vf-journey');
    const app = who.client;

    // Steps out of order are invalid transitions.
    assertError(await rv.post(`/review/backdrops/${id}/ship`, { carrier: '顺丰速运',
      tracking_number: 'SF1234567890' }), 409, 'invalid_transition');
    assertError(await app.post(`/applications/${id}/photo`, { document_id: 'x' }), 409,
      'invalid_transition');

    // The backdrop request is validated field by field.
    const bad = assertError(await app.post(`/applications/${id}/backdrop`, { recipient: '张',
      mobile: '12912340001', address: '北京' }), 400, 'validation_failed');
    assert.deepEqual(bad.details.map((d) => d.field).sort(), ['address', 'mobile', 'recipient']);
    assertError(await app.post(`/applications/${id}/backdrop`, { ...kBackdrop, colour: 1 }), 400,
      'unknown_field');
    const req = await app.post(`/applications/${id}/backdrop`, kBackdrop);
    assert.equal(req.status, 200, req.text);
    assert.equal(req.data.state, 'backdrop_requested');
    assert.equal(req.data.backdrop.recipient, '张三');
    assert.equal(req.data.backdrop.mobile, '13912340001', 'the owner sees the mobile in clear');
    assert.equal(req.data.backdrop.carrier, null);
    assert.match(req.data.backdrop.requested_at, /^\d{4}-/);
    // Lists mask it.
    const listed = (await app.get('/applications?limit=100')).data.items.find((x) => x.id === id);
    assert.equal(listed.backdrop.mobile, '139****0001');
    assertError(await app.post(`/applications/${id}/backdrop`, kBackdrop), 409, 'invalid_transition');

    // The shipping list (masked), then ship.
    const list = await rv.get('/review/backdrops?status=requested&limit=100');
    assert.equal(list.status, 200, list.text);
    const entry = list.data.items.find((x) => x.application_id === id);
    assert.ok(entry, 'listed for shipping');
    assert.equal(entry.mobile, '139****0001');
    assert.equal(entry.address, kBackdrop.address);
    assert.equal(entry.organizer_name, '北京示例科技有限公司');
    const badShip = assertError(await rv.post(`/review/backdrops/${id}/ship`, { carrier: 'S',
      tracking_number: 'SF 1' }), 400, 'validation_failed');
    assert.deepEqual(badShip.details.map((d) => d.field).sort(), ['carrier', 'tracking_number']);
    const ship = await rv.post(`/review/backdrops/${id}/ship`, { carrier: '顺丰速运',
      tracking_number: 'SF1234567890' });
    assert.equal(ship.status, 200, ship.text);
    assert.equal(ship.data.application_id, id);
    assert.equal(ship.data.carrier, '顺丰速运');
    assert.equal(ship.data.tracking_number, 'SF1234567890');
    assert.match(ship.data.shipped_at, /^\d{4}-/);
    assert.ok(!(await rv.get('/review/backdrops?limit=100')).data.items.some((x) => x.application_id === id));
    assert.ok((await rv.get('/review/backdrops?status=shipped&limit=100')).data.items
      .some((x) => x.application_id === id));
    assertError(await rv.post(`/review/backdrops/${id}/ship`, { carrier: '顺丰速运',
      tracking_number: 'SF1234567890' }), 409, 'invalid_transition');
    const g = await app.get(`/applications/${id}`);
    assert.equal(g.data.state, 'backdrop_shipped');
    assert.equal(g.data.backdrop.tracking_number, 'SF1234567890');

    // Other documents stay closed; the verified photo may be uploaded; a PDF is refused.
    assertError(await upload(app, id, 'id_back', 'organizer.person_in_charge', png(800, 600, 9)),
      409, 'invalid_transition');
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    assertError(await upload(app, id, 'verified_photo', 'organizer', pdf, 'p.pdf', 'application/pdf'),
      422, 'photo_must_be_image');
    const p1 = await upload(app, id, 'verified_photo', 'organizer', png(1200, 900, 40), 'photo1.png');
    assert.equal(p1.status, 201, p1.text);
    const otherDoc = (await app.get(`/applications/${id}/documents`)).data.items
      .find((x) => x.kind !== 'verified_photo');
    const wrong = assertError(await app.post(`/applications/${id}/photo`, { document_id: otherDoc.id }),
      400, 'validation_failed');
    assert.equal(wrong.details[0].field, 'document_id');
    const h1 = await app.post(`/applications/${id}/photo`, { document_id: p1.data.id });
    assert.equal(h1.status, 200, h1.text);
    assert.equal(h1.data.state, 'photo_uploaded');
    assertError(await upload(app, id, 'verified_photo', 'organizer', png(1200, 900, 41)), 409,
      'invalid_transition', 'no new photo while it is being reviewed');

    // The photo queue; reject with a photo reason (preliminary-only codes refused).
    const pq = await rv.get('/review/queue?stage=photo&limit=100');
    const item = pq.data.items.find((x) => x.id === id);
    assert.ok(item, 'in the photo queue');
    assert.equal(item.state, 'photo_uploaded');
    assert.equal(item.resubmission, false, 'the first photo');
    assert.match(item.sla_deadline, /^\d{4}-/);
    assertError(await rv.post(`/review/applications/${id}/photo-decision`, { decision: 'accept' }),
      409, 'claim_required');
    assert.equal((await rv.post(`/review/applications/${id}/claim`, {})).status, 200);
    assertError(await rv.post(`/review/applications/${id}/decision`, { decision: 'approve' }), 409,
      'invalid_transition');
    assertError(await rv.post(`/review/applications/${id}/photo-decision`, { decision: 'reject',
      reasons: [{ field: 'websites[0].name', code: 'name_unrelated' }] }), 422, 'unknown_reason');
    assertError(await rv.post(`/review/applications/${id}/photo-decision`, { decision: 'approve' }),
      400, 'validation_failed');
    const rej = await rv.post(`/review/applications/${id}/photo-decision`, { decision: 'reject',
      reasons: [{ field: 'photo', code: 'photo_nonconforming', message: 'no backdrop visible' }] });
    assert.equal(rej.status, 200, rej.text);
    assert.equal(rej.data.state, 'backdrop_shipped');
    const g2 = await app.get(`/applications/${id}`);
    assert.deepEqual(g2.data.flagged_fields, [{ field: 'photo', code: 'photo_nonconforming',
      message: 'no backdrop visible', changed: false }]);

    // A new photo replaces the first; handed in again; accepted.
    const p2 = await upload(app, id, 'verified_photo', 'organizer', png(1200, 900, 90), 'photo2.png');
    assert.equal(p2.status, 201, p2.text);
    const photos = (await app.get(`/applications/${id}/documents`)).data.items
      .filter((x) => x.kind === 'verified_photo');
    assert.deepEqual(photos.map((x) => x.id), [p2.data.id], 'the earlier photo is replaced');
    assert.equal((await app.get(`/applications/${id}`)).data.flagged_fields[0].changed, true);
    const h2 = await app.post(`/applications/${id}/photo`, { document_id: p2.data.id });
    assert.equal(h2.status, 200, h2.text);
    assert.equal(h2.data.state, 'photo_uploaded');
    const again = (await rv.get('/review/queue?stage=photo&limit=100')).data.items.find((x) => x.id === id);
    assert.equal(again.resubmission, true, 'a photo taken again after a rejection');
    const detail = await rv.get(`/review/applications/${id}`);
    assert.equal(detail.status, 200, detail.text);
    assert.equal(detail.data.application.backdrop.mobile, '139****0001');
    assert.ok(detail.data.changes_since_rejection.some((c) => c.field === 'documents.verified_photo:organizer'
      && c.before === 'photo1.png' && c.after === 'photo2.png'), JSON.stringify(detail.data.changes_since_rejection));
    assert.equal((await rv.post(`/review/applications/${id}/claim`, {})).status, 200);
    const acc = await rv.post(`/review/applications/${id}/photo-decision`, { decision: 'accept' });
    assert.equal(acc.status, 200, acc.text);
    assert.equal(acc.data.state, 'photo_accepted');
    assert.deepEqual(acc.data.flagged_fields, []);
    // Ready for the authority — unless the hand-over (handover.test.mjs) has already forwarded it.
    const ready = await rv.get('/review/queue?stage=ready&limit=100');
    const now = (await app.get(`/applications/${id}`)).data;
    assert.ok(ready.data.items.some((x) => x.id === id) || now.state === 'authority_review',
      'ready for the authority');
    assert.equal(now.authority.submission_id, `${id}.1`, 'the hand-over is enqueued');
    // The reviewer's reveal includes the backdrop mobile.
    const rev = await rv.post(`/review/applications/${id}/reveal`, {});
    assert.equal(rev.data.values['backdrop.mobile'], '13912340001');

    // The hand-over may add `forward` after accept_photo.
    const events = (await app.get(`/applications/${id}/events`)).data.items
      .filter((e) => e.event !== 'forward');
    assert.deepEqual(events.map((e) => e.event), ['create', 'submit', 'approve', 'request_backdrop',
      'ship_backdrop', 'upload_photo', 'reject_photo', 'upload_photo', 'accept_photo']);
    for (let i = 1; i < events.length; i++) assert.equal(events[i].from, events[i - 1].to);
    assert.deepEqual(events[6].reasons, [{ field: 'photo', code: 'photo_nonconforming',
      message: 'no backdrop visible' }]);
  });

  test('another applicant gets 404 on every verification route; withdraw still works', async () => {
    const { who, id } = await approvedFiling('vf-owner');
    const intruder = await newApplicant(server, 'vf-intruder');
    assertError(await intruder.client.post(`/applications/${id}/backdrop`, kBackdrop), 404, 'not_found');
    assertError(await intruder.client.post(`/applications/${id}/photo`, { document_id: 'x' }), 404,
      'not_found');
    assertError(await upload(intruder.client, id, 'verified_photo', 'organizer', png(1200, 900)), 404,
      'not_found');
    const w = await who.client.post(`/applications/${id}/withdraw`, {});
    assert.equal(w.status, 200, w.text);
    assert.equal(w.data.state, 'withdrawn');
  });
});

describe('SIGKILL during uploads and decisions', () => {
  test('after a restart every document row has its file and every state its event',
    { timeout: 180_000 }, async () => {
      // Filings ready for decisions and uploads.
      const filings = [];
      for (let i = 0; i < 3; i++) filings.push(await approvedFiling(`vf-kill-${i}`));
      const pending = [];
      for (let i = 0; i < 3; i++) {
        const who = await newApplicant(server, `vf-killq-${i}`);
        pending.push({ who, app: await submittedFiling(who) });
      }
      const rv = await demoReviewer(server);
      for (const f of filings) {
        assert.equal((await f.who.client.post(`/applications/${f.id}/backdrop`, kBackdrop)).status, 200);
      }
      // The burst: photo-sized uploads for the shipped ones, claims and decisions for the queue.
      // The burst: photo uploads for the shipped ones (until the server dies), claims and
      // decisions for the queue. The kill comes once some of it has been answered, so that it
      // lands in the middle of the work, not before it.
      let answered = 0;
      let killed = false;
      const burst = [];
      for (const f of filings) {
        burst.push(rv.post(`/review/backdrops/${f.id}/ship`, { carrier: 'EMS', tracking_number: `E${f.id.slice(0, 8)}` })
          .then(async () => {
            for (let k = 0; !killed && k < 40; k++) {
              await upload(f.who.client, f.id, 'verified_photo', 'organizer', png(1500, 1100, k * 13));
              answered += 1;
            }
          }).catch(() => {}));
      }
      for (const p of pending) {
        burst.push(rv.post(`/review/applications/${p.app.id}/claim`, {})
          .then(() => rv.post(`/review/applications/${p.app.id}/decision`, { decision: 'reject',
            reasons: [{ field: 'organizer.name', code: 'info_mismatch' }] }))
          .then(() => { answered += 1; }).catch(() => {}));
      }
      for (let waited = 0; answered < 4 && waited < 10_000; waited += 5) await sleep(5);
      killed = true;
      await server.stop({ signal: 'SIGKILL', expectCode: null });
      await Promise.allSettled(burst);

      server = await startServer({ db });
      // Every state has its event: the last event of each application ends in its state.
      const owners = [...filings.map((f) => ({ c: f.who.client, id: f.id })),
        ...pending.map((p) => ({ c: p.who.client, id: p.app.id }))];
      for (const o of owners) {
        const c = new Client(server.agentUrl, '/api/v1');
        c.cookies = o.c.cookies;
        c.csrf = o.c.csrf;
        const g = await c.get(`/applications/${o.id}`);
        assert.equal(g.status, 200, g.text);
        const ev = (await c.get(`/applications/${o.id}/events`)).data.items;
        assert.equal(ev.at(-1).to, g.data.state, `${o.id}: state ${g.data.state} without its event`);
        // Every document row has its file.
        const docs = (await c.get(`/applications/${o.id}/documents`)).data.items;
        for (const d of docs) {
          const r = await c.get(`/applications/${o.id}/documents/${d.id}`);
          assert.equal(r.status, 200, `document ${d.id} of ${o.id} has no file: ${r.text}`);
        }
        if (g.data.state === 'backdrop_shipped') {
          assert.ok(docs.filter((d) => d.kind === 'verified_photo').length <= 1);
        }
      }
    });
});
