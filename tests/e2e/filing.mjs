// Helpers for browser tests that drive the applicant's filing pages (web/src/pages/applications):
// files the server accepts (real PNG and PDF bytes: it judges the type by content and wants
// images of at least 500×300), antd Select picking, and the whole step form for the demo
// inventory (applicant@demo.beian.test owns it). How to drive the form by hand:
// - every input has data-testid = its field path: organizer.name, organizer.certificate.number,
//   organizer.person_in_charge.mobile, websites[0].name, websites[0].domain (a select of the
//   account's domains), websites[0].instance_id (a select of its instances), …; the labels
//   (主办者名称, 网站名称, …) repeat once per website, so prefer the test ids;
// - step buttons: step-next, step-prev, save-draft; the steps themselves are clickable;
//   save-state[data-state] is saved / dirty / saving / error; the first "next" creates the
//   draft and moves to /applications/<id>/edit;
// - findings under a field: notes-<path> (e.g. notes-organizer.address); the summary:
//   precheck-panel, precheck-counts[data-errors], filing-type[data-type];
// - documents: required-<kind>-<subject>[data-satisfied=true|false|later] rows, each with a
//   file input (upload-<kind>-<subject> is its button);
// - check step: check-ready, submit-application (its text is 重新提交 / Resubmit for a returned
//   filing), submit-error; the detail page: application-detail[data-state], timeline-event
//   [data-event], backdrop-recipient / backdrop-mobile / backdrop-address / backdrop-submit,
//   photo-step with its file input, photo-submit, photo-accepted.
import zlib from 'node:zlib';

const kCrcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = kCrcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

// An RGB PNG of width×height in one colour, with a stripe so that no two look alike.
export function makePng(width = 800, height = 600, rgb = [64, 128, 200]) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (width * 3 + 1);
    rows[o] = 0;
    for (let x = 0; x < width; x++) {
      const stripe = Math.floor(y / 40) % 2 === 0;
      rows[o + 1 + x * 3] = stripe ? rgb[0] : 255 - rgb[0];
      rows[o + 2 + x * 3] = rgb[1];
      rows[o + 3 + x * 3] = stripe ? rgb[2] : 255 - rgb[2];
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// A one-page PDF.
export function makePdf(text = 'Beian test document') {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
  ];
  const stream = `BT /F1 12 Tf 72 770 Td (${text}) Tj ET`;
  objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// Opens the antd Select with test id `testId` (its root element) and picks the option whose
// text is `option` (exact, or containing it when `partial`), then checks that the select shows
// it. On a loaded machine a click can reach the list while it is still animating open and be
// lost: the pick is tried again (at most three times).
export async function pickOption(page, testId, option, { partial = false } = {}) {
  const select = page.getByTestId(testId);
  const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
  for (let attempt = 1; ; attempt++) {
    await select.click();
    const target = partial ? open.filter({ hasText: option }) : open.and(page.locator(`[title="${option}"]`));
    await target.first().click();
    try {
      await page.waitForFunction(
        ([id, text]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.includes(text),
        [testId, option],
        { timeout: 3_000 },
      );
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

// Waits until the draft has no unsaved changes.
export async function waitSaved(page) {
  await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();
}

// The demo organizer: the holder of the demo domains (北京示例科技有限公司, Beijing).
export const kDemoFiling = {
  organizerName: '北京示例科技有限公司',
  certificateNumber: '91110108MA01ABCD5T',
  province: { zh: '北京', en: 'Beijing' },
  address: '北京市海淀区中关村大街1号',
  person: { name: '张三', idNumber: '110105199003071239', mobile: '13800138000', email: 'zhang@example.com' },
  website: {
    name: '北京示例科技官网',
    domain: 'beian-demo.cn',
    homepage: 'https://www.beian-demo.cn',
    content: { zh: '企业官网', en: 'Company website' },
    instance: 'i-demo-bj-001',
  },
};

// Fills the organizer step (a new filing's first step) and the websites step for the demo
// inventory; leaves the page on the documents step. Returns the application id.
export async function fillDemoFiling(page, lang = 'zh', filing = kDemoFiling) {
  await page.getByTestId('application-form').waitFor();
  await page.getByTestId('organizer.name').fill(filing.organizerName);
  await page.getByTestId('organizer.certificate.number').fill(filing.certificateNumber);
  await pickOption(page, 'organizer.province', filing.province[lang]);
  await page.getByTestId('organizer.address').fill(filing.address);
  await page.getByTestId('organizer.person_in_charge.name').fill(filing.person.name);
  await page.getByTestId('organizer.person_in_charge.id_number').fill(filing.person.idNumber);
  await page.getByTestId('organizer.person_in_charge.mobile').fill(filing.person.mobile);
  await page.getByTestId('organizer.person_in_charge.email').fill(filing.person.email);
  await page.getByTestId('step-next').click();
  // The first save creates the draft and moves to its own address.
  await page.waitForURL(/\/applications\/[^/]+\/edit$/);
  await page.getByTestId('websites[0].name').waitFor();
  const id = new URL(page.url()).pathname.split('/')[2];
  await page.getByTestId('websites[0].name').fill(filing.website.name);
  await pickOption(page, 'websites[0].domain', filing.website.domain);
  await page.getByTestId('websites[0].homepage').fill(filing.website.homepage);
  await pickOption(page, 'websites[0].service_content', filing.website.content[lang]);
  await pickOption(page, 'websites[0].instance_id', filing.website.instance, { partial: true });
  await waitSaved(page);
  await page.getByTestId('step-next').click();
  await page.getByTestId('step-documents').waitFor();
  return id;
}

// Uploads a file to every required document not yet satisfied (PNG images; a PDF for the
// kinds that take one when `pdf` is true) and waits for each tick.
export async function uploadRequiredDocuments(page, { pdfKinds = ['authenticity_checklist'] } = {}) {
  await page.getByTestId('required-documents').waitFor();
  // The rows come from the precheck of the saved draft.
  await page.locator('[data-testid^="required-"][data-satisfied]').first().waitFor();
  for (let round = 0; round < 20; round++) {
    const row = page.locator('[data-testid^="required-"][data-satisfied="false"]').first();
    if ((await row.count()) === 0) return;
    const testId = await row.getAttribute('data-testid');
    const kind = testId.slice('required-'.length).split('-')[0];
    const pdf = pdfKinds.includes(kind);
    await row.locator('input[type=file]').setInputFiles({
      name: pdf ? `${kind}.pdf` : `${kind}.png`,
      mimeType: pdf ? 'application/pdf' : 'image/png',
      buffer: pdf ? makePdf(kind) : makePng(800, 600, [40 + round * 9, 120, 200 - round * 7]),
    });
    await page.locator(`[data-testid="${testId}"][data-satisfied="true"]`).waitFor();
  }
  throw new Error('required documents still missing after 20 uploads');
}

// From the documents step: to the check step, submit, and wait for the detail page.
export async function submitFiling(page) {
  await page.getByTestId('step-next').click();
  await page.getByTestId('step-check').waitFor();
  await page.getByTestId('check-ready').waitFor();
  await page.getByTestId('submit-application').click();
  await page.getByTestId('application-detail').waitFor();
}

// A signed-in API session for the other side of a journey (the demo reviewer claiming,
// deciding and shipping while the page under test is the applicant's): cookie, CSRF token,
// JSON in and out. request() resolves to {status, data}.
export class ApiSession {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookies = new Map();
    this.csrf = null;
  }

  async request(method, path, json) {
    const headers = { Accept: 'application/json', Origin: this.baseUrl };
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.csrf && method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    for (const sc of res.headers.getSetCookie()) {
      const pair = sc.split(';')[0];
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const text = await res.text();
    const data = text ? JSON.parse(text) : null;
    if (data && typeof data.csrf_token === 'string') this.csrf = data.csrf_token;
    return { status: res.status, data };
  }

  async login(email, password) {
    const r = await this.request('POST', '/auth/login', { email, password });
    if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.data)}`);
    return this;
  }

  // Calls and fails with the answer unless the status is `expect`.
  async expect(expect, method, path, json) {
    const r = await this.request(method, path, json);
    if (r.status !== expect) {
      throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.data)} (wanted ${expect})`);
    }
    return r.data;
  }
}

// The demo reviewer's decision on an application in preliminary review: claim, then approve or
// reject with `reasons` ([{field, code, message}]).
export async function reviewerDecides(reviewer, id, decision, reasons = []) {
  await reviewer.expect(200, 'POST', `/review/applications/${id}/claim`);
  return reviewer.expect(200, 'POST', `/review/applications/${id}/decision`, { decision, reasons });
}
