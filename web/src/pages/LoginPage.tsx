// The login page of both consoles; success leads to where the user was going, or home. It says
// so when it is shown because a session ended, and counts down a throttle's Retry-After.
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import type { LoginState } from '../app/App';
import { useServices } from '../app/services';
import { useLogin } from '../auth/session';
import { useFormErrors } from '../lib/useFormErrors';
import { validateEmail, validateRequired } from '../lib/validation';
import { FormAlert } from './FormAlert';

interface LoginValues {
  email: string;
  password: string;
}

const kFields = ['email', 'password'] as const;

export default function LoginPage() {
  const { t } = useTranslation();
  const { config } = useServices();
  const [form] = Form.useForm<LoginValues>();
  const errors = useFormErrors(form, kFields);
  const login = useLogin();
  const expired = (useLocation().state as LoginState | null)?.expired === true;
  const authority = config.service === 'authority';

  const onFinish = async (values: LoginValues) => {
    errors.clear();
    try {
      // On success the session changes and the route guard leaves this page (see App.tsx).
      await login.mutateAsync({ email: values.email.trim(), password: values.password });
    } catch (e) {
      errors.setError(e);
    }
  };

  return (
    <Card className="auth-card" data-testid="login-page">
      <Typography.Title level={3} className="auth-title">
        {t(authority ? 'login.title_authority' : 'login.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" data-testid="login-subtitle">
        {t(authority ? 'login.subtitle_authority' : 'login.subtitle')}
      </Typography.Paragraph>
      {expired && !errors.globalText && (
        <Alert
          type="info"
          showIcon
          className="form-alert"
          data-testid="session-ended"
          title={t('login.session_ended')}
        />
      )}
      <FormAlert text={errors.globalText} extra={errors.globalExtra} />
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        onValuesChange={errors.onValuesChange}
        autoComplete="on"
      >
        <Form.Item
          name="email"
          label={t('login.email')}
          rules={[errors.rule(validateEmail)]}
          {...errors.itemProps('email')}
        >
          <Input
            prefix={<MailOutlined />}
            placeholder={t('login.email_placeholder')}
            autoComplete="username"
            inputMode="email"
          />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[errors.rule(validateRequired)]}
          {...errors.itemProps('password')}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={login.isPending}
            disabled={errors.waiting}
            data-testid="login-submit"
          >
            {t('login.submit')}
          </Button>
        </Form.Item>
      </Form>
      {!authority && (
        <Typography.Paragraph className="auth-switch">
          <Link to="/forgot-password" data-testid="forgot-link">
            {t('confirm.forgot_link')}
          </Link>
          <br />
          {t('login.no_account')} <Link to="/register">{t('login.go_register')}</Link>
        </Typography.Paragraph>
      )}
    </Card>
  );
}
