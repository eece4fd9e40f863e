// The whole provider journey in Chinese, in headless Chromium against the real server, with two
// browser contexts side by side (issue 7 "Done when"): the demo applicant fills in and submits a
// filing for the demo inventory; the demo reviewer rejects it once with a reason on the website
// name; the applicant sees the flagged field, corrects it and resubmits; the reviewer sees the
// change and approves; the applicant requests the backdrop; the reviewer ships it; the applicant
// uploads the verified photo; the reviewer accepts it; the applicant sees "ready for the
// authority" and the timeline of every step.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kScreenshotDir, launchBrowser, newPage, screenshot, startServers } from './harness.mjs';
import {
  fillDemoFiling,
  kDemoFiling,
  makePng,
  submitFiling,
  uploadRequiredDocuments,
  waitSaved,
} from './filing.mjs';
import {
  approveOnScreen,
  claimFromQueue,
  kDemoApplicant,
  kDemoReviewer,
  logIn,
  makeResidentId,
  makeUscc,
  rejectOnScreen,
  shipBackdrop,
} from './journey-steps.mjs';

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
    // reported by the test
  }
});

after(async () => {
  await browser?.close();
  await servers?.stop();
});

// A filing of the demo organizer for beian-demo.com, its numbers made up for this run, and a
// first website name that has nothing to do with the organizer (the reviewer rejects it).
const kFiling = {
  ...kDemoFiling,
  certificateNumber: makeUscc(),
  person: { ...kDemoFiling.person, idNumber: makeResidentId() },
  website: {
    ...kDemoFiling.website,
    name: '随便看看',
    domain: 'beian-demo.com',
    homepage: 'https://www.beian-demo.com',
  },
};
const kCorrectName = '北京示例科技官网';

async function openDetail(page, id) {
  await page.goto(`${servers.agentUrl}/applications/${id}`);
  await page.getByTestId('application-detail').waitFor();
}

async function detailState(page, state) {
  await page.locator(`[data-testid="application-detail"][data-state="${state}"]`).waitFor();
}

describe('provider journey (zh-CN)', () => {
  it('files, is rejected once, corrects, is approved, gets the backdrop and the photo accepted', async () => {
    await ready;
    const applicant = await newPage(browser, { locale: 'zh-CN' });
    const reviewer = await newPage(browser, { locale: 'zh-CN' });
    const base = servers.agentUrl;

    // 1. The applicant fills in and submits the filing.
    await logIn(applicant, base, 'zh', kDemoApplicant);
    await applicant.goto(`${base}/applications/new`);
    const id = await fillDemoFiling(applicant, 'zh', kFiling);
    await uploadRequiredDocuments(applicant);
    await submitFiling(applicant);
    await detailState(applicant, 'preliminary_review');
    await screenshot(applicant, 'journey-zh-01-submitted');

    // 2. The reviewer finds it in the queue, sees every field with its documents, and rejects
    //    the website name as unrelated to the organizer.
    await logIn(reviewer, base, 'zh', kDemoReviewer);
    await claimFromQueue(reviewer, base, 'preliminary', id, 'journey-zh-02-queue');
    const screen = reviewer.getByTestId('review-page');
    assert.equal(
      await screen.getByTestId('review-title').textContent(),
      kFiling.organizerName,
    );
    await screen
      .getByTestId('field-websites[0].name')
      .getByTestId('field-value')
      .getByText('随便看看')
      .waitFor();
    // Documents sit beside the fields they prove; images are shown.
    await screen
      .getByTestId('group-organizer')
      .getByTestId('document-organizer_certificate')
      .locator('img')
      .waitFor();
    // Identity numbers are masked until the reviewer asks to see them.
    const idField = screen.getByTestId('field-organizer.person_in_charge.id_number');
    assert.match(await idField.getByTestId('field-value').textContent(), /\*{4,}/);
    await screen.getByTestId('reveal-organizer.person_in_charge.id_number').click();
    await idField.getByText(kFiling.person.idNumber).waitFor();
    await rejectOnScreen(
      reviewer,
      {
        fieldLabel: '网站 1 · 名称',
        reasonLabel: '网站名称与主办单位无关联',
        note: '请使用与主办单位相关的网站名称',
      },
      'journey-zh-03-reject',
    );

    // 3. The applicant sees the filing returned with the flagged field, corrects and resubmits.
    await openDetail(applicant, id);
    await detailState(applicant, 'returned');
    const reasons = applicant.getByTestId('returned-reasons');
    await reasons.getByText(/请使用与主办单位相关的网站名称/).waitFor();
    await screenshot(applicant, 'journey-zh-04-returned');
    await applicant.getByTestId('detail-edit').click();
    await applicant.getByTestId('application-form').waitFor();
    await applicant.getByTestId('returned-banner').waitFor();
    // The organizer step comes first; the flagged field is on the websites step.
    await applicant.getByTestId('step-next').click();
    const nameNotes = applicant.getByTestId('notes-websites[0].name');
    await nameNotes.waitFor();
    await screenshot(applicant, 'journey-zh-05-flagged');
    await applicant.getByTestId('websites[0].name').fill(kCorrectName);
    await waitSaved(applicant);
    await nameNotes.waitFor({ state: 'detached' });
    await applicant.getByTestId('step-next').click();
    await applicant.getByTestId('step-documents').waitFor();
    await submitFiling(applicant);
    await detailState(applicant, 'preliminary_review');

    // 4. The reviewer sees it marked as resubmitted, the change and the old reason; approves.
    await reviewer.goto(`${base}/review?stage=preliminary`);
    await reviewer.getByTestId('resubmission-tag').first().waitFor();
    await claimFromQueue(reviewer, base, 'preliminary', id);
    const change = reviewer.getByTestId('change-websites[0].name');
    await change.waitFor();
    assert.equal(await change.locator('del').textContent(), '随便看看');
    assert.equal(await change.locator('ins').textContent(), kCorrectName);
    await reviewer.getByTestId('last-rejection').getByText(/网站名称与主办单位无关联/).waitFor();
    await approveOnScreen(reviewer, 'journey-zh-06-changes');

    // 5. The applicant requests the backdrop.
    await openDetail(applicant, id);
    await detailState(applicant, 'verification');
    await applicant.getByTestId('backdrop-recipient').fill('张三');
    await applicant.getByTestId('backdrop-mobile').fill('13800138000');
    await applicant.getByTestId('backdrop-address').fill('北京市海淀区中关村大街1号 示例科技 前台');
    await screenshot(applicant, 'journey-zh-07-backdrop-request');
    await applicant.getByTestId('backdrop-submit').click();
    await detailState(applicant, 'backdrop_requested');
    await applicant.getByTestId('backdrop-waiting').waitFor();

    // 6. The reviewer ships it.
    await shipBackdrop(
      reviewer,
      base,
      id,
      { carrier: '顺丰速运', tracking: 'SF1234567890', mobile: '13800138000' },
      'journey-zh-08-ship',
    );

    // 7. The applicant sees the tracking number and uploads the verified photo.
    await openDetail(applicant, id);
    await detailState(applicant, 'backdrop_shipped');
    await applicant.getByTestId('authenticity-panel').getByText('SF1234567890').waitFor();
    await applicant
      .getByTestId('photo-step')
      .locator('input[type=file]')
      .setInputFiles({
        name: 'verified-photo.png',
        mimeType: 'image/png',
        buffer: makePng(900, 1200, [200, 90, 60]),
      });
    await applicant.getByTestId('photo-preview').waitFor();
    await applicant.getByTestId('photo-submit').click();
    await detailState(applicant, 'photo_uploaded');
    await applicant.getByTestId('photo-waiting').waitFor();

    // 8. The reviewer checks the photo, shown large, and accepts it.
    await claimFromQueue(reviewer, base, 'photo', id);
    await reviewer.getByTestId('photo-card').locator('img').waitFor();
    await approveOnScreen(reviewer, 'journey-zh-09-photo');

    // 9. The applicant sees the filing accepted and the whole timeline; the hand-over to the
    //    authority follows by itself (issue 10), so it may already be with the authority.
    await openDetail(applicant, id);
    await applicant
      .locator('[data-testid="application-detail"]:is([data-state="photo_accepted"], [data-state="authority_review"])')
      .waitFor();
    const events = await applicant
      .locator('[data-testid="timeline-event"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-event')));
    for (const e of [
      'submit',
      'reject',
      'resubmit',
      'approve',
      'request_backdrop',
      'ship_backdrop',
      'upload_photo',
      'accept_photo',
    ]) {
      assert.ok(events.includes(e), `timeline has ${e}: ${JSON.stringify(events)}`);
    }
    await screenshot(applicant, 'journey-zh-10-ready');

    assert.deepEqual(applicant.pageErrors, []);
    assert.deepEqual(reviewer.pageErrors, []);
    await applicant.context().close();
    await reviewer.context().close();
  });
});
