// The whole journey in Chinese, in headless Chromium against the real server (both services),
// with browser contexts side by side (issue 7 and issue 10 "Done when"): the demo applicant fills
// in and submits a filing for the demo inventory; the demo reviewer rejects it once with a reason
// on the website name; the applicant sees the flagged field, corrects it and resubmits; the
// reviewer sees the change and approves; backdrop, verified photo, accepted. Then the authority:
// the hand-over happens by itself; the SMS code is read from the 8090 mailbox and entered on the
// public /verify page (a wrong one first); the authority reviewer rejects the address; the
// applicant sees it returned with the address flagged, corrects it and resubmits; preliminary
// review, backdrop and photo again; handed over again, verified, approved: the applicant sees
// the Beian SNs and receives the e-mail; the domain is found at 8080 /filed and 8090 /query; a
// second filing by the same organizer is judged new_website and asks for the SN and the ICP
// password (read from the 8090 mailbox), which it accepts.
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
  backdropAndPhoto,
  claimFromQueue,
  kDemoApplicant,
  kDemoReviewer,
  logIn,
  makeResidentId,
  makeUscc,
  rejectOnScreen,
  shipBackdrop,
} from './journey-steps.mjs';
import {
  approveSubmission,
  authorityLogIn,
  claimSubmission,
  findInAgentFiled,
  findInAuthorityQuery,
  handOverAndVerify,
  mailboxText,
  readIcpPassword,
  rejectSubmission,
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
const kCorrectAddress = '北京市海淀区中关村大街1号 示例大厦 8 层 801 室';
// The authority's catalogue reason the reviewer picks (data/authority/reasons.tsv).
const kAuthorityReason = '填写信息与证件或登记信息不一致';

async function openDetail(page, id) {
  await page.goto(`${servers.agentUrl}/applications/${id}`);
  await page.getByTestId('application-detail').waitFor();
}

async function detailState(page, state) {
  await page.locator(`[data-testid="application-detail"][data-state="${state}"]`).waitFor();
}

describe('whole journey (zh-CN)', () => {
  it('files, is returned by the reviewer and by the authority, corrects, is approved with its Beian SN, then files a new website', async () => {
    await ready;
    const applicant = await newPage(browser, { locale: 'zh-CN' });
    const reviewer = await newPage(browser, { locale: 'zh-CN' });
    // The authority reviewer on 8090, and a person in charge on a phone (no sign-in).
    const authority = await newPage(browser, { locale: 'zh-CN' });
    const visitor = await newPage(browser, { locale: 'zh-CN', viewport: { width: 390, height: 844 } });
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
    //    authority follows by itself.
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

    // 10. Handed over; the person in charge reads the code (the 8090 mailbox stands in for the
    //     phone) and enters it on the public verification page, once wrong.
    await authorityLogIn(authority, servers.authorityUrl, 'zh');
    const seen = new Set();
    const sides = { applicant, authority, visitor, agentUrl: base, authorityUrl: servers.authorityUrl };
    const person = { mobile: kFiling.person.mobile, idNumber: kFiling.person.idNumber };
    await handOverAndVerify(sides, {
      id,
      person,
      seen,
      wrongFirst: true,
      texts: { wrong: /验证码不正确，还可以再试 4 次/ },
      shot: 'journey-zh-11',
    });

    // 11. The authority reviewer finds it under review, sees the fields, documents and SMS
    //     status, and rejects the address.
    await claimSubmission(authority, servers.authorityUrl, kFiling.website.domain, 'journey-zh-12-queue');
    const submission = authority.getByTestId('submission-page');
    assert.equal(await submission.getByTestId('submission-title').textContent(), kFiling.organizerName);
    await submission.getByTestId('group-organizer').getByTestId('document-image').first().waitFor();
    assert.match(
      await submission.getByTestId('field-organizer.person_in_charge.id_number').textContent(),
      /\*{4}/,
    );
    await submission.getByTestId('sms-status').locator('[data-verified="true"]').first().waitFor();
    await rejectSubmission(
      authority,
      { fieldLabel: '主办者 · 通信地址', reasonLabel: kAuthorityReason, note: '通信地址须写到门牌号' },
      'journey-zh-13-authority-reject',
    );

    // 12. The applicant sees it returned by the authority with the address flagged, corrects
    //     it and resubmits; it goes through the preliminary review, backdrop and photo again.
    await waitForApplicationState(applicant, base, id, 'returned');
    await applicant.getByTestId('returned-reasons').getByText(/通信地址须写到门牌号/).waitFor();
    await screenshot(applicant, 'journey-zh-14-authority-returned');
    await applicant.getByTestId('detail-edit').click();
    await applicant.getByTestId('application-form').waitFor();
    const addressNotes = applicant.getByTestId('notes-organizer.address');
    await addressNotes.waitFor();
    await applicant.getByTestId('organizer.address').fill(kCorrectAddress);
    await waitSaved(applicant);
    await addressNotes.waitFor({ state: 'detached' });
    await applicant.getByTestId('step-next').click();
    await applicant.getByTestId('step-next').click();
    await applicant.getByTestId('step-documents').waitFor();
    await submitFiling(applicant);
    await detailState(applicant, 'preliminary_review');
    await claimFromQueue(reviewer, base, 'preliminary', id);
    await reviewer.getByTestId('change-organizer.address').waitFor();
    await approveOnScreen(reviewer);
    await backdropAndPhoto(applicant, reviewer, base, id, {
      recipient: '张三',
      mobile: '13800138000',
      address: kCorrectAddress,
      carrier: '顺丰速运',
      tracking: 'SF1234567891',
      photo: makePng(900, 1200, [180, 100, 70]),
    });

    // 13. Handed over again, verified, approved: the Beian SNs are issued.
    await handOverAndVerify(sides, { id, person, seen });
    await claimSubmission(authority, servers.authorityUrl, kFiling.website.domain);
    const { subjectSn, websiteSns } = await approveSubmission(authority, 'journey-zh-15-approved');
    assert.equal(websiteSns.length, 1);

    // 14. The applicant sees the filing approved with its numbers, and has the e-mail.
    await waitForApplicationState(applicant, base, id, 'approved');
    const detail = applicant.getByTestId('application-detail');
    await detail.getByText(subjectSn, { exact: false }).first().waitFor();
    await detail.getByText(websiteSns[0], { exact: false }).first().waitFor();
    await screenshot(applicant, 'journey-zh-16-approved');
    const mail = await waitForMailboxMessage(
      applicant,
      base,
      (r) => r.channel === 'email' && r.text.includes(`备案已通过：${kFiling.organizerName}`),
    );
    assert.ok((await mailboxText(applicant, mail.id)).includes(subjectSn), 'the e-mail names the subject SN');

    // 15. Both public queries find the domain.
    await findInAgentFiled(visitor, base, kFiling.website.domain, websiteSns[0], 'journey-zh-17-filed');
    await findInAuthorityQuery(visitor, servers.authorityUrl, kFiling.website.domain, websiteSns[0], 'journey-zh-18-query');

    // 16. A second filing by the same organizer is a new website: it asks for the subject SN
    //     and the ICP password, which only the person in charge received (the 8090 mailbox).
    const password = await readIcpPassword(authority, servers.authorityUrl);
    await applicant.goto(`${base}/applications/new`);
    const second = await fillDemoFiling(applicant, 'zh', {
      ...kFiling,
      address: kCorrectAddress,
      website: { ...kFiling.website, name: '北京示例科技商城', domain: 'beian-demo.cn', homepage: 'https://www.beian-demo.cn' },
    });
    await applicant.locator('[data-testid="filing-type"][data-type="new_website"]').waitFor();
    await uploadRequiredDocuments(applicant);
    await applicant.getByTestId('step-next').click();
    await applicant.getByTestId('step-check').waitFor();
    await applicant.getByTestId('credentials').waitFor();
    await applicant.getByTestId('beian_sn').fill(subjectSn);
    await applicant.getByTestId('icp_password').fill(`${password}x`);
    await applicant.getByTestId('submit-application').click();
    await applicant.getByTestId('submit-error').getByText(/备案号或 ICP 密码不正确/).waitFor();
    await applicant.getByTestId('icp_password').fill(password);
    await screenshot(applicant, 'journey-zh-19-new-website');
    await applicant.getByTestId('submit-application').click();
    await openDetail(applicant, second);
    await detailState(applicant, 'preliminary_review');

    assert.deepEqual(applicant.pageErrors, []);
    assert.deepEqual(reviewer.pageErrors, []);
    assert.deepEqual(authority.pageErrors, []);
    assert.deepEqual(visitor.pageErrors, []);
    for (const p of [applicant, reviewer, authority, visitor]) await p.context().close();
  });
});
