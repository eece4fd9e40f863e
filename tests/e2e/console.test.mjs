// Browser checks of the console frame, in headless Chromium against the real server, in both
// languages: a session that ends under the user leads to login and back to the same page; a
// first visit follows the browser's language; on a phone-sized window (390×844) the menu is a
// drawer over the page, the menu button leaves the account card alone and the header keeps
// the console's name; the register form hints at password strength, shows the server's refusal
// of a trivial password beside the field and accepts a mobile number written +86 138 0013 8000.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  expectFieldError,
  fillLogin,
  fillRegister,
  kScreenshotDir,
  launchBrowser,
  newPage,
  registerViaApi,
  screenshot,
  startServers,
  switchLanguage,
  uniqueEmail,
  uniqueMobile,
} from './harness.mjs';

let servers;
let browser;

// Started once for the file; each test awaits it so that a server that does not start fails
// every test instead of cancelling them.
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
    loginHeading: '登录',
    ended: /登录已失效/,
    notFound: '页面不存在',
    consoleName: '服务商备案控制台',
    title: '服务商备案控制台 - ICP 备案',
    veryWeak: '密码强度：很弱',
    tooSimple: '该密码过于简单（重复或连续的字符），请换一个',
    password: '密码',
    confirm: '确认密码',
  },
  en: {
    browser: 'en-US',
    account: 'en',
    loginHeading: 'Log in',
    ended: /Your session has ended/,
    notFound: 'Page not found',
    consoleName: 'Provider filing console',
    title: 'Provider filing console - ICP Filing',
    veryWeak: 'Password strength: very weak',
    tooSimple: 'This password is too simple (repeated or sequential characters); choose another',
    password: 'Password',
    confirm: 'Confirm password',
  },
};

async function newAccount(lang) {
  const account = {
    email: uniqueEmail(`console-${lang}`),
    phone: uniqueMobile(),
    password: `console-${lang}-pw-93`,
    display_name: lang === 'zh' ? '控制台用户' : 'Console User',
    locale: kLang[lang].account,
  };
  await registerViaApi(servers.agentUrl, account);
  return account;
}

async function loginThroughForm(page, lang, account) {
  await fillLogin(page, lang, account.email, account.password);
  await page.getByTestId('login-submit').click();
}

function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

for (const lang of ['zh', 'en']) {
  const L = kLang[lang];

  describe(`session (${lang})`, () => {
    it('follows the browser language on a first visit and names the console in the tab', async () => {
      await ready;
      const page = await newPage(browser, { locale: L.browser });
      await page.goto(`${servers.agentUrl}/`);
      await page.getByRole('heading', { name: L.loginHeading, exact: true }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), L.account);
      assert.equal(await page.title(), L.title);
      // A visitor who never logged in is not told that a session ended.
      assert.equal(await page.getByTestId('session-ended').count(), 0);
      // The choice made on the page wins from then on, over a reload, and the tab follows it.
      const other = lang === 'zh' ? 'en' : 'zh';
      await switchLanguage(page, kLang[other].account);
      await page.reload();
      await page.getByRole('heading', { name: kLang[other].loginHeading, exact: true }).waitFor();
      assert.equal(await page.title(), kLang[other].title);
      await page.context().close();
    });

    it('returns to login when the session ends, then back to the same page', async () => {
      await ready;
      const account = await newAccount(lang);
      const page = await newPage(browser, { locale: L.browser });
      const deep = '/filings/draft?tab=2';
      await page.goto(`${servers.agentUrl}${deep}`);
      await page.getByTestId('login-page').waitFor();
      await loginThroughForm(page, lang, account);
      await page.getByText(L.notFound).waitFor();
      assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, deep);

      // The session ends on the server side of the browser: its cookie is gone, so the next
      // API call (the session check when the tab comes back into view) is answered 401.
      await page.context().clearCookies();
      await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
      await page.getByTestId('login-page').waitFor();
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.match(await page.getByTestId('session-ended').textContent(), L.ended);
      await screenshot(page, `${lang}-session-ended`);

      await loginThroughForm(page, lang, account);
      await page.getByText(L.notFound).waitFor();
      const back = new URL(page.url());
      assert.equal(back.pathname + back.search, deep);
      assert.deepEqual(page.pageErrors, []);
      await page.context().close();
    });
  });

  describe(`sign out everywhere (${lang})`, () => {
    it('ends the other browser too, which then returns to login and back', async () => {
      await ready;
      const account = await newAccount(lang);
      const [a, b] = [
        await newPage(browser, { locale: L.browser }),
        await newPage(browser, { locale: L.browser }),
      ];
      await a.goto(`${servers.agentUrl}/login`);
      await loginThroughForm(a, lang, account);
      await a.getByTestId('home-page').waitFor();
      await b.goto(`${servers.agentUrl}/other?from=b`);
      await loginThroughForm(b, lang, account);
      await b.getByText(L.notFound).waitFor();

      await a.getByTestId('user-menu').click();
      await a.getByTestId('logout-all').click();
      await a.getByTestId('logout-all-ok').click();
      await a.getByTestId('login-page').waitFor();

      // The other browser still shows its page until it next asks the server. Coming back to
      // the tab asks; a request already in flight from before the sign-out may answer that
      // first look (it is shared, not repeated), so the user comes back again, as one would.
      const ended = b.getByTestId('session-ended');
      for (let i = 0; i < 40 && !(await ended.isVisible()); i += 1) {
        await b.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
        await b.waitForTimeout(250);
      }
      await ended.waitFor();
      await loginThroughForm(b, lang, account);
      await b.getByText(L.notFound).waitFor();
      assert.equal(new URL(b.url()).search, '?from=b');
      assert.deepEqual([...a.pageErrors, ...b.pageErrors], []);
      await a.context().close();
      await b.context().close();
    });
  });

  describe(`register form (${lang})`, () => {
    it('hints at strength, shows a refused trivial password, takes +86 numbers', async () => {
      await ready;
      const page = await newPage(browser, { locale: L.browser });
      await page.goto(`${servers.agentUrl}/register`);
      await page.getByTestId('register-page').waitFor();
      const email = uniqueEmail(`strength-${lang}`);
      const phone = `+86 139 ${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')} ${String(
        Math.floor(Math.random() * 1e4),
      ).padStart(4, '0')}`;
      await fillRegister(page, lang, { email, phone, name: 'Strength', password: '1234567890' });
      const hint = page.getByTestId('password-strength');
      assert.equal(await hint.getAttribute('data-score'), '0');
      assert.match(await hint.textContent(), new RegExp(L.veryWeak));
      await page.getByTestId('register-submit').click();
      await expectFieldError(page, L.password, L.tooSimple);
      await screenshot(page, `${lang}-register-too-simple`);

      await page.getByLabel(L.password, { exact: true }).fill('kfjwmtzr9p-Lx');
      await page.getByLabel(L.confirm, { exact: true }).fill('kfjwmtzr9p-Lx');
      assert.equal(await hint.getAttribute('data-score'), '4');
      await page.getByTestId('register-submit').click();
      await page.getByTestId('home-page').waitFor();
      assert.deepEqual(page.pageErrors, []);
      await page.context().close();
    });
  });

  describe(`narrow screen 390×844 (${lang})`, () => {
    it('opens the menu as a drawer over the page and leaves the account card uncovered', async () => {
      await ready;
      const account = await newAccount(lang);
      const page = await newPage(browser, {
        locale: L.browser,
        viewport: { width: 390, height: 844 },
      });
      await page.goto(`${servers.agentUrl}/login`);
      await loginThroughForm(page, lang, account);
      await page.getByTestId('home-page').waitFor();

      // The header keeps the console's name, on one line.
      const name = page.getByTestId('console-name');
      assert.equal(await name.isVisible(), true);
      assert.equal((await name.textContent()).trim(), L.consoleName);
      const header = await page.locator('.console-header').boundingBox();
      assert.ok(header.height <= 64, `header is ${header.height}px high`);

      // No side bar squeezing the page; the menu button sits in the header, off the card.
      assert.equal(await page.getByTestId('nav-sider').count(), 0);
      const button = await page.getByTestId('menu-button').boundingBox();
      const card = await page.getByTestId('account-card').boundingBox();
      assert.ok(!overlaps(button, card), `menu button ${JSON.stringify(button)} covers the card`);
      const content = await page.getByTestId('home-page').boundingBox();
      assert.ok(content.width >= 340, `the page is squeezed to ${content.width}px`);
      // What is drawn at the card's top left corner is the card itself.
      const cardOnTop = await page.evaluate(([x, y]) => {
        const card = document.querySelector('[data-testid="account-card"]');
        return card.contains(document.elementFromPoint(x, y));
      }, [card.x + 8, card.y + 8]);
      assert.equal(cardOnTop, true);
      assert.equal(await page.getByTestId('user-name').isVisible(), true);
      await screenshot(page, `${lang}-narrow-home`);

      await page.getByTestId('menu-button').click();
      const drawer = page.getByTestId('nav-drawer');
      await drawer.waitFor();
      await page.waitForTimeout(400); // the slide-in animation
      const panel = await page.locator('.nav-drawer .ant-drawer-content-wrapper').boundingBox();
      assert.ok(panel.x <= 1 && panel.width < 390, `drawer at ${JSON.stringify(panel)}`);
      // Over the page: the page keeps its width, and the drawer is what is on top.
      const under = await page.getByTestId('home-page').boundingBox();
      assert.equal(Math.round(under.width), Math.round(content.width));
      const drawerOnTop = await page.evaluate(([x, y]) => {
        const d = document.querySelector('[data-testid="nav-drawer"]');
        return d.closest('.ant-drawer-content-wrapper').contains(document.elementFromPoint(x, y));
      }, [panel.x + panel.width / 2, panel.y + panel.height / 2]);
      assert.equal(drawerOnTop, true);
      await screenshot(page, `${lang}-narrow-drawer`);

      // Choosing an entry closes the drawer.
      await page.getByTestId('nav-home').click();
      await drawer.waitFor({ state: 'hidden' });
      assert.deepEqual(page.pageErrors, []);
      await page.context().close();
    });
  });
}
