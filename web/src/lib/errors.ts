// Turns an API failure into what a form shows: errors next to the fields they concern and, for
// the rest, one message above the form. Texts are looked up at render time from the codes, so
// a language switch re-renders them; a code the UI does not know falls back to the server's
// English message.
import type { TFunction } from 'i18next';
import { ApiError, kNetworkError } from '../api/client';

export interface FieldError {
  code: string;
  message: string;
}

export interface GlobalError {
  code: string;
  message: string;
  retryAfter: number | null;
  // Detail messages that name no field of this form.
  extra: FieldError[];
  // Problems the server found but did not list (it sends the first 20).
  omitted: number;
}

export interface MappedError {
  fields: Record<string, FieldError>;
  global: GlobalError | null;
}

// Top-level codes that belong to one field even when the server sends no detail for it.
const kCodeField: Record<string, string> = {
  email_taken: 'email',
};

function fieldOf(path: string, known: readonly string[]): string | null {
  if (known.includes(path)) return path;
  // "user.email" or "body.email" still concerns this form's e-mail box.
  const last = path.split('.').pop() ?? '';
  return known.includes(last) ? last : null;
}

export function mapApiError(error: unknown, known: readonly string[]): MappedError {
  if (!(error instanceof ApiError)) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      fields: {},
      global: { code: kNetworkError, message, retryAfter: null, extra: [], omitted: 0 },
    };
  }
  const fields: Record<string, FieldError> = {};
  const extra: FieldError[] = [];
  for (const d of error.details) {
    const field = fieldOf(d.field, known);
    // The first problem per field is the one to fix first; later ones would hide it.
    if (field !== null) {
      if (!fields[field]) fields[field] = { code: d.code || error.code, message: d.message };
    } else {
      extra.push({ code: d.code, message: d.field ? `${d.field}: ${d.message}` : d.message });
    }
  }
  const codeField = kCodeField[error.code];
  if (codeField && known.includes(codeField) && !fields[codeField]) {
    fields[codeField] = { code: error.code, message: error.message };
  }
  const anyField = Object.keys(fields).length > 0;
  const omitted = error.detailsTotal - error.details.length;
  // A validation failure fully explained beside the fields needs no banner as well.
  const global: GlobalError | null =
    anyField && extra.length === 0 && omitted === 0
      ? null
      : { code: error.code, message: error.message, retryAfter: error.retryAfter, extra, omitted };
  return { fields, global };
}

// Translates with a fallback: the key if the UI knows it, else the server's message.
function translate(t: TFunction, key: string, fallback: string): string {
  return t(key, { defaultValue: fallback || key });
}

export function fieldErrorText(t: TFunction, e: FieldError): string {
  return translate(t, `errors.field.${e.code}`, e.message);
}

export function formatWait(t: TFunction, seconds: number): string {
  if (seconds < 120) return t('errors.seconds', { count: seconds });
  return t('errors.minutes', { count: Math.ceil(seconds / 60) });
}

// The banner text. `remaining` is how many seconds are left of a Retry-After (the form counts
// it down, see useFormErrors); once it reaches 0 the text says the user may try again.
export function globalErrorText(
  t: TFunction,
  e: GlobalError,
  remaining: number | null = e.retryAfter,
): string {
  let text = translate(t, `errors.code.${e.code}`, e.message);
  if (remaining !== null && remaining > 0) {
    text = t('errors.retry_after', { message: text, time: formatWait(t, remaining) });
  } else if (e.retryAfter !== null && e.retryAfter > 0) {
    text = t('errors.retry_now', { message: text });
  } else if (e.code === 'account_locked' || e.code === 'too_many_requests') {
    // Without Retry-After the server's own sentence is the only one that says when.
    if (e.message && !text.includes(e.message)) text += ` (${e.message})`;
  }
  return text;
}
