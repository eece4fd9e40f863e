// Account confirmation and password reset in headless Chromium against the real server (issue 9
// item 8): register → the banner → the e-mail link from the development mailbox opens
// /confirm-email → the SMS code entered in the banner → the banner is gone; forgot password on
// the login page → the reset link → a new password → sign in with it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  fillLogin,
  fillRegister,
  launchBrowser,
  newPage,
  registerViaApi,
  screenshot,
  startServers,
  uniqueEmail,
  uniqueMobile,
} from './harness.mjs';
import { maskMobile } from '../integration/lib/server.mjs';

let servers;
let browser;

const ready = (async () => {
  servers = await startServers();
  browser = await launchBrowser();
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

// The newest mailbox message that `match` accepts, read through the admin mailbox API with the
// page's session (demo mode: every signed-in user may read it).
async function mailboxMessage(page, match) {
  const api = page.context().request;
  for (let i = 0; i < 100; i += 1) {
    const r = await api.get(`${servers.agentUrl}/api/v1/admin/mailbox?limit=100`);
    assert.equal(r.status(), 200, await r.text());
    const found = (await r.json()).items.find(match);
    if (found) return found;
    await page.waitForTimeout(100);
  }
  assert.fail('no such message in the mailbox');
}

describe('confirmation (zh-CN)', () => {
  it('registers, confirms the e-mail by its link and the mobile by its code; the banner goes', async () => {
    await ready;
    const email = uniqueEmail('confirm-e2e');
    const phone = uniqueMobile();
    const page = await newPage(browser);
    await page.goto(`${servers.agentUrl}/register`);
    await page.getByTestId('register-page').waitFor();
    await fillRegister(page, 'zh', { email, phone, name: '验证用户', password: 'zh-lantern-river-7' });
    await page.getByTestId('register-submit').click();
    await page.getByTestId('home-page').waitFor();
    const banner = page.getByTestId('confirm-banner');
    await banner.waitFor();
    await banner.getByText('请完成账号验证').waitFor();
    await screenshot(page, 'zh-confirm-banner');

    const mail = await mailboxMessage(page, (m) => m.template === 'account_confirm_email' && m.to === email);
    const link = /(https?:\/\/\S+\/confirm-email\?token=[A-Za-z0-9_-]+)/.exec(mail.text)[1];
    const token = new URL(link).searchParams.get('token');
    await page.goto(`${servers.agentUrl}/confirm-email?token=${token}`);
    await page.getByTestId('confirm-email-done').waitFor();
    await page.getByText('邮箱地址已验证。').waitFor();

    await page.goto(`${servers.agentUrl}/`);
    await banner.getByText('邮箱已验证。').waitFor();
    const sms = await mailboxMessage(page, (m) => m.template === 'account_confirm_mobile' && m.to === maskMobile(phone));
    const code = /(\d{6})/.exec(sms.text)[1];
    await page.getByTestId('confirm-code').fill(code === '000000' ? '000001' : '000000');
    await page.getByTestId('confirm-code-submit').click();
    await page.getByTestId('confirm-error').waitFor();
    await page.getByTestId('confirm-code').fill(code);
    await page.getByTestId('confirm-code-submit').click();
    await banner.waitFor({ state: 'detached' });
    await screenshot(page, 'zh-confirmed');
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});

describe('password reset (zh-CN)', () => {
  it('asks for a link on the login page, sets a new password through it, signs in with it', async () => {
    await ready;
    const email = uniqueEmail('reset-e2e');
    await registerViaApi(servers.agentUrl, {
      email, phone: uniqueMobile(), password: 'zh-lantern-river-7', display_name: 'Reset User',
    });
    const page = await newPage(browser);
    await page.goto(`${servers.agentUrl}/login`);
    await page.getByTestId('login-page').waitFor();
    await page.getByTestId('forgot-link').click();
    await page.getByTestId('forgot-password-page').waitFor();
    await page.getByLabel('邮箱', { exact: true }).fill(email);
    await page.getByTestId('forgot-submit').click();
    await page.getByTestId('forgot-sent').waitFor();

    // Reading the mailbox needs a session: the demo applicant's, in another context.
    const reader = await newPage(browser);
    const login = await reader.context().request.post(`${servers.agentUrl}/api/v1/auth/login`, {
      data: { email: 'applicant@demo.beian.test', password: 'demo-password-1' },
      headers: { Origin: servers.agentUrl },
    });
    assert.equal(login.status(), 200);
    const mail = await mailboxMessage(reader, (m) => m.template === 'password_reset' && m.to === email);
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text)[1];
    await reader.context().close();

    await page.goto(`${servers.agentUrl}/reset-password?token=${token}`);
    await page.getByTestId('reset-password-page').waitFor();
    await page.getByLabel('新密码', { exact: true }).fill('zh-harbour-lamp-42');
    await page.getByTestId('reset-submit').click();
    await page.getByTestId('reset-done').waitFor();
    await screenshot(page, 'zh-reset-done');

    await page.goto(`${servers.agentUrl}/login`);
    await page.getByTestId('login-page').waitFor();
    await fillLogin(page, 'zh', email, 'zh-harbour-lamp-42');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-page').waitFor();
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
