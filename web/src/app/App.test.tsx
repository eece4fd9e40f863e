// Whole-app tests in jsdom against a fake accounts API: guards, forms, errors beside fields in
// both languages, language switch, logout. The browser suite (tests/e2e) repeats the journeys
// against the real server.
import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from './App';
import { ApiClient } from '../api/client';
import type { AppConfig } from '../api/config';
import { createI18n, kLanguageStorageKey } from '../i18n';
import { FakeServer } from '../test/fakeServer';

const kAgent: AppConfig = { service: 'agent', api_base: '/api/v1', version: 'test' };
const kAuthority: AppConfig = { service: 'authority', api_base: '/authority/v1', version: 'test' };

function start(config: AppConfig, path: string, setup?: (s: FakeServer) => void) {
  const server = new FakeServer(config);
  setup?.(server);
  const i18n = createI18n();
  const client = new ApiClient(config.api_base, server.fetch);
  const user = userEvent.setup();
  render(<App services={{ config, client }} i18n={i18n} initialPath={path} />);
  return { server, i18n, client, user };
}

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

  it('shows the server error next to the field and follows the language switch', async () => {
    const { user } = start(kAgent, '/register', (s) => s.addAccount(kAlice));
    await screen.findByTestId('register-page');
    await fillRegister(user, {
      email: kAlice.email,
      phone: '13900001111',
      name: 'Someone',
      password: 'some-password-1',
    });
    await user.click(screen.getByTestId('register-submit'));
    await waitFor(() => expect(fieldError('邮箱')).toBe('该邮箱已被注册'));
    expect(screen.queryByTestId('form-error')).toBeNull();

    await user.click(screen.getByTestId('lang-switch'));
    await user.click(await screen.findByTestId('lang-option-en'));
    await waitFor(() =>
      expect(fieldError('E-mail')).toBe('This e-mail address is already registered'),
    );
    expect(window.localStorage.getItem(kLanguageStorageKey)).toBe('en');

    // Editing the field clears the server's verdict on it.
    await user.type(screen.getByLabelText('E-mail'), 'x');
    await waitFor(() => expect(fieldError('E-mail')).toBeNull());
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
    expect(within(home).getByText('为您的网站提交 ICP 备案申请')).toBeTruthy();
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
    const { user } = start(kAgent, '/login', (s) => s.addAccount({ ...kAlice, role: 'reviewer' }));
    await screen.findByTestId('login-page');
    await user.type(screen.getByLabelText('E-mail'), kAlice.email);
    await user.type(screen.getByLabelText('Password'), kAlice.password);
    await user.click(screen.getByTestId('login-submit'));
    await screen.findByTestId('home-page');
    expect(screen.getByTestId('user-role').textContent).toBe('Reviewer');
    expect(screen.getByText('Ship backdrops')).toBeTruthy();
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
    await user.type(screen.getByLabelText('邮箱'), kAlice.email);
    await user.type(screen.getByLabelText('密码'), kAlice.password);
    await user.click(screen.getByTestId('login-submit'));
    await screen.findByTestId('home-page');
    expect(screen.getByTestId('user-role').textContent).toBe('管局审核员');
    expect(server.requests.every((r) => r.path.startsWith('/authority/v1/'))).toBe(true);
  });
});
