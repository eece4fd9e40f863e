// Client-side form rules, the same as the server's, for quick feedback. Each returns an error
// code (the i18n key under errors.field) or null; the server's answer still decides.

export const kPasswordMinLength = 10;
export const kPasswordMaxBytes = 256;
export const kDisplayNameMaxLength = 64;
export const kEmailMaxLength = 254;

// The server's address syntax (src/accounts/account_rules.cc): an ASCII local part of "atext"
// and dots, at most 64 long, and a dotted ASCII domain of letter-digit-hyphen labels.
const kLocalPattern = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
const kLabelPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
// Mainland mobile numbers: 11 digits starting 13–19.
const kMobilePattern = /^1[3-9]\d{9}$/;

export type FieldCode =
  | 'required'
  | 'invalid_email'
  | 'invalid_mobile'
  | 'password_too_short'
  | 'password_too_long'
  | 'password_equals_email'
  | 'password_mismatch'
  | 'too_long';

function isBlank(value: string | undefined | null): boolean {
  return value === undefined || value === null || value.trim() === '';
}

// Length in characters as a person counts them (code points, not UTF-16 units).
function charLength(value: string): number {
  return [...value].length;
}

function isValidEmail(email: string): boolean {
  if (email.length > kEmailMaxLength) return false;
  const at = email.lastIndexOf('@');
  if (at <= 0) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!kLocalPattern.test(local) || local.startsWith('.') || local.endsWith('.')) return false;
  if (local.includes('..')) return false;
  if (domain.length > 253 || !domain.includes('.')) return false;
  return domain.split('.').every((label) => kLabelPattern.test(label));
}

export function validateEmail(value: string | undefined): FieldCode | null {
  if (isBlank(value)) return 'required';
  return isValidEmail(value!.trim()) ? null : 'invalid_email';
}

// The number as the server wants it: digits only, without a +86 / 0086 country prefix that
// people often type.
export function normalizeMobile(value: string): string {
  const digits = value.replace(/[\s()-]/g, '');
  const m = /^(?:\+86|0086|86)(1\d{10})$/.exec(digits);
  return m ? m[1] : digits;
}

export function validateMobile(value: string | undefined): FieldCode | null {
  if (isBlank(value)) return 'required';
  return kMobilePattern.test(normalizeMobile(value!)) ? null : 'invalid_mobile';
}

export function validatePassword(
  value: string | undefined,
  email: string | undefined,
): FieldCode | null {
  if (value === undefined || value === '') return 'required';
  if (charLength(value) < kPasswordMinLength) return 'password_too_short';
  if (new TextEncoder().encode(value).length > kPasswordMaxBytes) return 'password_too_long';
  // Like the server: neither the whole address nor its local part, ignoring case.
  const normalizedEmail = (email ?? '').trim().toLowerCase();
  if (normalizedEmail) {
    const lowered = value.trim().toLowerCase();
    const local = normalizedEmail.split('@')[0];
    if (lowered === normalizedEmail || lowered === local) return 'password_equals_email';
  }
  return null;
}

export function validateConfirm(
  value: string | undefined,
  password: string | undefined,
): FieldCode | null {
  if (value === undefined || value === '') return 'required';
  return value === password ? null : 'password_mismatch';
}

export function validateDisplayName(value: string | undefined): FieldCode | null {
  if (isBlank(value)) return 'required';
  return charLength(value!.trim()) > kDisplayNameMaxLength ? 'too_long' : null;
}

// Login only needs something in each box; the server judges the rest.
export function validateRequired(value: string | undefined): FieldCode | null {
  return isBlank(value) ? 'required' : null;
}
