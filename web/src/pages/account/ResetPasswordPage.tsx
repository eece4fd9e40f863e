// /reset-password?token=…: sets a new password with the reset e-mail's one-time token (issue 9
// item 8); every session of the account ends, so the user signs in again.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { resetPassword } from '../../api/auth';
import { useServices } from '../../app/services';
import { useFormErrors } from '../../lib/useFormErrors';
import { validateRequired } from '../../lib/validation';
import { FormAlert } from '../FormAlert';

const kFields = ['password'] as const;

export default function ResetPasswordPage() {
  const { t } = useTranslation();
  const { client } = useServices();
  const token = useSearchParams()[0].get('token') ?? '';
  const [form] = Form.useForm<{ password: string }>();
  const errors = useFormErrors(form, kFields);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const onFinish = async ({ password }: { password: string }) => {
    errors.clear();
    setBusy(true);
    try {
      await resetPassword(client, token, password);
      setDone(true);
    } catch (e) {
      errors.setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="auth-card" data-testid="reset-password-page">
      <Typography.Title level={3} className="auth-title">
        {t('confirm.reset_title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('confirm.reset_intro')}</Typography.Paragraph>
      {!token && <Alert type="error" showIcon title={t('confirm.reset_missing')} />}
      {done ? (
        <Alert type="success" showIcon data-testid="reset-done" title={t('confirm.reset_done')} />
      ) : (
        token && (
          <>
            <FormAlert text={errors.globalText} extra={errors.globalExtra} />
            <Form form={form} layout="vertical" requiredMark={false} onFinish={onFinish} onValuesChange={errors.onValuesChange}>
              <Form.Item
                name="password"
                label={t('confirm.reset_password')}
                extra={t('register.password_hint')}
                rules={[errors.rule(validateRequired)]}
                {...errors.itemProps('password')}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item>
                <Button type="primary" htmlType="submit" block loading={busy} data-testid="reset-submit">
                  {t('confirm.reset_submit')}
                </Button>
              </Form.Item>
            </Form>
          </>
        )
      )}
      <Typography.Paragraph className="auth-switch">
        <Link to="/login">{t('confirm.to_login')}</Link>
      </Typography.Paragraph>
    </Card>
  );
}
