// /confirm-email?token=…: the page the confirmation e-mail links to (issue 9 item 8). It sends the
// one-time token once on arrival; no sign-in is needed. A signed-in user's banner updates.
import { useEffect, useRef, useState } from 'react';
import { Alert, Card, Spin, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { confirmEmail } from '../../api/auth';
import { useServices } from '../../app/services';
import { kSessionKey } from '../../auth/session';
import { useErrorText } from './errorText';

type State = { kind: 'working' } | { kind: 'done' } | { kind: 'failed'; error: unknown };

export default function ConfirmEmailPage() {
  const { t } = useTranslation();
  const { client } = useServices();
  const qc = useQueryClient();
  const errorText = useErrorText();
  const token = useSearchParams()[0].get('token') ?? '';
  const [state, setState] = useState<State>({ kind: 'working' });
  const sent = useRef(false);

  useEffect(() => {
    // Once: the token is one-time, and React may run effects twice in development.
    if (sent.current || !token) return;
    sent.current = true;
    confirmEmail(client, token).then(
      () => {
        setState({ kind: 'done' });
        void qc.invalidateQueries({ queryKey: kSessionKey });
      },
      (error: unknown) => setState({ kind: 'failed', error }),
    );
  }, [client, qc, token]);

  return (
    <Card className="auth-card" data-testid="confirm-email-page">
      <Typography.Title level={3} className="auth-title">
        {t('confirm.email_title')}
      </Typography.Title>
      {!token && <Alert type="error" showIcon title={t('confirm.email_missing')} />}
      {token && state.kind === 'working' && <Spin description={t('confirm.email_working')} />}
      {state.kind === 'done' && (
        <Alert type="success" showIcon data-testid="confirm-email-done" title={t('confirm.email_done')} />
      )}
      {state.kind === 'failed' && (
        <Alert
          type="error"
          showIcon
          data-testid="confirm-email-failed"
          title={t('confirm.email_failed')}
          description={errorText(state.error)}
        />
      )}
      <Typography.Paragraph className="auth-switch">
        <Link to="/">{t('confirm.to_console')}</Link>
      </Typography.Paragraph>
    </Card>
  );
}
