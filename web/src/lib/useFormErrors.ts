// Form-side state for API failures: the mapped errors, props for each Form.Item (status and
// help translated at render time), a countdown of the server's Retry-After (the banner counts
// down once a second and `waiting` holds until it ends), and the client rules re-run when the
// language changes so that their messages follow it.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import { fieldErrorText, globalErrorText, mapApiError, type MappedError } from './errors';
import type { FieldCode } from './validation';

const kEmpty: MappedError = { fields: {}, global: null };

// Seconds left until `until` (epoch ms), ticking once a second while any are left.
function useCountdown(until: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const timer = window.setInterval(() => {
      const at = Date.now();
      setNow(at);
      if (at >= until) window.clearInterval(timer);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [until]);
  return until === null ? null : Math.max(0, Math.ceil((until - now) / 1000));
}

export function useFormErrors(form: FormInstance, fields: readonly string[]) {
  const { t, i18n } = useTranslation();
  const [mapped, setMapped] = useState<MappedError>(kEmpty);
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const remaining = useCountdown(retryUntil);

  useEffect(() => {
    // Messages of rules that already failed were made in the old language: re-run those rules.
    const failing = form
      .getFieldsError()
      .filter((f) => f.errors.length > 0)
      .map((f) => f.name);
    if (failing.length > 0) form.validateFields(failing).catch(() => undefined);
  }, [i18n.language, form]);

  const setError = useCallback(
    (error: unknown) => {
      const m = mapApiError(error, fields);
      setMapped(m);
      const wait = m.global?.retryAfter ?? null;
      setRetryUntil(wait !== null && wait > 0 ? Date.now() + wait * 1000 : null);
    },
    [fields],
  );
  const clear = useCallback(() => {
    setMapped(kEmpty);
    setRetryUntil(null);
  }, []);

  // An edited field's server error no longer applies to what the box holds.
  const onValuesChange = useCallback((changed: Record<string, unknown>) => {
    setMapped((m) => {
      const names = Object.keys(changed).filter((n) => m.fields[n]);
      if (names.length === 0) return m;
      const next = { ...m.fields };
      for (const n of names) delete next[n];
      return { fields: next, global: m.global };
    });
  }, []);

  const itemProps = useCallback(
    (name: string): { validateStatus?: 'error'; help?: string } => {
      const e = mapped.fields[name];
      return e ? { validateStatus: 'error', help: fieldErrorText(t, e) } : {};
    },
    [mapped, t],
  );

  const globalText = useMemo(
    () => (mapped.global ? globalErrorText(t, mapped.global, remaining) : null),
    [mapped, t, remaining],
  );
  // The server asked the user to wait and the time is not up yet.
  const waiting = remaining !== null && remaining > 0;
  const globalExtra = useMemo(() => {
    if (!mapped.global) return [];
    const lines = mapped.global.extra.map((e) => fieldErrorText(t, e));
    if (mapped.global.omitted > 0) {
      lines.push(t('errors.more_details', { count: mapped.global.omitted }));
    }
    return lines;
  }, [mapped, t]);

  // An antd rule around one of the validation.ts checks, with its message in the current language.
  const rule = useCallback(
    (check: (value: string | undefined) => FieldCode | null): Rule => ({
      validator: async (_rule, value: string | undefined) => {
        const code = check(value);
        if (code) throw new Error(t(`errors.field.${code}`));
      },
    }),
    [t],
  );

  return {
    mapped,
    setError,
    clear,
    onValuesChange,
    itemProps,
    globalText,
    globalExtra,
    rule,
    waiting,
  };
}
