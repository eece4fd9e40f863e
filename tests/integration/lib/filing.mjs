// The provider journey's building blocks for the review and verification tests: real files
// (PNG, PDF) built here, valid certificate numbers, an applicant with their own inventory (made
// through the admin API), a filing that passes the precheck, its required documents uploaded
// over multipart, and a submit. Each call uses fresh certificates and domains, so tests sharing a
// server never meet the one-open-application rule by accident.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { Client, account, kDemo, kDemoPassword, runBeian, uniqueEmail, uniqueMobile } from './server.mjs';

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

// A grey PNG of w × h (greyscale, 8 bits), `shade` varying its content (and so its hash).
export function png(w = 800, h = 600, shade = 0x80) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  const raw = Buffer.alloc((w + 1) * h, shade);
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0;
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

export const kPdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
  '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const kUscc = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const kUsccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const kOrgWeights = [3, 7, 9, 10, 5, 8, 4, 2];

// A valid enterprise USCC (GB 32100) around a random organization code (GB 11714).
export function uscc() {
  const org8 = String(crypto.randomInt(1e8)).padStart(8, '0');
  let s = 0;
  for (let i = 0; i < 8; i++) s += Number(org8[i]) * kOrgWeights[i];
  const c = 11 - (s % 11);
  const orgCheck = c === 10 ? 'X' : c === 11 ? '0' : String(c);
  const first17 = `91110108${org8}${orgCheck}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += kUscc.indexOf(first17[i]) * kUsccWeights[i];
  let check = 31 - (sum % 31);
  if (check === 31) check = 0;
  return first17 + kUscc[check];
}

let serial = 0;
function uniqueDomain() {
  serial += 1;
  return `rv${process.pid}x${serial}${crypto.randomBytes(3).toString('hex')}.cn`;
}

const kOrganizer = '北京示例科技有限公司';
const kInstance = (email) => `i-${crypto.createHash('sha1').update(email).digest('hex').slice(0, 10)}`;

// A new applicant (registered, signed in) owning one mainland instance; `domains(n)` more
// domains are added per filing by newFiling.
export async function newApplicant(server, tag) {
  const c = new Client(server.agentUrl, '/api/v1');
  const acct = account(tag, { password: 'zh-lantern-river-7' });
  await c.register(acct);
  const admin = new Client(server.agentUrl, '/api/v1');
  await admin.login(kDemo.admin, kDemoPassword);
  const r = await admin.post('/admin/inventory/instances', {
    owner_email: acct.email, id: kInstance(acct.email), product: 'ecs', region: 'cn-beijing',
    mainland: true, public_ip: '47.95.10.1', billing: 'subscription', expires_at: '2030-01-01',
    service_codes_total: 50 });
  assert.equal(r.status, 201, r.text);
  return { client: c, admin, email: acct.email, instance: kInstance(acct.email) };
}

// An application for `who` (a fresh certificate, a fresh domain in their inventory).
export async function newFiling(who) {
  const domain = uniqueDomain();
  const d = await who.admin.post('/admin/inventory/domains', {
    owner_email: who.email, name: domain, holder_name: kOrganizer, real_name_verified: true,
    registrar: 'test', expires_at: '2030-01-01' });
  assert.equal(d.status, 201, d.text);
  const app = {
    organizer: {
      type: 'enterprise', name: kOrganizer, certificate: { type: 'business_license', number: uscc() },
      province: '11', address: '北京市海淀区中关村大街1号',
      person_in_charge: { name: '张三', id_type: 'resident_id_card', id_number: '110105199003071239',
        mobile: '13800138000', email: 'zhang@example.com' },
    },
    websites: [{ name: '示例科技官网', domains: [domain], homepage: `https://www.${domain}`,
      service_content: 'enterprise_portal', languages: ['zh-CN'], pre_approvals: [],
      instance_id: who.instance }],
  };
  const r = await who.client.post('/applications', app);
  assert.equal(r.status, 201, r.text);
  return r.data;
}

export async function upload(c, id, kind, subject, file, name = 'file.png', type = 'image/png') {
  const fd = new FormData();
  fd.append('kind', kind);
  fd.append('subject', subject);
  fd.append('file', new Blob([file], { type }), name);
  return c.request('POST', `/applications/${id}/documents`, { body: fd });
}

// Uploads every document the precheck asks for (the verified photo excepted): a PDF where the
// kind takes one, else a PNG.
export async function uploadRequired(c, id) {
  const pre = await c.post(`/applications/${id}/precheck`, {});
  assert.equal(pre.status, 200, pre.text);
  const errors = pre.data.findings.filter((f) => f.severity === 'error');
  assert.deepEqual(errors, [], 'the filing passes the precheck');
  let shade = 1;
  for (const doc of pre.data.required_documents) {
    if (doc.kind === 'verified_photo' || doc.satisfied) continue;
    const pdf = ['authenticity_checklist', 'commitment_letter', 'domain_certificate'].includes(doc.kind);
    const r = pdf
      ? await upload(c, id, doc.kind, doc.subject, kPdf, `${doc.kind}.pdf`, 'application/pdf')
      : await upload(c, id, doc.kind, doc.subject, png(800, 600, (shade += 7) % 256), `${doc.kind}.png`);
    assert.equal(r.status, 201, `${doc.kind} ${doc.subject}: ${r.text}`);
  }
}

// A filing of `who` created, documented and submitted: the application JSON after submit.
export async function submittedFiling(who) {
  const a = await newFiling(who);
  await uploadRequired(who.client, a.id);
  const s = await who.client.post(`/applications/${a.id}/submit`, {});
  assert.equal(s.status, 200, s.text);
  assert.equal(s.data.state, 'preliminary_review');
  return s.data;
}

// The demo reviewer, signed in.
export async function demoReviewer(server) {
  const c = new Client(server.agentUrl, '/api/v1');
  await c.login(kDemo.reviewer, kDemoPassword);
  return c;
}

// Another reviewer (made with `beian admin create-user`), signed in.
export async function newReviewer(server, tag) {
  const email = uniqueEmail(tag);
  const password = 'zh-lantern-river-7';
  const r = await runBeian(['admin', 'create-user', ...server.db.args, '--email', email, '--role',
    'reviewer', '--password-stdin', '--display-name', `Reviewer ${tag}`, '--phone', uniqueMobile()],
  { input: `${password}\n` });
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const c = new Client(server.agentUrl, '/api/v1');
  await c.login(email, password);
  return c;
}
