// The steps of the browser journeys (journey.*.test.mjs): the demo applicant's filing through
// the applicant pages (step form, documents, submit, correction after a rejection, backdrop
// request, verified photo) and the demo reviewer's through the review pages (claim, reject with
// a field-level reason, approve, ship the backdrop, accept the photo). Each step waits for the
// page to confirm what it did, so a failing step names itself. Also: valid certificate and
// identity numbers made up per run (the one-open-application rule would refuse a second run's
// filing on a shared server). The applicant's form is filled by filing.mjs.
import assert from 'node:assert/strict';
import { fillLogin, kDemoPassword, screenshot } from './harness.mjs';

export const kDemoApplicant = 'applicant@demo.beian.test';
export const kDemoReviewer = 'reviewer@demo.beian.test';

// Logs `email` in on a fresh page and waits for the overview.
export async function logIn(page, baseUrl, lang, email, password = kDemoPassword) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-page').waitFor();
  await fillLogin(page, lang, email, password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-page').waitFor();
}

// Opens an antd Select by its test id and picks the option whose text is exactly `label`
// (typing `search` first when the select is searchable), then checks that the select shows it.
// A click can reach the list while it is still animating open and be lost (a loaded machine):
// the pick is tried again, at most three times.
export async function pickOption(page, testId, label, search) {
  const select = page.getByTestId(testId);
  const options = page.locator(
    '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option',
  );
  for (let attempt = 1; ; attempt++) {
    await select.click();
    if (search) await page.keyboard.type(search);
    const option = options.filter({ hasText: label });
    await option.first().waitFor();
    const texts = await option.allTextContents();
    const index = texts.findIndex((t) => t.trim() === label);
    assert.ok(index >= 0, `option "${label}" in ${testId}: ${JSON.stringify(texts)}`);
    await option.nth(index).click();
    try {
      await page.waitForFunction(
        ([id, text]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.includes(text),
        [testId, label],
        { timeout: 3_000 },
      );
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

// Goes to the queue's `stage` tab, claims application `id` and waits for its review screen.
export async function claimFromQueue(page, baseUrl, stage, id, shot) {
  await page.goto(`${baseUrl}/review?stage=${stage}`);
  await page.getByTestId('review-queue-page').waitFor();
  const claim = page.getByTestId(`claim-${id}`);
  await claim.waitFor();
  if (shot) await screenshot(page, shot);
  await claim.click();
  await page.getByTestId('review-page').waitFor();
  await page.getByTestId('claim-mine').waitFor();
}

// Rejects the claimed application on screen with one reason: the field named `fieldLabel`
// (as the picker shows it), the reason `reasonLabel`, and a note.
export async function rejectOnScreen(page, { fieldLabel, fieldSearch, reasonLabel, note }, shot) {
  await pickOption(page, 'reason-field-0', fieldLabel, fieldSearch);
  await pickOption(page, 'reason-code-0', reasonLabel);
  if (note) await page.getByTestId('reason-note-0').fill(note);
  if (shot) await screenshot(page, shot);
  await page.getByTestId('reject').click();
  await backToQueue(page, 'reject');
}

// After a decision the console returns to the queue; a refusal stays on the screen and says why.
async function backToQueue(page, what) {
  const queue = page.getByTestId('review-queue-page');
  const refusal = page.getByTestId('decision-panel').getByTestId('form-error');
  const fieldErrors = page.getByTestId('decision-panel').locator('.ant-form-item-explain-error');
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await queue.isVisible()) return;
    if (await refusal.isVisible()) {
      assert.fail(`${what} refused: ${await refusal.textContent()}`);
    }
    await page.waitForTimeout(200);
  }
  await screenshot(page, `failed-${what}`);
  assert.fail(`${what}: still on the review screen (${(await fieldErrors.allTextContents()).join('; ')})`);
}

// Approves the claimed application (or, at the photo stage, accepts the photo).
export async function approveOnScreen(page, shot) {
  if (shot) await screenshot(page, shot);
  await page.getByTestId('approve').click();
  await page.getByTestId('approve-ok').click();
  await backToQueue(page, 'approve');
}

// Marks the backdrop of application `id` shipped from the shipping list; with `mobile`, first
// reveals the recipient's masked mobile in the dialog and expects it.
export async function shipBackdrop(page, baseUrl, id, { carrier, tracking, mobile }, shot) {
  await page.goto(`${baseUrl}/review/backdrops`);
  await page.getByTestId('backdrops-requested').waitFor();
  await page.getByTestId(`ship-${id}`).click();
  const dialog = page.getByTestId('ship-dialog');
  await dialog.waitFor();
  if (mobile) {
    assert.match(await dialog.getByTestId('ship-mobile').textContent(), /\*{4}/);
    await dialog.getByTestId('ship-reveal').click();
    await dialog.getByTestId('ship-mobile').filter({ hasText: mobile }).waitFor();
  }
  await dialog
    .locator('[data-testid="ship-carrier"] input, input[data-testid="ship-carrier"]')
    .first()
    .fill(carrier);
  await dialog.getByTestId('ship-tracking').fill(tracking);
  if (shot) await screenshot(page, shot);
  await page.getByTestId('ship-ok').click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByTestId('tab-shipped').click();
  await page.getByTestId('backdrops-shipped').getByText(tracking).waitFor();
}

// ---- made-up numbers and files ------------------------------------------------------------------

const kUscc = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const kUsccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

// The organization code's own check character (GB 11714) over its first eight characters.
function orgCodeCheck(eight) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const val = (c) => (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  const r = 11 - ([...eight].reduce((a, c, i) => a + val(c) * w[i], 0) % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

// A unified social credit code of a Beijing enterprise, different per call (GB 32100 check).
export function makeUscc() {
  const org8 = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  const body = `91110108${org8}${orgCodeCheck(org8)}`;
  const sum = [...body].reduce((a, c, i) => a + kUscc.indexOf(c) * kUsccWeights[i], 0);
  return body + kUscc[(31 - (sum % 31)) % 31];
}

// A resident identity card number of Beijing Dongcheng, born 1990-03-07 (GB 11643 check).
export function makeResidentId() {
  const body = `11010119900307${String(Math.floor(Math.random() * 900) + 100)}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return body + '10X98765432'[[...body].reduce((a, c, i) => a + Number(c) * w[i], 0) % 11];
}

// ---- the verification round (backdrop and photo), repeated after an authority rejection -------

// The applicant's detail page of `id`, once it shows `state`.
export async function openDetailIn(page, baseUrl, id, state) {
  await page.goto(`${baseUrl}/applications/${id}`);
  const detail = page.locator(`[data-testid="application-detail"][data-state="${state}"]`);
  await detail.waitFor();
}

// From `verification` to the accepted photo: the applicant requests the backdrop (recipient,
// mobile, address), the reviewer ships it (carrier, tracking), the applicant uploads the
// verified photo (a PNG of colour `rgb`), the reviewer accepts it. Screenshots named
// `${shot}-ship` and `${shot}-photo` when `shot` is given.
export async function backdropAndPhoto(applicant, reviewer, baseUrl, id, v, shot) {
  await openDetailIn(applicant, baseUrl, id, 'verification');
  await applicant.getByTestId('backdrop-recipient').fill(v.recipient);
  await applicant.getByTestId('backdrop-mobile').fill(v.mobile);
  await applicant.getByTestId('backdrop-address').fill(v.address);
  await applicant.getByTestId('backdrop-submit').click();
  await applicant.locator('[data-testid="application-detail"][data-state="backdrop_requested"]').waitFor();
  await shipBackdrop(reviewer, baseUrl, id, { carrier: v.carrier, tracking: v.tracking }, shot && `${shot}-ship`);
  await openDetailIn(applicant, baseUrl, id, 'backdrop_shipped');
  await applicant.getByTestId('authenticity-panel').getByText(v.tracking).waitFor();
  await applicant
    .getByTestId('photo-step')
    .locator('input[type=file]')
    .setInputFiles({ name: 'verified-photo.png', mimeType: 'image/png', buffer: v.photo });
  await applicant.getByTestId('photo-preview').waitFor();
  await applicant.getByTestId('photo-submit').click();
  await applicant.locator('[data-testid="application-detail"][data-state="photo_uploaded"]').waitFor();
  await claimFromQueue(reviewer, baseUrl, 'photo', id);
  await reviewer.getByTestId('photo-card').locator('img').waitFor();
  await approveOnScreen(reviewer, shot && `${shot}-photo`);
}
