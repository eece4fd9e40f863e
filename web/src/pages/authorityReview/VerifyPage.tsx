// The public SMS verification page on 8090 (/verify, no sign-in; contract §5): a person in
// charge enters the mobile number that received the code, the last 6 characters of their ID
// number and the 6-digit code, or asks for a new code. Every answer is said plainly: verified
// (and whether others still have to), a wrong code with the attempts left, an expired code (the
// filing went back to the provider), no matching code, the resend limit, the throttle.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TFunction } from 'i18next';
import { useServices } from '../../app/services';
import { ApiError } from '../../api/client';
import { resendSms, verifySms } from '../../api/authorityReview';
import { globalErrorText, mapApiError } from '../../lib/errors';
import './authorityReview.css';

interface Values {
  mobile: string;
  id_last6: string;
  code: string;
}

interface Outcome {
  kind: 'success' | 'info' | 'warning' | 'error';
  // The answer's code (or "verified", "resent"), for tests and styling.
  code: string;
  text: string;
}

const kMobile = /^1[3-9]\d{9}$/;
const kIdLast6 = /^\d{5}[\dXx]$/;
const kCode = /^\d{6}$/;

// The attempts left after a wrong code: the detail the server sends ({field: "attempts_left",
// message: "3"}), or any detail that is a bare number.
export function attemptsLeft(e: ApiError): number | null {
  const named = e.details.find((d) => d.field === 'attempts_left' || d.field.endsWith('.attempts_left'));
  const candidates = named ? [named] : e.details;
  for (const d of candidates) {
    const m = /^\s*(\d+)\s*$/.exec(d.message) ?? /attempts_left\D*(\d+)/.exec(d.message);
    if (m) return Number(m[1]);
  }
  return null;
}

function failureOutcome(t: TFunction, e: unknown): Outcome {
  if (e instanceof ApiError) {
    switch (e.code) {
      case 'sms_code_wrong': {
        const left = attemptsLeft(e);
        const text =
          left === null
            ? t('authorityReview.verify.wrong_unknown')
            : left <= 1
              ? t('authorityReview.verify.wrong_last')
              : t('authorityReview.verify.wrong', { count: left });
        return { kind: 'error', code: e.code, text };
      }
      case 'sms_code_expired':
        return { kind: 'error', code: e.code, text: t('authorityReview.verify.expired') };
      case 'sms_code_not_found':
        return { kind: 'warning', code: e.code, text: t('authorityReview.verify.not_found') };
      case 'sms_resend_limit':
        return { kind: 'warning', code: e.code, text: t('authorityReview.verify.resend_limit') };
      default:
        break;
    }
  }
  const g = mapApiError(e, []).global;
  return {
    kind: 'error',
    code: e instanceof ApiError ? e.code : 'network_error',
    text: g ? globalErrorText(t, g) : String(e),
  };
}

export default function VerifyPage() {
  const { t } = useTranslation();
  const { client } = useServices();
  const [form] = Form.useForm<Values>();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState<'verify' | 'resend' | null>(null);

  const clean = (v: Partial<Values>) => ({
    mobile: (v.mobile ?? '').trim(),
    id_last6: (v.id_last6 ?? '').trim().toUpperCase(),
    code: (v.code ?? '').trim(),
  });

  const onVerify = async (values: Values) => {
    const v = clean(values);
    setBusy('verify');
    setOutcome(null);
    try {
      const answer = await verifySms(client, v);
      const all = answer.submission_state === 'under_review' || answer.remaining === 0;
      setOutcome({
        kind: 'success',
        code: all ? 'verified_all' : 'verified_more',
        text: all
          ? t('authorityReview.verify.verified_all')
          : t('authorityReview.verify.verified_more', { count: answer.remaining }),
      });
      form.setFieldValue('code', '');
    } catch (e) {
      setOutcome(failureOutcome(t, e));
    } finally {
      setBusy(null);
    }
  };

  const onResend = async () => {
    const values = await form.validateFields(['mobile', 'id_last6']).catch(() => null);
    if (!values) return;
    const v = clean(values);
    setBusy('resend');
    setOutcome(null);
    try {
      const answer = await resendSms(client, { mobile: v.mobile, id_last6: v.id_last6 });
      setOutcome({
        kind: 'info',
        code: 'resent',
        text: t('authorityReview.verify.resent', { count: answer.resends_left }),
      });
    } catch (e) {
      setOutcome(failureOutcome(t, e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card className="verify-card" data-testid="verify-page">
      <Typography.Title level={3}>{t('authorityReview.verify.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('authorityReview.verify.intro')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => void onVerify(v)}
        data-testid="verify-form"
      >
        <Form.Item
          name="mobile"
          label={t('authorityReview.verify.mobile')}
          rules={[{ required: true, pattern: kMobile, message: t('authorityReview.verify.mobile_invalid') }]}
        >
          <Input
            inputMode="numeric"
            autoComplete="tel"
            maxLength={11}
            placeholder={t('authorityReview.verify.mobile_placeholder')}
            data-testid="verify-mobile"
          />
        </Form.Item>
        <Form.Item
          name="id_last6"
          label={t('authorityReview.verify.id_last6')}
          rules={[{ required: true, pattern: kIdLast6, message: t('authorityReview.verify.id_last6_invalid') }]}
        >
          <Input
            maxLength={6}
            autoComplete="off"
            placeholder={t('authorityReview.verify.id_last6_placeholder')}
            data-testid="verify-id-last6"
          />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('authorityReview.verify.code')}
          rules={[{ required: true, pattern: kCode, message: t('authorityReview.verify.code_invalid') }]}
        >
          <Input
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            placeholder={t('authorityReview.verify.code_placeholder')}
            data-testid="verify-code"
          />
        </Form.Item>
        {outcome && (
          <Alert
            type={outcome.kind}
            showIcon
            role="alert"
            style={{ marginBottom: 16 }}
            title={outcome.text}
            data-testid="verify-outcome"
            data-outcome={outcome.code}
          />
        )}
        <div className="verify-actions">
          <Button type="primary" htmlType="submit" loading={busy === 'verify'} disabled={busy !== null} data-testid="verify-submit">
            {t('authorityReview.verify.submit')}
          </Button>
          <Button loading={busy === 'resend'} disabled={busy !== null} onClick={() => void onResend()} data-testid="verify-resend">
            {t('authorityReview.verify.resend')}
          </Button>
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t('authorityReview.verify.resend_hint')}
        </Typography.Paragraph>
        <Link to="/query">{t('authorityReview.verify.query_link')}</Link>
      </Form>
    </Card>
  );
}
