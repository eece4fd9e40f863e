// Client-side form rules, the same as the server's, for quick feedback. Each returns an error
// code (the i18n key under errors.field) or null; the server's answer still decides.

export const kPasswordMinLength = 10;
export const kDisplayNameMaxLength = 64;
export const kEmailMaxLength = 254;

const kEmailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Mainland mobile numbers: 11 digits starting 13–19, optionally written with +86.
const kMobilePattern = /^(?:\+?86)?1[3-9]\d{9}$/;

export type FieldCode =
  | 'required'
  | 'invalid_email'
  | 'invalid_mobile'
  | 'password_too_short'
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

export function validateEmail(value: string | undefined): FieldCode | null {
  if (isBlank(value)) return 'required';
  const v = value!.trim();
  if (v.length > kEmailMaxLength || !kEmailPattern.test(v)) return 'invalid_email';
  return null;
}

export function normalizeMobile(value: string): string {
  return value.replace(/[\s-]/g, '');
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
  if (email && value.trim().toLowerCase() === email.trim().toLowerCase()) {
    return 'password_equals_email';
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
