// The authority's half of the browser journeys (journey.*.test.mjs, issue 10): after the photo is
// accepted the hand-over runs by itself; the SMS code is read from the authority's development
// mailbox (8090, signed in as the demo authority reviewer), entered on the public /verify page;
// the authority reviewer claims the submission in the 8090 queue and approves or rejects it; the
// applicant's filing follows (approved with its SNs, or returned); the filing is found in both
// public queries; the ICP password is read from the same mailbox. Each step waits for the page to
// confirm what it did, so a failing step names itself.
import assert from 'node:assert/strict';
import { domainToASCII } from 'node:url';
import { screenshot } from './harness.mjs';
import { logIn, pickOption } from './journey-steps.mjs';

export const kDemoAuthorityReviewer = 'authority@demo.beian.test';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Reloads the applicant's detail page of `id` until it shows `state` (the hand-over and the
// authority's results arrive in the background), at most `timeoutMs`.
export async function waitForApplicationState(page, agentUrl, id, state, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  const detail = page.getByTestId('application-detail');
  for (;;) {
    await page.goto(`${agentUrl}/applications/${id}`);
    await detail.waitFor();
    if ((await detail.getAttribute('data-state')) === state) return;
    if (Date.now() > deadline) {
      await screenshot(page, `failed-wait-${state}`);
      assert.fail(`application ${id}: still ${await detail.getAttribute('data-state')}, wanted ${state}`);
    }
    await sleep(1_000);
  }
}

// The application's authority sub-state as the API reports it (the console shows it in words).
export async function authorityStateOf(page, agentUrl, id) {
  const res = await page.context().request.get(`${agentUrl}/api/v1/applications/${id}`);
  assert.equal(res.status(), 200, `GET application ${id}`);
  return (await res.json()).authority ?? null;
}

// The messages of the 8090 mailbox page, newest first: [{id, channel, to, text}] (an e-mail's
// text is its subject; its body is in the expanded row).
async function mailboxRows(page) {
  return page.locator('[data-testid^="mailbox-row-"]').evaluateAll((rows) =>
    rows.map((r) => ({
      id: r.getAttribute('data-testid').slice('mailbox-row-'.length),
      channel: r.getAttribute('data-channel'),
      text: r.textContent ?? '',
    })),
  );
}

// Opens the 8090 mailbox (the page is signed in as the authority reviewer) and waits until a
// message not in `seen` satisfies `match`; returns it. The mailbox lists the newest first.
export async function waitForMailboxMessage(page, authorityUrl, match, { seen = new Set(), timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  await page.goto(`${authorityUrl}/mailbox`);
  await page.getByTestId('mailbox-page').waitFor();
  for (;;) {
    await page.getByTestId('mailbox-table').locator('.ant-spin-spinning').waitFor({ state: 'detached' }).catch(() => {});
    const rows = await mailboxRows(page);
    const found = rows.find((r) => !seen.has(r.id) && match(r));
    if (found) return found;
    if (Date.now() > deadline) {
      await screenshot(page, 'failed-mailbox');
      assert.fail(`no such message in the authority mailbox: ${JSON.stringify(rows.slice(0, 5))}`);
    }
    await sleep(1_000);
    await page.getByTestId('mailbox-refresh').click();
  }
}

// The full text of mailbox message `id` (an SMS's text, or an e-mail's body): its row is
// expanded and the body read.
export async function mailboxText(page, id) {
  const row = page.getByTestId(`mailbox-row-${id}`);
  const channel = await row.getAttribute('data-channel');
  if (channel === 'sms') return (await row.textContent()) ?? '';
  await row.click();
  // The expanded row shows the HTML (in a sandboxed frame) first, the plain text on its tab.
  const box = page.locator('tr.ant-table-expanded-row').last();
  await box.waitFor();
  const frame = box.locator('[data-testid="mailbox-email-html"]');
  if ((await frame.count()) > 0) return ((await frame.getAttribute('srcdoc')) ?? '').replace(/<[^>]+>/g, ' ');
  return (await box.getByTestId('mailbox-email-text').textContent()) ?? '';
}

// The SMS code sent to the mobile ending in `tail4` (the mailbox masks numbers: 138****8000):
// the newest verification SMS not in `seen`. Returns {code, id}.
export async function readSmsCode(page, authorityUrl, tail4, seen = new Set()) {
  const msg = await waitForMailboxMessage(
    page,
    authorityUrl,
    (r) => r.channel === 'sms' && r.text.includes(tail4) && /(?<!\d)\d{6}(?!\d)/.test(r.text.replace(/\d{3}\*{4}\d{4}/, '')),
    { seen },
  );
  const text = msg.text.replace(/\d{3}\*{4}\d{4}/, '');
  // The code follows its name (验证码 / code) when the text says so; else the only 6 digits.
  const named = /(?:验证码|核验码|code)\D{0,12}(\d{6})(?!\d)/i.exec(text);
  const code = named ? named[1] : /(?<!\d)(\d{6})(?!\d)/.exec(text)[1];
  return { code, id: msg.id };
}

// Enters the code on the public /verify page (no sign-in) and waits for the outcome `expect`
// (data-outcome: verified_all, verified_more, sms_code_wrong, …); returns the outcome's text.
export async function verifyOnPage(page, authorityUrl, { mobile, idNumber, code }, expect, shot) {
  if (!page.url().endsWith('/verify')) {
    await page.goto(`${authorityUrl}/verify`);
  }
  await page.getByTestId('verify-page').waitFor();
  await page.getByTestId('verify-mobile').fill(mobile);
  await page.getByTestId('verify-id-last6').fill(idNumber.slice(-6));
  await page.getByTestId('verify-code').fill(code);
  await page.getByTestId('verify-submit').click();
  const outcome = page.locator(`[data-testid="verify-outcome"][data-outcome="${expect}"]`);
  try {
    await outcome.waitFor();
  } catch (e) {
    const shown = await page.getByTestId('verify-outcome').textContent().catch(() => null);
    throw new Error(`verify: wanted ${expect}, page says ${JSON.stringify(shown)}`, { cause: e });
  }
  if (shot) await screenshot(page, shot);
  return outcome.textContent();
}

// Signs the demo authority reviewer in on 8090.
export async function authorityLogIn(page, authorityUrl, lang) {
  await logIn(page, authorityUrl, lang, kDemoAuthorityReviewer);
}

// Finds the submission for `domain` in the 8090 queue's "under review" tab, claims it and waits
// for its review screen, claimed.
export async function claimSubmission(page, authorityUrl, domain, shot) {
  await page.goto(`${authorityUrl}/submissions?tab=under_review`);
  await page.getByTestId('authority-queue-page').waitFor();
  // The authority lists domains as it keeps them (an IDN in punycode or in Unicode).
  const forms = [...new Set([domain, domainToASCII(domain)])].map((d) => d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const row = page.locator('tr.ant-table-row', { hasText: new RegExp(forms.join('|')) });
  await row.waitFor();
  if (shot) await screenshot(page, shot);
  await row.locator('[data-testid^="claim-"]').click();
  await page.getByTestId('submission-page').waitFor();
  await page.getByTestId('claim-mine').waitFor();
}

// Approves the claimed submission; returns {subjectSn, websiteSns} as the decided view shows them.
export async function approveSubmission(page, shot) {
  await page.getByTestId('approve').click();
  await page.getByTestId('approve-ok').click();
  const outcome = page.getByTestId('outcome-approved');
  await outcome.waitFor();
  const subjectSn = ((await outcome.getByTestId('subject-sn').textContent()) ?? '').trim();
  const websiteSns = (await outcome.getByTestId('website-sn').allTextContents()).map((s) => s.trim());
  assert.match(subjectSn, /^[\u4e00-\u9fa5]ICP备\d{10}号$/, 'subject SN');
  for (const sn of websiteSns) assert.ok(sn.startsWith(`${subjectSn}-`), `website SN ${sn} under ${subjectSn}`);
  if (shot) await screenshot(page, shot);
  return { subjectSn, websiteSns };
}

// Rejects the claimed submission with one reason: the field `fieldLabel` (as the picker shows
// it), the catalogue reason `reasonLabel` and a note; waits for the decided view.
export async function rejectSubmission(page, { fieldLabel, fieldSearch, reasonLabel, note }, shot) {
  await pickOption(page, 'reason-field-0', fieldLabel, fieldSearch);
  await pickOption(page, 'reason-code-0', reasonLabel);
  if (note) await page.getByTestId('reason-note-0').fill(note);
  if (shot) await screenshot(page, shot);
  await page.getByTestId('reject').click();
  await page.getByTestId('outcome-rejected').waitFor();
}

// The text box of an antd Input (.Search) carrying test id `testId` (on the input or around it).
function inputOf(page, testId) {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

// The authority's public query (8090 /query, no sign-in) by domain finds `websiteSn`.
export async function findInAuthorityQuery(page, authorityUrl, domain, websiteSn, shot) {
  await page.goto(`${authorityUrl}/query`);
  const input = inputOf(page, 'query-input');
  await input.fill(domain);
  await input.press('Enter');
  await page.getByTestId('query-results').getByText(websiteSn).waitFor();
  if (shot) await screenshot(page, shot);
}

// The provider's "is it filed?" page (8080 /filed, no sign-in) finds `websiteSn` for `domain`
// (its copy of the registry follows the change feed every 2 s: asked again until it does).
export async function findInAgentFiled(page, agentUrl, domain, websiteSn, shot) {
  await page.goto(`${agentUrl}/filed`);
  const deadline = Date.now() + 20_000;
  const input = inputOf(page, 'filed-input');
  for (;;) {
    await input.fill(domain);
    await input.press('Enter');
    const box = page.getByTestId('filed-answer');
    await box.waitFor();
    if ((await box.getByText(websiteSn).count()) > 0) break;
    assert.ok(Date.now() < deadline, `${domain}: not filed with ${websiteSn} at ${agentUrl}/filed within 20 s`);
    await sleep(500);
  }
  if (shot) await screenshot(page, shot);
}

// After the photo is accepted the hand-over runs by itself: waits until the applicant's filing
// is with the authority, reads the new SMS code for `person` (not one of `seen`, which gains it)
// from the 8090 mailbox on the `authority` page (signed in), and enters it on /verify in the
// `visitor` page (no sign-in) — with `wrongFirst`, a wrong code first, which is refused with the
// attempts left. Ends with every code entered: the submission is under review.
export async function handOverAndVerify(
  { applicant, authority, visitor, agentUrl, authorityUrl },
  { id, person, seen = new Set(), wrongFirst = false, texts, shot },
) {
  await waitForApplicationState(applicant, agentUrl, id, 'authority_review');
  if (shot) await screenshot(applicant, `${shot}-handed-over`);
  const { code, id: msgId } = await readSmsCode(authority, authorityUrl, person.mobile.slice(-4), seen);
  seen.add(msgId);
  if (shot) await screenshot(authority, `${shot}-mailbox`);
  if (wrongFirst) {
    const wrong = code.slice(0, 5) + String((Number(code[5]) + 1) % 10);
    const said = await verifyOnPage(visitor, authorityUrl, { ...person, code: wrong }, 'sms_code_wrong', shot && `${shot}-wrong`);
    assert.match(said, texts.wrong);
  }
  await verifyOnPage(visitor, authorityUrl, { ...person, code }, 'verified_all', shot && `${shot}-verified`);
}

// The ICP password from the newest ICP-password SMS in the 8090 mailbox (only its holder, the
// organizer's person in charge, receives it: in development that is the mailbox).
export async function readIcpPassword(page, authorityUrl) {
  const kPassword = /(?:ICP备案密码[：:]\s*|ICP password\s+)([^\s，,。]+)/;
  const msg = await waitForMailboxMessage(page, authorityUrl, (r) => r.channel === 'sms' && kPassword.test(r.text));
  return kPassword.exec(msg.text)[1];
}
