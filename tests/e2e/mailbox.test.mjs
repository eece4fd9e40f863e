// Browser checks of the notification pages (issue 9), in headless Chromium against the real
// server in demo mode (the development mailbox): a transition's e-mail is read in "Mailbox" —
// its HTML in a sandboxed frame that runs no script — and its SMS text beside it; the account's
// own "My notifications" lists both as sent (zh-CN and en); and the demo applicant reads the
// rejection e-mail of a filing the demo reviewer returned, with the reason and the note.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiSession,
  fillDemoFiling,
  reviewerDecides,
  submitFiling,
  uploadRequiredDocuments,
} from './filing.mjs';
import {
  fillLogin,
  kDemoPassword,
  kScreenshotDir,
  launchBrowser,
  newPage,
  screenshot,
  startServers,
  uniqueEmail,
  uniqueMobile,
} from './harness.mjs';

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

const kLang = {
  zh: {
    browser: 'zh-CN',
    account: 'zh-CN',
    subject: '备案申请已撤回：北京示例科技有限公司',
    heading: '备案申请已撤回',
    sms: /^【备案服务】备案申请[0-9a-f]{8}（北京示例科技有限公司）已撤回。$/,
    mailbox: '开发邮箱',
    mine: '我的通知',
    sent: '已发送',
  },
  en: {
    browser: 'en-US',
    account: 'en',
    subject: 'Filing application withdrawn: 北京示例科技有限公司',
    heading: 'Filing application withdrawn',
    sms: /^【备案服务】Application [0-9a-f]{8} withdrawn\.$/,
    mailbox: 'Development mailbox',
    mine: 'My notifications',
    sent: 'Sent',
  },
};

// Registers (signed in, in the page's context), creates an application and withdraws it — the
// transition whose e-mail and SMS the test reads.
async function withdrawnApplication(page, lang) {
  const base = servers.agentUrl;
  const api = page.context().request;
  const headers = { Origin: base };
  const account = {
    email: uniqueEmail(`mailbox-${lang}`),
    phone: uniqueMobile(),
    password: 'zh-lantern-river-7',
    display_name: `Mailbox ${lang}`,
    locale: kLang[lang].account,
  };
  const reg = await api.post(`${base}/api/v1/auth/register`, { data: account, headers });
  assert.equal(reg.status(), 202, await reg.text());
  // Registration signs nobody in (issue 9 item 8); drafting and withdrawing need no confirmation.
  const login = await api.post(`${base}/api/v1/auth/login`, {
    data: { email: account.email, password: account.password },
    headers,
  });
  assert.equal(login.status(), 200, await login.text());
  const csrf = (await login.json()).csrf_token;
  const h = { ...headers, 'X-CSRF-Token': csrf };
  const created = await api.post(`${base}/api/v1/applications`, {
    data: { organizer: { type: 'enterprise', name: '北京示例科技有限公司' }, websites: [] },
    headers: h,
  });
  assert.equal(created.status(), 201, await created.text());
  const app = await created.json();
  const w = await api.post(`${base}/api/v1/applications/${app.id}/withdraw`, { headers: h });
  assert.equal(w.status(), 200, await w.text());
  return { account, app };
}

describe('mailbox', () => {
  for (const lang of ['zh', 'en']) {
    it(`shows the e-mail (sandboxed HTML) and the SMS of a transition (${lang})`, async () => {
      await ready;
      const L = kLang[lang];
      const page = await newPage(browser, { locale: L.browser });
      const { app } = await withdrawnApplication(page, lang);

      await page.goto(`${servers.agentUrl}/mailbox`);
      await page.getByRole('heading', { name: L.mailbox }).waitFor();
      const table = page.getByTestId('mailbox-table');
      // The workers deliver within a moment; refresh until the e-mail is there.
      const subject = table.getByText(L.subject).first();
      for (let i = 0; i < 50 && !(await subject.isVisible()); i += 1) {
        await page.getByTestId('mailbox-refresh').click();
        await page.waitForTimeout(200);
      }
      await subject.click();
      const frame = page.getByTestId('mailbox-email-html').first();
      assert.equal(await frame.getAttribute('sandbox'), '');
      const inside = page.frameLocator('[data-testid="mailbox-email-html"]').first();
      await inside.locator('h2').filter({ hasText: L.heading }).waitFor();
      assert.ok((await inside.locator('body').innerText()).includes(app.id.slice(0, 8)));
      const sms = table.getByText(L.sms);
      await sms.first().waitFor();
      await screenshot(page, `mailbox-${lang}`);

      await page.goto(`${servers.agentUrl}/notifications`);
      await page.getByRole('heading', { name: L.mine }).waitFor();
      const rows = page.getByTestId('my-notifications-table').locator('tr[data-state="sent"]');
      // The registration's confirmation e-mail and SMS code, and the withdrawal's e-mail and SMS.
      for (let i = 0; i < 50 && (await rows.count()) < 4; i += 1) {
        await page.reload();
        await page.waitForTimeout(200);
      }
      assert.equal(await rows.count(), 4);
      await page.getByText(L.sent).first().waitFor();
      await screenshot(page, `my-notifications-${lang}`);
      assert.deepEqual(page.pageErrors.map(String), []);
      await page.context().close();
    });
  }
});

describe('a rejection e-mail', () => {
  it('is in the mailbox with the reason, the note and the field', async () => {
    await ready;
    const page = await newPage(browser, { locale: 'zh-CN' });
    await page.goto(`${servers.agentUrl}/login`);
    await fillLogin(page, 'zh', 'applicant@demo.beian.test', kDemoPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-page').waitFor();
    await page.goto(`${servers.agentUrl}/applications/new`);
    await page.getByTestId('application-form').waitFor();
    const id = await fillDemoFiling(page, 'zh');
    await page.getByText('上传材料', { exact: true }).click();
    await page.getByTestId('step-documents').waitFor();
    await uploadRequiredDocuments(page);
    await submitFiling(page);
    await page.locator('[data-testid="application-detail"][data-state="preliminary_review"]').waitFor();
    const reviewer = await new ApiSession(servers.agentUrl).login('reviewer@demo.beian.test',
      kDemoPassword);
    await reviewerDecides(reviewer, id, 'reject', [
      { field: 'websites[0].name', code: 'name_unrelated', message: '请使用与主办者相关的网站名称' },
    ]);

    await page.goto(`${servers.agentUrl}/mailbox`);
    const table = page.getByTestId('mailbox-table');
    const subject = table.getByText('备案申请未通过初审：北京示例科技有限公司').first();
    for (let i = 0; i < 50 && !(await subject.isVisible()); i += 1) {
      await page.getByTestId('mailbox-refresh').click();
      await page.waitForTimeout(200);
    }
    await subject.click();
    const inside = page.frameLocator('[data-testid="mailbox-email-html"]').first();
    await inside.locator('h2').filter({ hasText: '未通过初审' }).waitFor();
    const body = await inside.locator('body').innerText();
    assert.ok(body.includes('请使用与主办者相关的网站名称'), body);
    assert.ok(body.includes('websites[0].name'), body);
    assert.ok(body.includes(id.slice(0, 8)), body);
    await table.getByText(/未通过初审（1项问题）/).first().waitFor();
    await screenshot(page, 'mailbox-rejection');
    assert.deepEqual(page.pageErrors.map(String), []);
    await page.context().close();
  });
});
