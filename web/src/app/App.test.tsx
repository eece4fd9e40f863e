// Whole-app tests in jsdom against a fake accounts API: guards, forms, errors beside fields in
// both languages, language switch, logout. The browser suite (tests/e2e) repeats the journeys
// against the real server.
import { lazy } from 'react';
import { describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useQuery } from '@tanstack/react-query';
import { App } from './App';
import { kFeatures, type Feature } from './features';
import { useServices } from './services';
import { ApiClient } from '../api/client';
import type { AppConfig } from '../api/config';
import { createI18n, kLanguageStorageKey } from '../i18n';
import { FakeServer } from '../test/fakeServer';
import { setBrowserLanguages, setViewportWidth } from '../test/browser';

const kAgent: AppConfig = { service: 'agent', api_base: '/api/v1', version: 'test' };
const kAuthority: AppConfig = { service: 'authority', api_base: '/authority/v1', version: 'test' };

function start(
  config: AppConfig,
  path: string,
  setup?: (s: FakeServer) => void,
  features?: Feature[],
) {
  const server = new FakeServer(config);
  setup?.(server);
  const i18n = createI18n();
  const client = new ApiClient(config.api_base, server.fetch);
  const user = userEvent.setup();
  render(
    <App services={{ config, client }} i18n={i18n} initialPath={path} features={features} />,
  );
  return { server, i18n, client, user };
}

// A page that loads data through the API, as every journey page will: GET /things.
function ThingsPage() {
  const { client } = useServices();
  const q = useQuery({
    queryKey: ['things'],
    queryFn: () => client.get<{ things: string[] }>('/things'),
    retry: false,
  });
  return (
    <div>
      <div data-testid="things-page">{q.data?.things.join(', ') ?? 'loading'}</div>
      <button type="button" data-testid="things-reload" onClick={() => void q.refetch()}>
        reload
      </button>
    </div>
  );
}

// The product's table plus a page for applicants only (with its overview link).
const kWithThings: Feature[] = [
  ...kFeatures,
  {
    key: 'things',
    path: '/things',
    page: lazy(async () => ({ default: ThingsPage })),
    titleKey: 'nav.login',
    descriptionKey: 'register.subtitle',
    roles: ['applicant'],
    menu: true,
    overview: true,
  },
];

// The error text shown under the Form.Item that holds the input labelled `label`.
function fieldError(label: string): string | null {
  const input = screen.getByLabelText(label);
  const item = input.closest('.ant-form-item');
  const explain = item?.querySelector('.ant-form-item-explain-error');
  return explain?.textContent ?? null;
}

async function fillRegister(
  user: ReturnType<typeof userEvent.setup>,
  v: { email: string; phone: string; name: string; password: string; confirm?: string },
  lang: 'zh' | 'en' = 'zh',
) {
  const L =
    lang === 'zh'
      ? { email: '邮箱', phone: '手机号码', name: '姓名 / 昵称', pw: '密码', confirm: '确认密码' }
      : {
          email: 'E-mail',
          phone: 'Mobile number',
          name: 'Display name',
          pw: 'Password',
          confirm: 'Confirm password',
        };
  await user.type(screen.getByLabelText(L.email), v.email);
  await user.type(screen.getByLabelText(L.phone), v.phone);
  await user.type(screen.getByLabelText(L.name), v.name);
  await user.type(screen.getByLabelText(L.pw), v.password);
  await user.type(screen.getByLabelText(L.confirm), v.confirm ?? v.password);
}

const kAlice = {
  email: 'alice@example.com',
  phone: '13812345678',
  password: 'alice-password-1',
  display_name: '李爱丽',
  role: 'applicant',
};

describe('guards', () => {
  it('sends an anonymous visitor to login, in Chinese by default', async () => {
    start(kAgent, '/');
    expect(await screen.findByTestId('login-page')).toBeTruthy();
    expect(screen.getByRole('heading', { name: '登录' })).toBeTruthy();
    expect(screen.getByTestId('product-name').textContent).toContain('ICP 备案');
  });

  it('restores a session from /me and shows home', async () => {
    start(kAgent, '/login', (s) => {
      s.addAccount(kAlice);
      s.session = s.accounts[0];
    });
    expect(await screen.findByTestId('home-page')).toBeTruthy();
    expect(screen.getByTestId('user-name').textContent).toBe('李爱丽');
  });
});

describe('return after login', () => {
  it('brings the user back to the page asked for before logging in', async () => {
    const { user } = start(kAgent, '/no-such-page', (s) => s.addAccount(kAlice));
    await screen.findByTestId('login-page');
    await user.type(screen.getByLabelText('邮箱'), kAlice.email);
    await user.type(screen.getByLabelText('密码'), kAlice.password);
    await user.click(screen.getByTestId('login-submit'));
    expect(await screen.findByText('页面不存在')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: '返回首页' }));
    expect(await screen.findByTestId('home-page')).toBeTruthy();
  });
});

describe('register', () => {
  it('checks the fields on the client before sending anything', async () => {
    const { server, user } = start(kAgent, '/register');
    await screen.findByTestId('register-page');
    await fillRegister(user, {
      email: 'not-an-email',
      phone: '123',
      name: 'Bob',
      password: 'short',
      confirm: 'other',
    });
    await user.click(screen.getByTestId('register-submit'));
    await waitFor(() => expect(fieldError('邮箱')).toBe('请输入有效的邮箱地址'));
    expect(fieldError('手机号码')).toBe('请输入有效的中国大陆手机号码');
    expect(fieldError('密码')).toBe('密码至少需要 10 个字符');
    expect(fieldError('确认密码')).toBe('两次输入的密码不一致');
    expect(server.requests.filter((r) => r.path.endsWith('/auth/register'))).toHaveLength(0);
  });

  // Registration answers the same for a registered address (issue 9 item 8): the console then
  // signs in, which fails like any wrong password; a field the server refuses is marked.
  it('shows the server error next to the field and follows the language switch', async () => {
    const { user } = start(kAgent, '/register');
    await screen.findByTestId('register-page');
    await fillRegister(user, {
      email: 'dave@example.com',
      phone: '13900001111',
      name: 'Someone',
      password: 'password1234',
    });
    await user.click(screen.getByTestId('register-submit'));
    await waitFor(() => expect(fieldError('密码')).toBe('该密码过于常见，容易被猜中，请换一个'));
    expect(screen.queryByTestId('form-error')).toBeNull();

    await user.click(screen.getByTestId('lang-switch'));
    await user.click(await screen.findByTestId('lang-option-en'));
    await waitFor(() =>
      expect(fieldError('Password')).toBe(
        'This password is too common and easy to guess; choose another',
      ),
    );
    expect(window.localStorage.getItem(kLanguageStorageKey)).toBe('en');

    // Editing the field clears the server's verdict on it.
    await user.type(screen.getByLabelText('Password'), 'x');
    await waitFor(() => expect(fieldError('Password')).toBeNull());
  });

  it('a registered address answers like a new one; signing in with another password fails', async () => {
    const { user } = start(kAgent, '/register', (s) => s.addAccount(kAlice));
    await screen.findByTestId('register-page');
    await fillRegister(user, {
      email: kAlice.email,
      phone: '13900001111',
      name: 'Someone',
      password: 'some-password-1',
    });
    await user.click(screen.getByTestId('register-submit'));
    await screen.findByTestId('form-error');
    expect(fieldError('邮箱')).toBeNull();
  });

  it('puts a server-only field rejection on that field', async () => {
    const { user } = start(kAgent, '/register');
    await screen.findByTestId('register-page');
    await fillRegister(user, {
      email: 'carol@example.com',
      phone: '19999999999',
      name: 'Carol',
      password: 'carol-password-1',
    });
    await user.click(screen.getByTestId('register-submit'));
    await waitFor(() => expect(fieldError('手机号码')).toBe('请输入有效的中国大陆手机号码'));
    expect(fieldError('邮箱')).toBeNull();
  });

  it('registers, lands on home with name and role, and logs out', async () => {
    const { server, user } = start(kAgent, '/register');
    await screen.findByTestId('register-page');
    await fillRegister(user, {
      email: 'dave@example.com',
      phone: '13700002222',
      name: '戴夫',
      password: 'dave-password-1',
    });
    await user.click(screen.getByTestId('register-submit'));
    const home = await screen.findByTestId('home-page');
    expect(within(home).getByTestId('user-name').textContent).toBe('戴夫');
    expect(within(home).getByTestId('user-email').textContent).toBe('dave@example.com');
    expect(within(home).getByTestId('user-role').textContent).toBe('备案申请人');
    // An applicant is offered the filing pages, and only those.
    expect(within(home).getByTestId('feature-applications').textContent).toContain('我的备案');
    expect(within(home).getByTestId('feature-application-new').textContent).toContain('新建备案');
    expect(within(home).queryByTestId('features-none')).toBeNull();
    expect(server.lastRegistration).toEqual({
      email: 'dave@example.com',
      phone: '13700002222',
      password: 'dave-password-1',
      display_name: '戴夫',
      locale: 'zh-CN',
    });

    await user.click(screen.getByTestId('user-menu'));
    await user.click(await screen.findByTestId('logout'));
    expect(await screen.findByTestId('login-page')).toBeTruthy();
    const logout = server.requests.find((r) => r.path.endsWith('/auth/logout'));
    expect(logout?.csrf).toMatch(/^csrf-/);
    expect(server.session).toBeNull();
  });
});

describe('logout', () => {
  it('is not undone by a session check answered just before it', async () => {
    const { server, user } = start(kAgent, '/', (s) => {
      s.addAccount(kAlice);
      s.session = s.accounts[0];
    });
    await screen.findByTestId('home-page');
    let release = () => {};
    server.holdMe = new Promise<void>((r) => (release = r));
    act(() => {
      fireEvent(window, new Event('visibilitychange'));
    });
    await waitFor(() =>
      expect(server.requests.filter((r) => r.path.endsWith('/me')).length).toBe(2),
    );
    await user.click(screen.getByTestId('user-menu'));
    await user.click(await screen.findByTestId('logout'));
    expect(await screen.findByTestId('login-page')).toBeTruthy();
    // The check, answered while the session was still alive, arrives after the logout.
    await act(async () => {
      release();
      await new Promise((r) => setTimeout(r, 300));
    });
    expect(screen.getByTestId('login-page')).toBeTruthy();
    expect(screen.queryByTestId('home-page')).toBeNull();
  });

  it('signs out everywhere after a confirmation', async () => {
    const { server, user } = start(kAgent, '/', (s) => {
      s.addAccount(kAlice);
      s.session = s.accounts[0];
    });
    await screen.findByTestId('home-page');
    await user.click(screen.getByTestId('user-menu'));
    await user.click(await screen.findByTestId('logout-all'));
    expect((await screen.findAllByText('退出所有设备上的登录？')).length).toBeGreaterThan(0);
    expect(server.loggedOutEverywhere).toBe(false);
    await user.click(screen.getByTestId('logout-all-ok'));
    expect(await screen.findByTestId('login-page')).toBeTruthy();
    expect(server.loggedOutEverywhere).toBe(true);
    const call = server.requests.find((r) => r.path.endsWith('/auth/logout-all'));
    expect(call?.csrf).toMatch(/^csrf-/);
  });

  it('says why when the server refuses, and keeps the user on the page', async () => {
    const { server, user } = start(kAgent, '/', (s) => {
      s.addAccount(kAlice);
      s.session = s.accounts[0];
    });
    await screen.findByTestId('home-page');
    server.csrf = 'rotated-elsewhere';
    await user.click(screen.getByTestId('user-menu'));
    await user.click(await screen.findByTestId('logout'));
    expect(await screen.findByText('页面已过期，请刷新后重试')).toBeTruthy();
    expect(screen.getByTestId('home-page')).toBeTruthy();
    expect(server.session).not.toBeNull();
  });
});

describe('login', () => {
  it('shows wrong credentials above the form', async () => {
    const { user } = start(kAgent, '/login', (s) => s.addAccount(kAlice));
    await screen.findByTestId('login-page');
    await user.type(screen.getByLabelText('邮箱'), kAlice.email);
    await user.type(screen.getByLabelText('密码'), 'wrong-password-1');
    await user.click(screen.getByTestId('login-submit'));
    const alert = await screen.findByTestId('form-error');
    expect(alert.textContent).toContain('邮箱或密码不正确');
  });

  it('reports a network failure above the form', async () => {
    const { server, user } = start(kAgent, '/login', (s) => s.addAccount(kAlice));
    await screen.findByTestId('login-page');
    server.offline = true;
    await user.type(screen.getByLabelText('邮箱'), kAlice.email);
    await user.type(screen.getByLabelText('密码'), kAlice.password);
    await user.click(screen.getByTestId('login-submit'));
    const alert = await screen.findByTestId('form-error');
    expect(alert.textContent).toContain('无法连接服务器，请检查网络后重试');
  });

  it('says how long a locked account must wait', async () => {
    const { user } = start(kAgent, '/login', (s) => {
      s.addAccount(kAlice);
      s.lockedFor = 300;
    });
    await screen.findByTestId('login-page');
    await user.type(screen.getByLabelText('邮箱'), kAlice.email);
    await user.type(screen.getByLabelText('密码'), kAlice.password);
    await user.click(screen.getByTestId('login-submit'));
    const alert = await screen.findByTestId('form-error');
    expect(alert.textContent).toContain('账号已暂时锁定。请在 5 分钟后重试。');
  });

  it('logs in in English and goes home', async () => {
    window.localStorage.setItem(kLanguageStorageKey, 'en');
    const { user } = start(kAgent, '/login', (s) =>
      s.addAccount({ ...kAlice, role: 'reviewer', locale: 'en' }),
    );
    await screen.findByTestId('login-page');
    await user.type(screen.getByLabelText('E-mail'), kAlice.email);
    await user.type(screen.getByLabelText('Password'), kAlice.password);
    await user.click(screen.getByTestId('login-submit'));
    await screen.findByTestId('home-page');
    expect(screen.getByTestId('user-role').textContent).toBe('Reviewer');
    // A reviewer's overview offers the review queue and the shipping list.
    expect(screen.getByTestId('feature-review-queue').textContent).toContain('Review queue');
    expect(screen.getByTestId('feature-review-shipping').textContent).toContain('Shipping list');
  });
});

describe('authority console', () => {
  it('has no registration and talks to /authority/v1', async () => {
    const { server, user } = start(kAuthority, '/register', (s) =>
      s.addAccount({ ...kAlice, role: 'authority_reviewer' }),
    );
    await screen.findByTestId('login-page');
    expect(screen.getByRole('heading', { name: '管局审核员登录' })).toBeTruthy();
    expect(screen.queryByText('立即注册')).toBeNull();
    // Its users cannot register, so the page does not speak of a registered e-mail.
    expect(screen.getByTestId('login-subtitle').textContent).toBe(
      '使用管理员为您开设的账号登录审核控制台',
    );
    expect(document.title).toBe('管局审核控制台 - ICP 备案');
    await user.type(screen.getByLabelText('邮箱'), kAlice.email);
    await user.type(screen.getByLabelText('密码'), kAlice.password);
    await user.click(screen.getByTestId('login-submit'));
    await screen.findByTestId('home-page');
    expect(screen.getByTestId('user-role').textContent).toBe('管局审核员');
    expect(server.requests.every((r) => r.path.startsWith('/authority/v1/'))).toBe(true);
  });
});

async function loginAs(user: ReturnType<typeof userEvent.setup>, email: string, password: string) {
  await screen.findByTestId('login-page');
  await user.type(screen.getByLabelText('邮箱'), email);
  await user.type(screen.getByLabelText('密码'), password);
  await user.click(screen.getByTestId('login-submit'));
}

describe('session handling', () => {
  it('returns to login on a 401 from any call, then back to the page with its query', async () => {
    const { server, user } = start(
      kAgent,
      '/things?tab=2',
      (s) => {
        s.addAccount(kAlice);
        s.session = s.accounts[0];
      },
      kWithThings,
    );
    expect((await screen.findByTestId('things-page')).textContent).toBe('loading');
    await waitFor(() => expect(screen.getByTestId('things-page').textContent).toBe('first thing'));

    // The session ends on the server (expired, or ended from another device) ...
    server.session = null;
    server.things = ['second thing'];
    // ... and the page's next call is answered 401.
    await user.click(screen.getByTestId('things-reload'));
    expect(await screen.findByTestId('login-page')).toBeTruthy();
    expect(screen.getByTestId('session-ended').textContent).toContain('登录已失效');

    await loginAs(user, kAlice.email, kAlice.password);
    await waitFor(() =>
      expect(screen.getByTestId('things-page').textContent).toBe('second thing'),
    );
  });

  it('checks the session again when the tab comes back into view', async () => {
    const { server } = start(kAgent, '/no-such-page#here', (s) => {
      s.addAccount(kAlice);
      s.session = s.accounts[0];
    });
    expect(await screen.findByText('页面不存在')).toBeTruthy();
    server.session = null;
    act(() => {
      fireEvent(window, new Event('visibilitychange'));
    });
    expect(await screen.findByTestId('session-ended')).toBeTruthy();
    const mes = server.requests.filter((r) => r.path.endsWith('/me'));
    expect(mes.length).toBe(2);
  });

  it('keeps the user in when a later session check fails with a 5xx', async () => {
    const { server } = start(kAgent, '/', (s) => {
      s.addAccount(kAlice);
      s.session = s.accounts[0];
    });
    await screen.findByTestId('home-page');
    server.meStatus = 502;
    act(() => {
      fireEvent(window, new Event('visibilitychange'));
    });
    await waitFor(() =>
      expect(server.requests.filter((r) => r.path.endsWith('/me')).length).toBe(2),
    );
    // Give a wrong reaction the time to show.
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.getByTestId('home-page')).toBeTruthy();
    expect(screen.queryByTestId('login-page')).toBeNull();
    expect(screen.queryByTestId('outage')).toBeNull();
  });

  it('does not tell a first-time visitor that a session ended', async () => {
    start(kAgent, '/');
    await screen.findByTestId('login-page');
    expect(screen.queryByTestId('session-ended')).toBeNull();
  });

  it('shows an outage, not a logout, when /me fails with a 5xx, and recovers on retry', async () => {
    const { server, user } = start(kAgent, '/', (s) => {
      s.addAccount(kAlice);
      s.session = s.accounts[0];
      s.meStatus = 503;
    });
    const outage = await screen.findByTestId('outage');
    expect(outage.textContent).toContain('暂时无法连接备案服务');
    expect(screen.queryByTestId('login-page')).toBeNull();
    server.meStatus = null;
    await user.click(screen.getByTestId('outage-retry'));
    expect(await screen.findByTestId('home-page')).toBeTruthy();
  });

  it('shows an outage when /me cannot be reached at all', async () => {
    start(kAgent, '/', (s) => {
      s.offline = true;
    });
    const outage = await screen.findByTestId('outage');
    expect(outage.textContent).toContain('无法连接服务器');
    expect(screen.queryByTestId('login-page')).toBeNull();
  });

  it("applies the account's saved language at login", async () => {
    const { i18n, user } = start(kAgent, '/login', (s) => s.addAccount({ ...kAlice, locale: 'en' }));
    await loginAs(user, kAlice.email, kAlice.password);
    await screen.findByTestId('home-page');
    await waitFor(() => expect(screen.getByTestId('user-role').textContent).toBe('Applicant'));
    expect(i18n.language).toBe('en');
    expect(window.localStorage.getItem(kLanguageStorageKey)).toBe('en');
  });

  it("follows the browser's language on a first visit", async () => {
    setBrowserLanguages(['en-US', 'en']);
    start(kAgent, '/login');
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeTruthy();
    expect(document.title).toBe('Provider filing console - ICP Filing');
  });
});

describe('throttling', () => {
  it('counts the wait down and lets the user try again when it is over', async () => {
    const { server, user } = start(kAgent, '/login', (s) => {
      s.addAccount(kAlice);
      s.lockedFor = 3;
    });
    await loginAs(user, kAlice.email, kAlice.password);
    const alert = await screen.findByTestId('form-error');
    expect(alert.textContent).toContain('请在 3 秒后重试');
    const submit = screen.getByTestId('login-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await waitFor(() => expect(screen.getByTestId('form-error').textContent).toContain('2 秒'));
    await waitFor(() => expect(screen.getByTestId('form-error').textContent).toContain('1 秒'));
    await waitFor(() =>
      expect(screen.getByTestId('form-error').textContent).toContain('现在可以重试'),
    );
    expect(submit.disabled).toBe(false);
    server.lockedFor = null;
    await user.click(submit);
    expect(await screen.findByTestId('home-page')).toBeTruthy();
  });
});

describe('features', () => {
  it('lists only the pages a role can open, as links', async () => {
    const { user } = start(
      kAgent,
      '/',
      (s) => {
        s.addAccount(kAlice);
        s.session = s.accounts[0];
      },
      kWithThings,
    );
    await screen.findByTestId('home-page');
    const link = within(screen.getByTestId('features')).getByTestId('feature-things');
    await user.click(link);
    await waitFor(() => expect(screen.getByTestId('things-page').textContent).toBe('first thing'));
  });

  it('hides a page from roles it is not for, in the overview and at its address', async () => {
    start(
      kAgent,
      '/things',
      (s) => {
        s.addAccount({ ...kAlice, role: 'reviewer' });
        s.session = s.accounts[0];
      },
      kWithThings,
    );
    expect(await screen.findByText('页面不存在')).toBeTruthy();
    expect(screen.queryByTestId('nav-things')).toBeNull();
  });
});

describe('narrow screens', () => {
  it('open the menu as a drawer from a header button and keep the console name', async () => {
    setViewportWidth(390);
    const { user } = start(kAgent, '/', (s) => {
      s.addAccount(kAlice);
      s.session = s.accounts[0];
    });
    await screen.findByTestId('home-page');
    expect(screen.queryByTestId('nav-sider')).toBeNull();
    expect(screen.getByTestId('console-name').textContent).toBe('服务商备案控制台');
    expect(document.querySelector('.nav-drawer.ant-drawer-open')).toBeNull();
    await user.click(screen.getByTestId('menu-button'));
    const drawer = await screen.findByTestId('nav-drawer');
    expect(document.querySelector('.nav-drawer.ant-drawer-open')).not.toBeNull();
    await user.click(within(drawer).getByTestId('nav-home'));
    await waitFor(() => expect(document.querySelector('.nav-drawer.ant-drawer-open')).toBeNull());
  });

  it('keep the side menu on wide screens', async () => {
    start(kAgent, '/', (s) => {
      s.addAccount(kAlice);
      s.session = s.accounts[0];
    });
    await screen.findByTestId('home-page');
    expect(screen.getByTestId('nav-sider')).toBeTruthy();
    expect(screen.queryByTestId('menu-button')).toBeNull();
    expect(document.title).toBe('服务商备案控制台 - ICP 备案');
  });
});

describe('register extras', () => {
  it('cleans +86 138 0013 8000 to the 11 digits the server wants', async () => {
    const { server, user } = start(kAgent, '/register');
    await screen.findByTestId('register-page');
    await fillRegister(user, {
      email: 'erin@example.com',
      phone: '+86 138 0013 8000',
      name: 'Erin',
      password: 'erin-password-1',
    });
    await user.click(screen.getByTestId('register-submit'));
    await screen.findByTestId('home-page');
    expect(server.lastRegistration?.phone).toBe('13800138000');
  });

  it('hints at the password strength and shows the server refusing a common one', async () => {
    const { user } = start(kAgent, '/register');
    await screen.findByTestId('register-page');
    expect(screen.queryByTestId('password-strength')).toBeNull();
    await user.type(screen.getByLabelText('密码'), '1234567890');
    const hint = await screen.findByTestId('password-strength');
    expect(hint.dataset.score).toBe('0');
    expect(hint.textContent).toContain('密码强度：很弱');
    await user.clear(screen.getByLabelText('密码'));
    await user.type(screen.getByLabelText('密码'), 'kfjwmtzr9p-Lx');
    await waitFor(() =>
      expect(screen.getByTestId('password-strength').textContent).toContain('很强'),
    );

    await user.clear(screen.getByLabelText('密码'));
    await fillRegister(user, {
      email: 'frank@example.com',
      phone: '13700003333',
      name: 'Frank',
      password: 'password1234',
    });
    await user.click(screen.getByTestId('register-submit'));
    await waitFor(() =>
      expect(fieldError('密码')).toBe('该密码过于常见，容易被猜中，请换一个'),
    );
  });
});
