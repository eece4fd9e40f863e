// API failures land next to the right field, in the chosen language, or above the form.
import { describe, expect, it } from 'vitest';
import { ApiError, errorFromResponse } from '../api/client';
import { createI18n } from '../i18n';
import { fieldErrorText, globalErrorText, mapApiError } from './errors';

const kFields = ['email', 'phone', 'display_name', 'password', 'confirm'];
const zh = createI18n('zh-CN').t;
const en = createI18n('en').t;

describe('mapApiError', () => {
  it('puts validation details next to their fields, with no banner', () => {
    const err = new ApiError(400, 'validation_failed', 'invalid', [
      { field: 'password', code: 'password_too_short', message: 'at least 10 characters' },
      { field: 'phone', code: 'invalid_mobile', message: 'not a mobile number' },
    ]);
    const m = mapApiError(err, kFields);
    expect(m.global).toBeNull();
    expect(m.fields.password.code).toBe('password_too_short');
    expect(m.fields.phone.code).toBe('invalid_mobile');
    expect(fieldErrorText(zh, m.fields.password)).toBe('密码至少需要 10 个字符');
    expect(fieldErrorText(en, m.fields.password)).toBe('The password needs at least 10 characters');
  });

  it('keeps the first problem of a field', () => {
    const err = new ApiError(400, 'validation_failed', 'invalid', [
      { field: 'email', code: 'required', message: 'required' },
      { field: 'email', code: 'invalid_email', message: 'bad' },
    ]);
    expect(mapApiError(err, kFields).fields.email.code).toBe('required');
  });

  it('matches a nested field path on its last segment', () => {
    const err = new ApiError(400, 'validation_failed', 'invalid', [
      { field: 'user.email', code: 'invalid_email', message: 'bad' },
    ]);
    expect(mapApiError(err, kFields).fields.email.code).toBe('invalid_email');
  });

  it('places email_taken on the e-mail field even without details', () => {
    const m = mapApiError(new ApiError(409, 'email_taken', 'e-mail already registered'), kFields);
    expect(m.global).toBeNull();
    expect(fieldErrorText(zh, m.fields.email)).toBe('该邮箱已被注册');
    expect(fieldErrorText(en, m.fields.email)).toBe('This e-mail address is already registered');
  });

  it('places email_taken as a detail on the e-mail field', () => {
    const err = new ApiError(409, 'email_taken', 'taken', [
      { field: 'email', code: 'email_taken', message: 'taken' },
    ]);
    expect(mapApiError(err, kFields).fields.email.code).toBe('email_taken');
  });

  it('shows details on unknown fields in the banner', () => {
    const err = new ApiError(400, 'unknown_field', 'unknown field', [
      { field: 'nickname', code: 'unknown_field', message: 'not accepted' },
    ]);
    const m = mapApiError(err, kFields);
    expect(m.fields).toEqual({});
    expect(m.global?.code).toBe('unknown_field');
    expect(m.global?.extra).toHaveLength(1);
  });

  it('shows wrong credentials above the form in the chosen language', () => {
    const m = mapApiError(new ApiError(401, 'invalid_credentials', 'wrong'), ['email', 'password']);
    expect(m.fields).toEqual({});
    expect(globalErrorText(zh, m.global!)).toBe('邮箱或密码不正确');
    expect(globalErrorText(en, m.global!)).toBe('Wrong e-mail or password');
  });

  it('says when to retry a locked account', () => {
    const err = new ApiError(429, 'account_locked', 'locked; retry in 15 minutes', [], 900);
    const g = mapApiError(err, kFields).global!;
    expect(globalErrorText(zh, g)).toBe('登录失败次数过多，账号已暂时锁定。请在 15 分钟后重试。');
    expect(globalErrorText(en, g)).toBe(
      'Too many failed logins: the account is locked for a while. Please try again in 15 minutes.',
    );
    const soon = mapApiError(new ApiError(429, 'too_many_requests', 'slow down', [], 30), kFields);
    expect(globalErrorText(en, soon.global!)).toBe('Too many requests. Please try again in 30 seconds.');
  });

  it('falls back to the server message when no Retry-After came', () => {
    const err = new ApiError(429, 'account_locked', 'locked until 10:15 UTC');
    expect(globalErrorText(en, mapApiError(err, kFields).global!)).toContain('locked until 10:15 UTC');
  });

  it('falls back to the server message for codes the UI does not know', () => {
    const err = new ApiError(400, 'brand_new_code', 'Something specific went wrong', [
      { field: 'email', code: 'domain_blocked', message: 'This mail domain is blocked' },
    ]);
    const m = mapApiError(err, kFields);
    expect(fieldErrorText(zh, m.fields.email)).toBe('This mail domain is blocked');
    const g = mapApiError(new ApiError(500, 'brand_new_code', 'Something specific'), kFields);
    expect(globalErrorText(zh, g.global!)).toBe('Something specific');
  });

  it('reports a network failure above the form', () => {
    const g = mapApiError(new ApiError(0, 'network_error', 'Failed to fetch'), kFields).global!;
    expect(globalErrorText(zh, g)).toBe('无法连接服务器，请检查网络后重试');
    const other = mapApiError(new TypeError('boom'), kFields).global!;
    expect(other.code).toBe('network_error');
  });
});

describe('details cut by the server', () => {
  it('keeps details_total from the answer', async () => {
    const details = Array.from({ length: 20 }, (_, i) => ({
      field: `k${i}`,
      code: 'unknown_field',
      message: 'not accepted',
    }));
    const res = new Response(
      JSON.stringify({
        error: { code: 'unknown_field', message: 'unknown fields', details, details_total: 930000 },
      }),
      { status: 400, headers: { 'Content-Type': 'application/json' } },
    );
    const err = await errorFromResponse(res);
    expect(err.details).toHaveLength(20);
    expect(err.detailsTotal).toBe(930000);
    expect(mapApiError(err, kFields).global?.omitted).toBe(929980);
  });

  it('keeps the banner when fields explain only part of the problems', () => {
    const err = new ApiError(
      400,
      'validation_failed',
      'invalid',
      [{ field: 'email', code: 'invalid_email', message: 'bad' }],
      null,
      25,
    );
    const m = mapApiError(err, kFields);
    expect(m.fields.email.code).toBe('invalid_email');
    expect(m.global?.omitted).toBe(24);
    expect(zh('errors.more_details', { count: 24 })).toBe('……另有 24 项问题未列出');
    expect(en('errors.more_details', { count: 1 })).toBe('…and 1 more problem not listed');
  });
});
