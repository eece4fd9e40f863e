// Shown instead of the console when the session could not be checked because the service did
// not answer properly (network down, 5xx): the user may still be logged in, so this is not a
// logout, and a retry picks up where they were.
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { globalErrorText, mapApiError } from '../lib/errors';

export function OutagePage({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const cause = mapApiError(error, []).global;
  return (
    <div className="outage-page" data-testid="outage">
      <Result
        status="warning"
        title={t('outage.title')}
        subTitle={cause ? globalErrorText(t, cause) : undefined}
        extra={
          <Button type="primary" onClick={onRetry} data-testid="outage-retry">
            {t('outage.retry')}
          </Button>
        }
      />
    </div>
  );
}
