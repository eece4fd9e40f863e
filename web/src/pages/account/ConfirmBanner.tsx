// The banner above every console page of an account that has not confirmed its e-mail address
// or mobile (issue 9 item 8): where the e-mail link went, a box for the SMS code, and "resend".
// Until both are confirmed the account may draft but not submit (account_unconfirmed).
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { confirmMobile, resendConfirmation } from '../../api/auth';
import { useServices } from '../../app/services';
import { kSessionKey, useSession } from '../../auth/session';
import { useErrorText } from './errorText';

export function ConfirmBanner() {
  const { t } = useTranslation();
  const { client } = useServices();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const user = useSession().data?.user;
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  if (!user || (user.email_confirmed !== false && user.mobile_confirmed !== false)) return null;

  const run = async (work: () => Promise<void>, done: string) => {
    setError('');
    setBusy(true);
    try {
      await work();
      void message.success(done);
      await qc.invalidateQueries({ queryKey: kSessionKey });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const submitCode = () => {
    if (!/^\d{6}$/.test(code.trim())) {
      setError(t('confirm.code_invalid'));
      return;
    }
    void run(() => confirmMobile(client, code.trim()), t('confirm.mobile_done'));
  };

  return (
    <Alert
      type="warning"
      showIcon
      className="confirm-banner"
      data-testid="confirm-banner"
      title={t('confirm.banner_title')}
      description={
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>{t('confirm.banner_text')}</Typography.Text>
          <Typography.Text data-testid="confirm-email-state">
            {user.email_confirmed === false
              ? t('confirm.banner_email_pending', { email: user.email })
              : t('confirm.banner_email_done')}
          </Typography.Text>
          {user.mobile_confirmed === false ? (
            <Form layout="inline" onFinish={submitCode}>
              <Form.Item label={t('confirm.code_label')}>
                <Input
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  placeholder={t('confirm.code_placeholder')}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  data-testid="confirm-code"
                />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="confirm-code-submit">
                {t('confirm.code_submit')}
              </Button>
            </Form>
          ) : (
            <Typography.Text>{t('confirm.banner_mobile_done')}</Typography.Text>
          )}
          {error && <Typography.Text type="danger" data-testid="confirm-error">{error}</Typography.Text>}
          <Button
            type="link"
            disabled={busy}
            onClick={() => void run(() => resendConfirmation(client), t('confirm.resent'))}
            data-testid="confirm-resend"
          >
            {t('confirm.resend')}
          </Button>
        </Space>
      }
    />
  );
}
