// The whole journey in English, shorter than the Chinese one (no rejection), in headless
// Chromium against the real server (both services) with browser contexts side by side: the demo
// applicant submits a filing for the demo inventory; the demo reviewer approves it; backdrop,
// verified photo, accepted; the hand-over to the authority happens by itself; the person in
// charge enters the SMS code (read from the 8090 mailbox) on the public /verify page on a phone;
// the authority reviewer approves it in the 8090 console; the applicant sees the Beian SNs and
// receives the e-mail, and the authority's public query finds the domain.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  kScreenshotDir,
  launchBrowser,
  newPage,
  screenshot,
  startServers,
  switchLanguage,
} from './harness.mjs';
import {
  fillDemoFiling,
  kDemoFiling,
  makePng,
  submitFiling,
  uploadRequiredDocuments,
} from './filing.mjs';
import {
  approveOnScreen,
  claimFromQueue,
  kDemoApplicant,
  kDemoReviewer,
  logIn,
  makeResidentId,
  makeUscc,
  shipBackdrop,
} from './journey-steps.mjs';
import {
  approveSubmission,
  authorityLogIn,
  claimSubmission,
  findInAuthorityQuery,
  handOverAndVerify,
  waitForApplicationState,
  waitForMailboxMessage,
} from './authority-steps.mjs';

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

// A filing of the demo organizer for its third domain (示例科技.cn), numbers made up per run.
const kFiling = {
  ...kDemoFiling,
  certificateNumber: makeUscc(),
  person: { ...kDemoFiling.person, idNumber: makeResidentId() },
  website: {
    ...kDemoFiling.website,
    name: '示例科技资讯',
    domain: '示例科技.cn',
    homepage: 'https://www.示例科技.cn',
  },
};

// Logging in applies the account's saved language (the demo accounts' is zh-CN).
async function ensureEnglish(page) {
  if ((await page.evaluate(() => document.documentElement.lang)) !== 'en') {
    await switchLanguage(page, 'en');
  }
}

async function openDetail(page, id) {
  await page.goto(`${servers.agentUrl}/applications/${id}`);
  await page.getByTestId('application-detail').waitFor();
}

async function detailState(page, state) {
  await page.locator(`[data-testid="application-detail"][data-state="${state}"]`).waitFor();
}

describe('whole journey (en)', () => {
  it('files, is approved by the reviewer, verified by SMS and approved by the authority', async () => {
    await ready;
    const applicant = await newPage(browser, { locale: 'en-US' });
    const reviewer = await newPage(browser, { locale: 'en-US' });
    const authority = await newPage(browser, { locale: 'en-US' });
    const visitor = await newPage(browser, { locale: 'en-US', viewport: { width: 390, height: 844 } });
    const base = servers.agentUrl;

    // The demo accounts speak Chinese by default; the browser's English applies on the login
    // page, and logging in keeps the account's saved language: switch to English if needed.
    await logIn(applicant, base, 'en', kDemoApplicant);
    await ensureEnglish(applicant);
    await applicant.goto(`${base}/applications/new`);
    const id = await fillDemoFiling(applicant, 'en', kFiling);
    await uploadRequiredDocuments(applicant);
    await submitFiling(applicant);
    await detailState(applicant, 'preliminary_review');
    await screenshot(applicant, 'journey-en-01-submitted');

    await logIn(reviewer, base, 'en', kDemoReviewer);
    await ensureEnglish(reviewer);
    await claimFromQueue(reviewer, base, 'preliminary', id, 'journey-en-02-queue');
    await reviewer.getByTestId('decision-panel').getByText('Approve', { exact: true }).waitFor();
    await approveOnScreen(reviewer, 'journey-en-03-review');

    await openDetail(applicant, id);
    await detailState(applicant, 'verification');
    await applicant.getByTestId('backdrop-recipient').fill('Zhang San');
    await applicant.getByTestId('backdrop-mobile').fill('13800138000');
    await applicant.getByTestId('backdrop-address').fill('1 Zhongguancun Street, Haidian, Beijing');
    await applicant.getByTestId('backdrop-submit').click();
    await detailState(applicant, 'backdrop_requested');

    await shipBackdrop(
      reviewer,
      base,
      id,
      { carrier: 'SF Express', tracking: 'SF-0987654321' },
      'journey-en-04-ship',
    );

    await openDetail(applicant, id);
    await detailState(applicant, 'backdrop_shipped');
    await applicant.getByTestId('authenticity-panel').getByText('SF-0987654321').waitFor();
    await applicant
      .getByTestId('photo-step')
      .locator('input[type=file]')
      .setInputFiles({
        name: 'verified-photo.png',
        mimeType: 'image/png',
        buffer: makePng(900, 1200, [60, 160, 90]),
      });
    await applicant.getByTestId('photo-preview').waitFor();
    await applicant.getByTestId('photo-submit').click();
    await detailState(applicant, 'photo_uploaded');

    await claimFromQueue(reviewer, base, 'photo', id);
    await reviewer.getByTestId('photo-card').locator('img').waitFor();
    await approveOnScreen(reviewer, 'journey-en-05-photo');

    await openDetail(applicant, id);
    await applicant
      .locator('[data-testid="application-detail"]:is([data-state="photo_accepted"], [data-state="authority_review"])')
      .waitFor();
    const events = await applicant
      .locator('[data-testid="timeline-event"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-event')));
    assert.deepEqual(
      events.filter((e) => e !== 'create').slice(0, 6),
      ['submit', 'approve', 'request_backdrop', 'ship_backdrop', 'upload_photo', 'accept_photo'],
    );
    await screenshot(applicant, 'journey-en-06-ready');

    // The authority: handed over by itself, the code entered on a phone, approved in 8090.
    await authorityLogIn(authority, servers.authorityUrl, 'en');
    await ensureEnglish(authority);
    await handOverAndVerify(
      { applicant, authority, visitor, agentUrl: base, authorityUrl: servers.authorityUrl },
      {
        id,
        person: { mobile: kFiling.person.mobile, idNumber: kFiling.person.idNumber },
        wrongFirst: true,
        texts: { wrong: /^Wrong code\. 4 attempt\(s\) left\.$/ },
        shot: 'journey-en-07',
      },
    );
    await claimSubmission(authority, servers.authorityUrl, kFiling.website.domain, 'journey-en-08-queue');
    await authority.getByTestId('submission-page').getByTestId('sms-status').locator('[data-verified="true"]').first().waitFor();
    const { subjectSn, websiteSns } = await approveSubmission(authority, 'journey-en-09-approved');

    await waitForApplicationState(applicant, base, id, 'approved');
    await applicant.getByTestId('application-detail').getByText(websiteSns[0], { exact: false }).first().waitFor();
    await screenshot(applicant, 'journey-en-10-approved');
    await waitForMailboxMessage(
      applicant,
      base,
      (r) => r.channel === 'email' && /备案已通过|Filing approved/.test(r.text) && r.text.includes(kFiling.organizerName),
    );
    assert.ok(subjectSn);
    await findInAuthorityQuery(visitor, servers.authorityUrl, kFiling.website.domain, websiteSns[0], 'journey-en-11-query');

    assert.deepEqual(applicant.pageErrors, []);
    assert.deepEqual(reviewer.pageErrors, []);
    assert.deepEqual(authority.pageErrors, []);
    assert.deepEqual(visitor.pageErrors, []);
    for (const p of [applicant, reviewer, authority, visitor]) await p.context().close();
  });
});
