// The applicant's filing pages in headless Chromium against the real server, in zh-CN: the
// demo applicant (applicant@demo.beian.test, who owns the demo inventory) creates a filing for
// the demo inventory in the step form, sees the precheck's findings beside a field while typing,
// uploads the required documents (progress, ticks, thumbnails), submits, and finds the filing
// in "my filings" and its timeline on the detail page. Then, with the demo reviewer working
// through the API: a rejection shows on its field until corrected, the filing is resubmitted,
// approved, the backdrop requested in the page, shipped, the verified photo uploaded, rejected
// (its reason shown), uploaded again and accepted ("ready for the authority" and the whole
// timeline). A phone-sized window reaches the list through the drawer.
//
// Driving the form from another test: see the notes at the top of filing.mjs (test ids are the
// field paths, e.g. organizer.name, websites[0].domain; fillDemoFiling, uploadRequiredDocuments
// and submitFiling do the whole journey up to the preliminary review).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  fillLogin,
  kDemoPassword,
  kScreenshotDir,
  launchBrowser,
  newPage,
  screenshot,
  startServers,
} from './harness.mjs';
import {
  ApiSession,
  fillDemoFiling,
  makePng,
  reviewerDecides,
  submitFiling,
  uploadRequiredDocuments,
  waitSaved,
} from './filing.mjs';

let servers;
let browser;

const ready = (async () => {
  servers = await startServers();
  browser = await launchBrowser();
  console.log(`# screenshots in ${kScreenshotDir}`);
})();
ready.catch(() => undefined);

before(async () => {
  try {
    await ready;
  } catch {
    // reported by each test
  }
});

after(async () => {
  await browser?.close();
  await servers?.stop();
});

const kApplicant = 'applicant@demo.beian.test';
const kReviewer = 'reviewer@demo.beian.test';
// The filing the first test submits; the second takes it through review and verification.
let filingId = null;

async function loginAsApplicant(page) {
  await page.goto(`${servers.agentUrl}/login`);
  await fillLogin(page, 'zh', kApplicant, kDemoPassword);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-page').waitFor();
}

describe('applicant filing (zh-CN)', () => {
  it('creates, fills in, documents and submits a filing for the demo inventory', async () => {
    await ready;
    const page = await newPage(browser, { locale: 'zh-CN' });
    await loginAsApplicant(page);
    await page.getByTestId('nav-applications').click();
    await page.getByTestId('applications-page').waitFor();
    await page.getByTestId('new-application').click();
    await page.getByTestId('application-form').waitFor();
    await screenshot(page, 'applicant-form-new');

    const id = await fillDemoFiling(page, 'zh');
    filingId = id;
    await screenshot(page, 'applicant-documents');

    // A finding beside its field while the user types: clear the address, the precheck
    // (after the debounced save) says it is required; type it back and the note goes.
    await page.getByText('主办者信息', { exact: true }).click();
    const address = page.getByTestId('organizer.address');
    const saved = await address.inputValue();
    await address.fill('');
    await page.getByTestId('notes-organizer.address').waitFor();
    assert.match(await page.getByTestId('notes-organizer.address').textContent(), /必填|地址/);
    await screenshot(page, 'applicant-finding');
    await address.fill(saved);
    await page.getByTestId('notes-organizer.address').waitFor({ state: 'detached' });
    await waitSaved(page);
    assert.equal(await page.getByTestId('filing-type').getAttribute('data-type'), 'first_filing');
    assert.match(await page.getByTestId('filing-explanation').textContent(), /首次备案/);

    await page.getByText('上传材料', { exact: true }).click();
    await page.getByTestId('step-documents').waitFor();
    await uploadRequiredDocuments(page);
    // Images show as thumbnails, PDFs as a file icon.
    assert.ok((await page.getByTestId('document-thumb').count()) > 0);
    await screenshot(page, 'applicant-documents-done');

    // A reload shows the saved draft as it was entered (the server writes empty members as "").
    await page.reload();
    await page.getByTestId('application-form').waitFor();
    assert.equal(await page.getByTestId('organizer.name').inputValue(), '北京示例科技有限公司');
    await page.getByText('网站信息', { exact: true }).click();
    assert.equal(await page.getByTestId('websites[0].name').inputValue(), '北京示例科技官网');
    assert.equal(await page.getByTestId('websites[0].same_person').isChecked(), true);
    await page.getByText('上传材料', { exact: true }).click();
    await page.locator('[data-testid^="required-"][data-satisfied="true"]').first().waitFor();
    assert.equal(await page.locator('[data-testid^="required-"][data-satisfied="false"]').count(), 0);

    await submitFiling(page);
    assert.equal(await page.getByTestId('application-detail').getAttribute('data-state'), 'preliminary_review');
    assert.equal(new URL(page.url()).pathname, `/applications/${id}`);
    await page.locator('[data-testid="timeline-event"][data-event="submit"]').waitFor();
    assert.match(await page.getByTestId('timeline').textContent(), /提交初审/);
    assert.notEqual((await page.getByTestId('sla-deadline').textContent()).trim(), '—');
    const organizer = await page.getByTestId('detail-organizer').textContent();
    for (const text of ['北京示例科技有限公司', '营业执照', '北京', '北京市海淀区中关村大街1号', '13800138000']) {
      assert.ok(organizer.includes(text), `${text} in ${organizer}`);
    }
    assert.match(await page.getByTestId('detail-website-0').textContent(), /beian-demo\.cn.*企业官网.*i-demo-bj-001/);
    await screenshot(page, 'applicant-submitted');

    // The list shows it in review.
    await page.getByTestId('nav-applications').click();
    const row = page.getByTestId(`application-row-${id}`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'preliminary_review');
    assert.match(await row.textContent(), /初审中/);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  it('shows a rejection on its field until corrected, resubmits, then backdrop and photo', async () => {
    await ready;
    assert.ok(filingId, 'the previous test submitted no filing');
    const id = filingId;
    const reviewer = await new ApiSession(servers.agentUrl).login(kReviewer, kDemoPassword);
    await reviewerDecides(reviewer, id, 'reject', [
      { field: 'websites[0].name', code: 'name_unrelated', message: '请使用与主办者相关的网站名称' },
    ]);

    const page = await newPage(browser, { locale: 'zh-CN' });
    await loginAsApplicant(page);
    await page.goto(`${servers.agentUrl}/applications/${id}`);
    await page.locator('[data-testid="application-detail"][data-state="returned"]').waitFor();
    assert.match(await page.getByTestId('returned-reasons').textContent(), /网站名称与主办单位无关联 — 请使用与主办者相关的网站名称/);
    await page.locator('[data-testid="timeline-event"][data-event="reject"]').waitFor();
    await screenshot(page, 'applicant-returned');

    // The form marks the flagged field until its value changes.
    await page.getByTestId('detail-edit').click();
    await page.getByTestId('returned-banner').waitFor();
    await page.getByText('网站信息', { exact: true }).click();
    await page.getByTestId('notes-websites[0].name').waitFor();
    assert.match(await page.getByTestId('notes-websites[0].name').textContent(), /退回原因/);
    await screenshot(page, 'applicant-flagged');
    await page.getByTestId('websites[0].name').fill('北京示例科技有限公司官网');
    await page.getByTestId('notes-websites[0].name').waitFor({ state: 'detached' });
    await waitSaved(page);
    await page.getByText('检查并提交', { exact: true }).click();
    await page.getByTestId('check-ready').waitFor();
    assert.equal((await page.getByTestId('submit-application').textContent()).replace(/\s/g, ''), '重新提交');
    await page.getByTestId('submit-application').click();
    await page.locator('[data-testid="application-detail"][data-state="preliminary_review"]').waitFor();

    // Approved: the applicant asks for the backdrop (filled in from the person in charge).
    await reviewerDecides(reviewer, id, 'approve');
    await page.reload();
    await page.getByTestId('backdrop-form').waitFor();
    assert.equal(await page.getByTestId('backdrop-recipient').inputValue(), '张三');
    await page.getByTestId('backdrop-submit').click();
    await page.locator('[data-testid="application-detail"][data-state="backdrop_requested"]').waitFor();
    await page.getByTestId('backdrop-waiting').waitFor();

    // Shipped: carrier and tracking number show; the verified photo goes up and is handed in.
    await reviewer.expect(200, 'POST', `/review/backdrops/${id}/ship`, {
      carrier: '顺丰速运',
      tracking_number: 'SF1234567890',
    });
    await page.reload();
    await page.getByTestId('photo-step').waitFor();
    assert.equal(await page.getByTestId('backdrop-carrier').textContent(), '顺丰速运');
    assert.equal(await page.getByTestId('backdrop-tracking').textContent(), 'SF1234567890');
    const uploadPhoto = async (shade) => {
      await page.getByTestId('photo-step').locator('input[type=file]').setInputFiles({
        name: 'photo.png',
        mimeType: 'image/png',
        buffer: makePng(1200, 900, [shade, 90, 60]),
      });
      await page.getByTestId('photo-preview').waitFor();
      await page.locator('[data-testid="photo-submit"]:not([disabled])').waitFor();
    };
    await uploadPhoto(200);
    await screenshot(page, 'applicant-photo');
    await page.getByTestId('photo-submit').click();
    await page.locator('[data-testid="application-detail"][data-state="photo_uploaded"]').waitFor();

    // A rejected photo: its reason shows and another one goes up.
    await reviewer.expect(200, 'POST', `/review/applications/${id}/claim`);
    await reviewer.expect(200, 'POST', `/review/applications/${id}/photo-decision`, {
      decision: 'reject',
      reasons: [{ field: 'photo', code: 'photo_nonconforming', message: '请站在幕布前拍摄' }],
    });
    await page.reload();
    await page.getByTestId('photo-rejected').waitFor();
    assert.match(await page.getByTestId('photo-rejected').textContent(), /请站在幕布前拍摄/);
    await uploadPhoto(120);
    await page.getByTestId('photo-submit').click();
    await page.locator('[data-testid="application-detail"][data-state="photo_uploaded"]').waitFor();

    await reviewer.expect(200, 'POST', `/review/applications/${id}/claim`);
    await reviewer.expect(200, 'POST', `/review/applications/${id}/photo-decision`, { decision: 'accept', reasons: [] });
    await page.reload();
    // Ready for the authority — or already handed over to it (the hand-over worker sends it at once
    // when the authority is up): then the panel says where it is at the authority.
    await page
      .locator('[data-testid="photo-accepted"], [data-testid="authority-status"]')
      .first()
      .waitFor();
    const events = (await page.getByTestId('timeline-event').evaluateAll((els) => els.map((e) => e.dataset.event)))
      .filter((e) => e !== 'forward');
    assert.deepEqual(events, [
      'create',
      'submit',
      'reject',
      'resubmit',
      'approve',
      'request_backdrop',
      'ship_backdrop',
      'upload_photo',
      'reject_photo',
      'upload_photo',
      'accept_photo',
    ]);
    await screenshot(page, 'applicant-ready');
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  it('reaches my filings through the drawer on a phone-sized window', async () => {
    await ready;
    const page = await newPage(browser, { locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    await loginAsApplicant(page);
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-applications').click();
    await page.getByTestId('applications-page').waitFor();
    await page.getByTestId('new-application').click();
    await page.getByTestId('application-form').waitFor();
    // The form is usable at this width: the first field is within the window.
    const box = await page.getByTestId('organizer.name').boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box));
    await screenshot(page, 'applicant-form-phone');
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
