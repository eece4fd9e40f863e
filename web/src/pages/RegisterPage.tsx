// Registration (agent console only). Registering logs the new user in, so success goes home.
// The password box shows a strength hint as the user types; the server has the last word.
import { Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useRegister } from '../auth/session';
import { useFormErrors } from '../lib/useFormErrors';
import {
  normalizeMobile,
  validateConfirm,
  validateDisplayName,
  validateEmail,
  validateMobile,
  validatePassword,
} from '../lib/validation';
import { FormAlert } from './FormAlert';
import { PasswordStrength } from './PasswordStrength';

export interface RegisterValues {
  email: string;
  phone: string;
  display_name: string;
  password: string;
  confirm: string;
}

const kFields = ['email', 'phone', 'display_name', 'password', 'confirm'] as const;

export default function RegisterPage() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<RegisterValues>();
  const errors = useFormErrors(form, kFields);
  const register = useRegister();
  const password = Form.useWatch('password', form);

  const onFinish = async (values: RegisterValues) => {
    errors.clear();
    try {
      // On success the session changes and the route guard leaves this page (see App.tsx).
      await register.mutateAsync({
        email: values.email.trim(),
        phone: normalizeMobile(values.phone),
        password: values.password,
        display_name: values.display_name.trim(),
        locale: i18n.language,
      });
    } catch (e) {
      errors.setError(e);
    }
  };

  return (
    <Card className="auth-card" data-testid="register-page">
      <Typography.Title level={3} className="auth-title">
        {t('register.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('register.subtitle')}</Typography.Paragraph>
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
          label={t('register.email')}
          rules={[errors.rule(validateEmail)]}
          {...errors.itemProps('email')}
        >
          <Input autoComplete="email" inputMode="email" placeholder="name@example.com" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('register.phone')}
          rules={[errors.rule(validateMobile)]}
          {...errors.itemProps('phone')}
        >
          <Input autoComplete="tel" inputMode="tel" placeholder={t('register.phone_placeholder')} />
        </Form.Item>
        <Form.Item
          name="display_name"
          label={t('register.display_name')}
          rules={[errors.rule(validateDisplayName)]}
          {...errors.itemProps('display_name')}
        >
          <Input autoComplete="name" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('register.password')}
          extra={
            <>
              {t('register.password_hint')}
              <PasswordStrength password={password} />
            </>
          }
          dependencies={['email']}
          rules={[errors.rule((v) => validatePassword(v, form.getFieldValue('email')))]}
          {...errors.itemProps('password')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('register.confirm')}
          dependencies={['password']}
          rules={[errors.rule((v) => validateConfirm(v, form.getFieldValue('password')))]}
          {...errors.itemProps('confirm')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={register.isPending}
            data-testid="register-submit"
          >
            {t('register.submit')}
          </Button>
        </Form.Item>
      </Form>
      <Typography.Paragraph className="auth-switch">
        {t('register.have_account')} <Link to="/login">{t('register.go_login')}</Link>
      </Typography.Paragraph>
    </Card>
  );
}
