// The public SMS verification page (/verify on 8090) in jsdom against the fake authority: no
// sign-in; inputs checked before sending; each answer said plainly — verified with others still
// to go, verified by all, a wrong code with the attempts left, the last attempt, too many wrong
// entries (expired), no matching code, resend and its limit — in zh-CN and en, at phone width;
// the agent has no such page.
import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../app/App';
import { ApiClient, ApiError } from '../../api/client';
import type { AppConfig } from '../../api/config';
import { createI18n, type Language } from '../../i18n';
import { FakeServer } from '../../test/fakeServer';
import { FakeAuthority, makeSubmission } from '../../test/fakeAuthority';
import { setViewportWidth } from '../../test/browser';
import { attemptsLeft } from './VerifyPage';

const kAuthority: AppConfig = { service: 'authority', api_base: '/authority/v1', version: 'test' };
const kAgent: AppConfig = { service: 'agent', api_base: '/api/v1', version: 'test' };

function start(lang: Language = 'zh-CN', config: AppConfig = kAuthority) {
  const server = new FakeServer(config);
  const authority = new FakeAuthority(server);
  const sub = makeSubmission('s1', 'sms_verification');
  authority.submissions.push(sub);
  for (const [person, mobile, idLast6, code] of [
    ['organizer', '13900000001', '12345X', '111111'],
    ['website:0', '13900000002', '654321', '222222'],
  ]) {
    authority.codes.push({
      submissionId: 's1',
      person,
      mobile,
      idLast6,
      code,
      attemptsWrong: 0,
      resends: 0,
      expired: false,
      verified: false,
    });
  }
  const client = new ApiClient(config.api_base, server.fetch);
  render(<App services={{ config, client }} i18n={createI18n(lang)} initialPath="/verify" />);
  return { server, authority, user: userEvent.setup() };
}

async function fill(user: ReturnType<typeof userEvent.setup>, mobile: string, last6: string, code?: string) {
  for (const [id, v] of [
    ['verify-mobile', mobile],
    ['verify-id-last6', last6],
    ['verify-code', code],
  ] as const) {
    const input = screen.getByTestId(id);
    await user.clear(input);
    if (v) await user.type(input, v);
  }
}

async function outcome(code: string): Promise<string> {
  const alert = await waitFor(() => {
    const el = screen.getByTestId('verify-outcome');
    expect(el.getAttribute('data-outcome')).toBe(code);
    return el;
  });
  return alert.textContent ?? '';
}

describe('SMS verification page', () => {
  it('verifies both persons without signing in, saying who is left', async () => {
    const { user, authority, server } = start();
    await screen.findByTestId('verify-page');
    expect(server.session).toBeNull();
    // Lower-case x is accepted for the ID number's check character.
    await fill(user, '13900000001', '12345x', '111111');
    await user.click(screen.getByTestId('verify-submit'));
    expect(await outcome('verified_more')).toContain('还有 1 位负责人需要完成核验');
    expect(authority.verifications[0]).toEqual({ mobile: '13900000001', id_last6: '12345X', code: '111111' });
    await fill(user, '13900000002', '654321', '222222');
    await user.click(screen.getByTestId('verify-submit'));
    expect(await outcome('verified_all')).toContain('备案申请已进入管局审核');
    expect(authority.submissions[0].state).toBe('under_review');
  });

  it('checks the inputs before sending', async () => {
    const { user, authority } = start();
    await screen.findByTestId('verify-page');
    await fill(user, '1390000', '12', '12a');
    await user.click(screen.getByTestId('verify-submit'));
    await screen.findByText('请输入 11 位中国大陆手机号码');
    await screen.findByText('请输入证件号码的最后 6 位（数字，最后一位可以是 X）');
    await screen.findByText('请输入短信中的 6 位数字验证码');
    expect(authority.verifications).toHaveLength(0);
  });

  it('counts wrong codes down, warns at the last attempt, and says the code expired after the fifth', async () => {
    const { user, authority } = start();
    await screen.findByTestId('verify-page');
    await fill(user, '13900000001', '12345X', '999999');
    await user.click(screen.getByTestId('verify-submit'));
    expect(await outcome('sms_code_wrong')).toContain('还可以再试 4 次');
    for (let i = 0; i < 3; i++) await user.click(screen.getByTestId('verify-submit'));
    await waitFor(() => expect(screen.getByTestId('verify-outcome').textContent).toContain('这是最后一次机会'));
    await user.click(screen.getByTestId('verify-submit'));
    expect(await outcome('sms_code_expired')).toContain('已退回接入服务商');
    expect(authority.submissions[0].state).toBe('rejected');
    // Later entries, even the right code, keep saying so.
    await fill(user, '13900000001', '12345X', '111111');
    await user.click(screen.getByTestId('verify-submit'));
    expect(await outcome('sms_code_expired')).toContain('验证码已失效');
  });

  it('says when nothing matches the mobile and ID number', async () => {
    const { user } = start();
    await screen.findByTestId('verify-page');
    await fill(user, '13900000009', '12345X', '111111');
    await user.click(screen.getByTestId('verify-submit'));
    expect(await outcome('sms_code_not_found')).toContain('没有找到与该手机号码和证件号码后 6 位匹配的待核验验证码');
  });

  it('resends a code three times, then says the limit is reached', async () => {
    const { user, authority } = start();
    await screen.findByTestId('verify-page');
    // Resending needs the mobile and the ID number only.
    await fill(user, '13900000002', '654321');
    await user.click(screen.getByTestId('verify-resend'));
    expect(await outcome('resent')).toContain('还可以重发 2 次');
    await user.click(screen.getByTestId('verify-resend'));
    await user.click(screen.getByTestId('verify-resend'));
    await waitFor(() => expect(screen.getByTestId('verify-outcome').textContent).toContain('还可以重发 0 次'));
    await user.click(screen.getByTestId('verify-resend'));
    expect(await outcome('sms_resend_limit')).toContain('重发次数已达上限');
    expect(authority.codes[1].resends).toBe(3);
    // The latest code works.
    await fill(user, '13900000002', '654321', authority.codes[1].code);
    await user.click(screen.getByTestId('verify-submit'));
    expect(await outcome('verified_more')).toContain('还有 1 位');
  });

  it('speaks English at phone width', async () => {
    setViewportWidth(375);
    const { user } = start('en');
    await screen.findByText('Filing SMS verification');
    expect(screen.getByText('Mobile number')).toBeTruthy();
    expect(screen.getByText('Last 6 of the ID number')).toBeTruthy();
    await fill(user, '13900000001', '12345X', '000000');
    await user.click(screen.getByTestId('verify-submit'));
    expect(await outcome('sms_code_wrong')).toBe('Wrong code. 4 attempt(s) left.');
    await fill(user, '13900000001', '12345X', '111111');
    await user.click(screen.getByTestId('verify-submit'));
    expect(await outcome('verified_more')).toContain('1 more person(s) in charge must verify');
    // No menu, no sign-in needed at phone width either.
    expect(screen.queryByTestId('menu-button')).toBeNull();
  });

  it('does not exist on the agent', async () => {
    const server = new FakeServer(kAgent);
    const client = new ApiClient(kAgent.api_base, server.fetch);
    render(<App services={{ config: kAgent, client }} i18n={createI18n('zh-CN')} initialPath="/verify" />);
    await screen.findByTestId('login-page');
    expect(screen.queryByTestId('verify-page')).toBeNull();
  });

  it('reads the attempts left from the error details', () => {
    const e = (details: Array<{ field: string; message: string }>) =>
      new ApiError(422, 'sms_code_wrong', 'wrong', details.map((d) => ({ ...d, code: 'sms_code_wrong' })));
    expect(attemptsLeft(e([{ field: 'attempts_left', message: '3' }]))).toBe(3);
    expect(attemptsLeft(e([{ field: 'code', message: 'attempts_left=2' }]))).toBe(2);
    expect(attemptsLeft(e([{ field: 'code', message: 'wrong code' }]))).toBeNull();
  });
});
