// Documents against the real binary (issue 7 item 3 and its bad-input cases): upload by
// multipart, the type judged by content, list, download as an attachment with nosniff, delete
// while editable, the precheck's `satisfied`, another applicant's document → 404, an executable
// renamed .jpg / a PDF where a photo is needed / a decompression-bomb PNG → 422, a body over the
// upload limit → 413 with nothing left on disk, file names never used as paths, and a server
// killed (SIGKILL) in the middle of an upload → no half-written document after the restart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  account,
  assertError,
  kDemo,
  kDemoPassword,
  makeDatabases,
  sleep,
  startServer,
} from './lib/server.mjs';

const kUploadLimit = 256 * 1024;
let server;
let db;

before(async () => {
  db = makeDatabases();
  server = await startServer({ db, extraArgs: ['--upload-limit', String(kUploadLimit)] });
});

after(async () => {
  await server?.stop();
  db?.drop();
});

const agent = () => new Client(server.agentUrl, '/api/v1');

// ---- real files, built here -------------------------------------------------------------------

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

// A grey PNG of w × h whose header may claim other sides (a decompression bomb).
function png(w, h, claimW = w, claimH = h) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(claimW, 0);
  ihdr.writeUInt32BE(claimH, 4);
  ihdr[8] = 8; // depth
  const raw = Buffer.alloc((w + 1) * h, 0x80);
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0;
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const kPdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
  '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const kElf = Buffer.concat([Buffer.from('7f454c4602010100', 'hex'), Buffer.alloc(8),
  Buffer.from('02003e0001000000', 'hex'), Buffer.alloc(240, 0x90)]);

// ---- helpers ----------------------------------------------------------------------------------

let serial = 0;
function application() {
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
        name: '张三', id_type: 'resident_id_card', id_number: '330106199001011234',
        mobile: '13900000001', email: 'zhang@example.com',
      },
    },
    websites: [{
      name: '示例网站', domains: [`docs${n}.com.cn`], homepage: `https://www.docs${n}.com.cn`,
      service_content: 'enterprise_portal', languages: ['zh-CN'], instance_id: 'i-demo-bj-001',
    }],
  };
}

async function applicant(tag) {
  const c = agent();
  await c.register(account(tag));
  return c;
}

async function draft(c) {
  const r = await c.post('/applications', application());
  assert.equal(r.status, 201, r.text);
  return r.data.id;
}

function form({ kind = 'id_front', subject = 'organizer.person_in_charge', name = 'id.png',
  file = png(400, 300), type = 'image/png' } = {}) {
  const fd = new FormData();
  if (kind !== null) fd.append('kind', kind);
  if (subject !== null) fd.append('subject', subject);
  if (file !== null) fd.append('file', new Blob([file], { type }), name);
  return fd;
}

const upload = (c, id, opts) => c.request('POST', `/applications/${id}/documents`, { body: form(opts) });

function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}
const blobFiles = () => filesUnder(path.join(db.dataDir, 'blobs'));

// ---- tests ------------------------------------------------------------------------------------

describe('upload, read, delete', () => {
  test('the owner uploads, lists, downloads as an attachment, deletes; precheck marks satisfied', async () => {
    const c = await applicant('doc-owner');
    const id = await draft(c);
    const file = png(400, 300);
    const r = await upload(c, id, { file, name: '身份证 正面.png', type: 'application/octet-stream' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.data.kind, 'id_front');
    assert.equal(r.data.subject, 'organizer.person_in_charge');
    assert.equal(r.data.content_type, 'image/png');
    assert.equal(r.data.size, file.length);
    assert.equal(r.data.file_name, '身份证 正面.png');
    assert.equal(r.data.width, 400);
    assert.match(r.data.sha256, /^[0-9a-f]{64}$/);
    assert.ok(blobFiles().some((f) => f.endsWith(r.data.sha256)), 'stored under its hash');

    const list = await c.get(`/applications/${id}/documents`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.data.items.map((d) => d.id), [r.data.id]);

    const res = await fetch(`${server.agentUrl}/api/v1/applications/${id}/documents/${r.data.id}`,
      { headers: { Cookie: c.cookieHeader() } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('content-disposition'), /^attachment; filename="id_front\.png"; filename\*=UTF-8''/);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), file);

    const satisfied = async () => {
      const p = await c.post(`/applications/${id}/precheck`, {});
      assert.equal(p.status, 200, p.text);
      return p.data.required_documents.find((d) => d.kind === 'id_front' &&
        d.subject === 'organizer.person_in_charge').satisfied;
    };
    assert.equal(await satisfied(), true);
    const del = await c.request('DELETE', `/applications/${id}/documents/${r.data.id}`);
    assert.equal(del.status, 204, del.text);
    assert.equal(await satisfied(), false);
    assertError(await c.get(`/applications/${id}/documents/${r.data.id}`), 404, 'not_found');
  });

  test('another applicant gets 404 for the application and its documents; a reviewer may read', async () => {
    const owner = await applicant('doc-a');
    const id = await draft(owner);
    const doc = (await upload(owner, id, { kind: 'organizer_certificate', subject: 'organizer', file: kPdf, name: 'licence.pdf' })).data;
    const other = await applicant('doc-b');
    assertError(await other.get(`/applications/${id}/documents/${doc.id}`), 404, 'not_found');
    assertError(await other.get(`/applications/${id}/documents`), 404, 'not_found');
    assertError(await upload(other, id), 404, 'not_found');
    assertError(await other.request('DELETE', `/applications/${id}/documents/${doc.id}`), 404, 'not_found');
    // A document id under another application of one's own is not found either.
    const otherDraft = await draft(other);
    assertError(await other.get(`/applications/${otherDraft}/documents/${doc.id}`), 404, 'not_found');

    const reviewer = agent();
    await reviewer.login(kDemo.reviewer, kDemoPassword);
    const seen = await reviewer.get(`/applications/${id}/documents/${doc.id}`);
    assert.equal(seen.status, 200);
    assert.equal(seen.headers.get('content-type'), 'application/pdf');
    assertError(await upload(reviewer, id), 403, 'forbidden');
  });

  test('documents change only while the application is editable', async () => {
    const c = await applicant('doc-state');
    const id = await draft(c);
    const doc = (await upload(c, id)).data;
    const w = await c.post(`/applications/${id}/withdraw`, {});
    assert.equal(w.status, 200, w.text);
    assertError(await upload(c, id), 409, 'invalid_transition');
    assertError(await c.request('DELETE', `/applications/${id}/documents/${doc.id}`), 409, 'invalid_transition');
    assert.equal((await c.get(`/applications/${id}/documents`)).data.items.length, 1);
  });
});

describe('bad uploads', () => {
  test('an executable named .jpg, a PDF as the photo, a bomb PNG, a tiny image → 422; nothing stored', async () => {
    const c = await applicant('doc-bad');
    const id = await draft(c);
    const before = blobFiles().length;
    assertError(await upload(c, id, { kind: 'verified_photo', subject: 'websites[0].person_in_charge', file: kElf, name: 'photo.jpg', type: 'image/jpeg' }), 422, 'unsupported_file_type');
    assertError(await upload(c, id, { kind: 'verified_photo', subject: 'websites[0].person_in_charge', file: kPdf, name: 'photo.pdf' }), 422, 'photo_must_be_image');
    const bomb = png(8, 8, 40000, 40000);
    assert.ok(bomb.length < 1000);
    assertError(await upload(c, id, { file: bomb, name: 'bomb.png' }), 422, 'image_too_large');
    assertError(await upload(c, id, { file: png(20, 20) }), 422, 'image_too_small');
    assertError(await upload(c, id, { file: Buffer.from('<html><script>alert(1)</script>'), name: 'x.png' }), 422, 'unsupported_file_type');
    assertError(await upload(c, id, { kind: 'selfie' }), 400, 'validation_failed');
    assertError(await upload(c, id, { file: null }), 400, 'validation_failed');
    assert.equal(blobFiles().length, before);
    assert.equal((await c.get(`/applications/${id}/documents`)).data.items.length, 0);
  });

  test('a body over the upload limit → 413, and nothing is left on disk', async () => {
    const c = await applicant('doc-big');
    const id = await draft(c);
    const before = blobFiles().length;
    const big = Buffer.concat([png(400, 300), Buffer.alloc(kUploadLimit + 128 * 1024, 1)]);
    const r = await upload(c, id, { file: big });
    assertError(r, 413, 'payload_too_large');
    assert.equal(blobFiles().length, before);
    assert.equal((await c.get(`/applications/${id}/documents`)).data.items.length, 0);
  });

  test('a file name with path separators or control characters is only a label', async () => {
    const c = await applicant('doc-name');
    const id = await draft(c);
    for (const name of ['../../../../tmp/evil.png', '..\\..\\evil.png', 'evil\r\n.png', '/etc/passwd']) {
      const r = await upload(c, id, { name });
      assert.equal(r.status, 201, `${name}: ${r.text}`);
      assert.doesNotMatch(r.data.file_name, /[/\\\r\n]/);
    }
    assert.ok(!fs.existsSync('/tmp/evil.png') || fs.statSync('/tmp/evil.png').mtimeMs < Date.now() - 60_000);
    for (const f of blobFiles()) assert.match(path.basename(f), /^([0-9a-f]{64}|[0-9a-f]+\.part)$/, f);
  });
});

describe('a server killed in the middle of an upload', () => {
  test('SIGKILL during an upload, restart → no document, no half-written file', async () => {
    const c = agent();
    await c.login(kDemo.applicant, kDemoPassword);
    const id = await draft(c);
    const before = blobFiles().filter((f) => !f.endsWith('.part')).length;
    const body = Buffer.concat([
      Buffer.from('--B\r\nContent-Disposition: form-data; name="kind"\r\n\r\nid_front\r\n' +
        '--B\r\nContent-Disposition: form-data; name="subject"\r\n\r\norganizer.person_in_charge\r\n' +
        '--B\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n'),
      png(400, 300), Buffer.from('\r\n--B--\r\n')]);
    const socket = net.connect(server.agentPort, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.on('error', () => {});
    socket.write(`POST /api/v1/applications/${id}/documents HTTP/1.1\r\nHost: 127.0.0.1:${server.agentPort}\r\n` +
      `Cookie: ${c.cookieHeader()}\r\nX-CSRF-Token: ${c.csrf}\r\n` +
      `Content-Type: multipart/form-data; boundary=B\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body.subarray(0, Math.floor(body.length / 2)));
    await sleep(200);
    await server.stop({ signal: 'SIGKILL', expectCode: null });
    socket.destroy();
    server = await startServer({ db, extraArgs: ['--upload-limit', String(kUploadLimit)] });
    const again = agent();
    await again.login(kDemo.applicant, kDemoPassword);
    const list = await again.get(`/applications/${id}/documents`);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.data.items, []);
    assert.equal(blobFiles().filter((f) => !f.endsWith('.part')).length, before);
  });
});
