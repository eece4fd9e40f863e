// The two languages must offer the same keys, none empty, and cover every code the API names.
import { describe, expect, it } from 'vitest';
import zhCN from './locales/zh-CN';
import en from './locales/en';
import {
  browserLanguage,
  createI18n,
  kLanguageStorageKey,
  storedLanguage,
  switchLanguage,
} from '.';
import { kRoles } from '../lib/roles';
import { setBrowserLanguages } from '../test/browser';

function flatten(obj: object, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out[key] = v;
    else Object.assign(out, flatten(v as object, key));
  }
  return out;
}

const zhKeys = flatten(zhCN);
const enKeys = flatten(en);

describe('locales', () => {
  it('have the same keys in zh-CN and en', () => {
    expect(Object.keys(enKeys).sort()).toEqual(Object.keys(zhKeys).sort());
  });

  it('have no empty text', () => {
    for (const [k, v] of [...Object.entries(zhKeys), ...Object.entries(enKeys)]) {
      expect(v.trim(), k).not.toBe('');
    }
  });

  it('use the same placeholders in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(zhKeys)) expect(vars(enKeys[k]), k).toEqual(vars(zhKeys[k]));
  });

  it('write every zh-CN text in Chinese', () => {
    // Language names and an e-mail example are the same in both languages by nature.
    const universal = new Set(['lang.zh', 'lang.en', 'login.email_placeholder']);
    // A text of placeholders and punctuation only (a "{{label}}：{{text}}" template) has no
    // words to translate.
    const hasWords = (s: string) => /\p{L}/u.test(s.replace(/\{\{\w+\}\}/g, ''));
    const untranslated = Object.keys(zhKeys).filter(
      (k) => !universal.has(k) && hasWords(zhKeys[k]) && !/\p{Script=Han}/u.test(zhKeys[k]),
    );
    expect(untranslated).toEqual([]);
  });

  const fieldCodes = [
    'required',
    'invalid_email',
    'invalid_mobile',
    'password_too_short',
    'password_too_long',
    'password_equals_email',
    'password_mismatch',
    'too_long',
    'email_taken',
    'wrong_type',
    'invalid_characters',
    'unknown_role',
    'password_too_common',
    'password_too_simple',
  ];
  const globalCodes = [
    'invalid_credentials',
    'account_locked',
    'too_many_requests',
    'unauthenticated',
    'csrf_failed',
    'validation_failed',
    'email_taken',
    'network_error',
    'bad_response',
  ];

  it.each(fieldCodes)('name the field error %s in both languages', (code) => {
    expect(zhKeys[`errors.field.${code}`]).toBeDefined();
    expect(enKeys[`errors.field.${code}`]).toBeDefined();
  });

  it.each(globalCodes)('name the form error %s in both languages', (code) => {
    expect(zhKeys[`errors.code.${code}`]).toBeDefined();
    expect(enKeys[`errors.code.${code}`]).toBeDefined();
  });

  it.each(kRoles)('name role %s', (role) => {
    expect(zhKeys[`role.${role}`]).toBeDefined();
    expect(enKeys[`role.${role}`]).toBeDefined();
  });

  it('promise no functions outside the feature table (no ability lists)', () => {
    expect(Object.keys(zhKeys).filter((k) => k.startsWith('abilities.'))).toEqual([]);
  });
});

describe('language choice', () => {
  it('defaults to zh-CN', () => {
    expect(storedLanguage()).toBe('zh-CN');
    expect(createI18n().t('app.product')).toBe('ICP 备案');
  });

  it('follows the browser on a first visit: zh* is zh-CN, anything else English', () => {
    expect(browserLanguage(['zh-CN', 'en'])).toBe('zh-CN');
    expect(browserLanguage(['zh-TW'])).toBe('zh-CN');
    expect(browserLanguage(['zh_Hans'])).toBe('zh-CN');
    expect(browserLanguage(['zh'])).toBe('zh-CN');
    expect(browserLanguage(['en-US', 'zh-CN'])).toBe('en');
    expect(browserLanguage(['fr-FR'])).toBe('en');
    expect(browserLanguage(['zhx'])).toBe('en');
    expect(browserLanguage([])).toBe('zh-CN');
    setBrowserLanguages(['en-GB']);
    expect(storedLanguage()).toBe('en');
    expect(createI18n().t('app.product')).toBe('ICP Filing');
  });

  it('keeps the remembered choice over the browser language', () => {
    setBrowserLanguages(['en-US']);
    window.localStorage.setItem(kLanguageStorageKey, 'zh-CN');
    expect(storedLanguage()).toBe('zh-CN');
  });

  it('is remembered in the browser and restored', async () => {
    const i18n = createI18n();
    await switchLanguage(i18n, 'en');
    expect(i18n.t('app.product')).toBe('ICP Filing');
    expect(window.localStorage.getItem(kLanguageStorageKey)).toBe('en');
    expect(storedLanguage()).toBe('en');
    expect(createI18n().t('app.product')).toBe('ICP Filing');
    expect(document.documentElement.lang).toBe('en');
  });

  it('ignores a stored value that is no language of the app', () => {
    window.localStorage.setItem(kLanguageStorageKey, 'fr');
    expect(storedLanguage()).toBe('zh-CN');
    setBrowserLanguages(['en']);
    expect(storedLanguage()).toBe('en');
  });

  it('pluralises waiting times in English', () => {
    const i18n = createI18n('en');
    expect(i18n.t('errors.seconds', { count: 1 })).toBe('1 second');
    expect(i18n.t('errors.seconds', { count: 30 })).toBe('30 seconds');
  });
});
