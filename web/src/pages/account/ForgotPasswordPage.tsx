// /forgot-password: asks for a reset link by e-mail (issue 9 item 8). The answer is the same for
// every address, so the page says "if the address has an account".
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { MailOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { requestPasswordReset } from '../../api/auth';
import { useServices } from '../../app/services';
import { useFormErrors } from '../../lib/useFormErrors';
import { validateEmail } from '../../lib/validation';
import { FormAlert } from '../FormAlert';

const kFields = ['email'] as const;

export default function ForgotPasswordPage() {
  const { t } = useTranslation();
  const { client } = useServices();
  const [form] = Form.useForm<{ email: string }>();
  const errors = useFormErrors(form, kFields);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  const onFinish = async ({ email }: { email: string }) => {
    errors.clear();
    setBusy(true);
    try {
      await requestPasswordReset(client, email.trim());
      setSent(true);
    } catch (e) {
      errors.setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="auth-card" data-testid="forgot-password-page">
      <Typography.Title level={3} className="auth-title">
        {t('confirm.forgot_title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('confirm.forgot_intro')}</Typography.Paragraph>
      {sent && (
        <Alert type="success" showIcon className="form-alert" data-testid="forgot-sent" title={t('confirm.forgot_sent')} />
      )}
      <FormAlert text={errors.globalText} extra={errors.globalExtra} />
      <Form form={form} layout="vertical" requiredMark={false} onFinish={onFinish} onValuesChange={errors.onValuesChange}>
        <Form.Item name="email" label={t('login.email')} rules={[errors.rule(validateEmail)]} {...errors.itemProps('email')}>
          <Input prefix={<MailOutlined />} autoComplete="username" inputMode="email" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} disabled={errors.waiting} data-testid="forgot-submit">
            {t('confirm.forgot_submit')}
          </Button>
        </Form.Item>
      </Form>
      <Typography.Paragraph className="auth-switch">
        <Link to="/login">{t('confirm.to_login')}</Link>
      </Typography.Paragraph>
    </Card>
  );
}
