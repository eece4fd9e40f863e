// The client-side rules mirror the server's: each case names the code the server would send.
import { describe, expect, it } from 'vitest';
import {
  normalizeMobile,
  validateConfirm,
  validateDisplayName,
  validateEmail,
  validateMobile,
  validatePassword,
  validateRequired,
} from './validation';

describe('validateEmail', () => {
  it.each([
    ['', 'required'],
    ['   ', 'required'],
    [undefined, 'required'],
    ['plain', 'invalid_email'],
    ['a@b', 'invalid_email'],
    ['a b@example.com', 'invalid_email'],
    ['@example.com', 'invalid_email'],
    [`${'a'.repeat(250)}@example.com`, 'invalid_email'],
    ['user@example.com', null],
    [' user@example.com ', null],
    ['USER@Example.COM', null],
    ['first.last+tag@sub.example.cn', null],
    ['张三@例子.中国', 'invalid_email'],
    ['.a@example.com', 'invalid_email'],
    ['a..b@example.com', 'invalid_email'],
    ['a@-example.com', 'invalid_email'],
    ['a@example', 'invalid_email'],
    [`${'a'.repeat(65)}@example.com`, 'invalid_email'],
  ])('%s → %s', (value, code) => {
    expect(validateEmail(value)).toBe(code);
  });
});

describe('validateMobile', () => {
  it.each([
    ['', 'required'],
    ['12345', 'invalid_mobile'],
    ['12012345678', 'invalid_mobile'],
    ['1381234567', 'invalid_mobile'],
    ['138123456789', 'invalid_mobile'],
    ['13812345678', null],
    ['138 1234 5678', null],
    ['+8613812345678', null],
    ['+86 138-1234-5678', null],
    ['+8612812345678', 'invalid_mobile'],
    ['19912345678', null],
  ])('%s → %s', (value, code) => {
    expect(validateMobile(value)).toBe(code);
  });

  it('sends the number without spaces, dashes or country prefix', () => {
    expect(normalizeMobile('138-1234 5678')).toBe('13812345678');
    expect(normalizeMobile('+86 138 1234 5678')).toBe('13812345678');
    expect(normalizeMobile('0086-13812345678')).toBe('13812345678');
    expect(normalizeMobile('8613812345678')).toBe('13812345678');
  });
});

describe('validatePassword', () => {
  it.each([
    ['', 'a@b.cn', 'required'],
    ['short', 'a@b.cn', 'password_too_short'],
    ['123456789', 'a@b.cn', 'password_too_short'],
    ['1234567890', 'a@b.cn', null],
    ['user@example.com', 'user@example.com', 'password_equals_email'],
    ['USER@example.com', 'user@example.com', 'password_equals_email'],
    ['user@example.com', undefined, null],
    ['userpassword', 'userpassword@example.com', 'password_equals_email'],
    ['UserPassword', 'userpassword@example.com', 'password_equals_email'],
    ['userpassword1', 'userpassword@example.com', null],
    ['x'.repeat(257), 'a@b.cn', 'password_too_long'],
    ['x'.repeat(256), 'a@b.cn', null],
    ['密'.repeat(86), 'a@b.cn', 'password_too_long'],
  ])('%s (email %s) → %s', (value, email, code) => {
    expect(validatePassword(value, email)).toBe(code);
  });

  it('counts characters, not UTF-16 units', () => {
    // Five emoji are ten UTF-16 units but five characters.
    expect(validatePassword('😀😀😀😀😀', 'a@b.cn')).toBe('password_too_short');
    expect(validatePassword('密码密码密码密码密码', 'a@b.cn')).toBeNull();
  });

  it('does not trim the password (spaces are characters)', () => {
    expect(validatePassword('          ', 'a@b.cn')).toBeNull();
  });
});

describe('validateConfirm', () => {
  it('requires the same password twice', () => {
    expect(validateConfirm('', 'secret-password')).toBe('required');
    expect(validateConfirm('secret-passwore', 'secret-password')).toBe('password_mismatch');
    expect(validateConfirm('secret-password', 'secret-password')).toBeNull();
  });
});

describe('validateDisplayName', () => {
  it.each([
    ['', 'required'],
    ['  ', 'required'],
    ['张三', null],
    ['x'.repeat(64), null],
    ['x'.repeat(65), 'too_long'],
    ['张'.repeat(65), 'too_long'],
  ])('%s → %s', (value, code) => {
    expect(validateDisplayName(value)).toBe(code);
  });
});

describe('validateRequired', () => {
  it('accepts anything but blanks', () => {
    expect(validateRequired('')).toBe('required');
    expect(validateRequired(' ')).toBe('required');
    expect(validateRequired('x')).toBeNull();
  });
});
