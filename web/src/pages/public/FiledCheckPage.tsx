// "Is it filed?" (8080, no sign-in): one domain in any form — a subdomain, www., Chinese or
// punycode — answered from the provider's copy of the registry: the Beian number, organizer and
// website of its registrable domain, or that it is not filed.
import { useState } from 'react';
import { Alert, Card, Descriptions, Input, Result, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { ApiError } from '../../api/client';
import { lookUpFiling, type PublicFilingAnswer } from '../../api/publicFilings';

function day(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export default function FiledCheckPage() {
  const { t } = useTranslation();
  const { client } = useServices();
  const [value, setValue] = useState('');
  const [answer, setAnswer] = useState<PublicFilingAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const search = async () => {
    setAnswer(null);
    if (!value.trim()) {
      setError(t('filed.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setAnswer(await lookUpFiling(client, value));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'validation_failed') {
        setError(t('filed.invalid'));
      } else {
        const code = e instanceof ApiError ? e.code : 'internal';
        setError(t(`errors.code.${code}`, { defaultValue: e instanceof Error ? e.message : code }));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card style={{ maxWidth: 760, margin: '0 auto' }}>
      <Typography.Title level={3}>{t('filed.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('filed.intro')}</Typography.Paragraph>
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Input.Search
          data-testid="filed-input"
          aria-label={t('filed.label')}
          placeholder={t('filed.placeholder')}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onSearch={() => void search()}
          enterButton={t('filed.search')}
          loading={busy}
        />
        {error && <Alert type="error" showIcon title={error} data-testid="filed-error" />}
        {answer && !answer.filed && (
          <Result
            data-testid="filed-answer"
            status="warning"
            title={t('filed.not_filed', { domain: answer.domain_unicode })}
          />
        )}
        {answer && answer.filed && (
          <div data-testid="filed-answer">
            <Alert type="success" showIcon title={t('filed.filed', { domain: answer.domain_unicode })} />
            <Descriptions bordered column={1} size="small" style={{ marginTop: 16 }}>
              <Descriptions.Item label={t('filed.field.website_sn')}>{answer.website_sn}</Descriptions.Item>
              <Descriptions.Item label={t('filed.field.subject_sn')}>{answer.subject_sn}</Descriptions.Item>
              <Descriptions.Item label={t('filed.field.organizer_name')}>{answer.organizer_name}</Descriptions.Item>
              <Descriptions.Item label={t('filed.field.organizer_type')}>
                {t(`apps.organizer_type.${answer.organizer_type}`, { defaultValue: answer.organizer_type ?? '' })}
              </Descriptions.Item>
              <Descriptions.Item label={t('filed.field.website_name')}>{answer.website_name}</Descriptions.Item>
              <Descriptions.Item label={t('filed.field.approved_at')}>{day(answer.approved_at)}</Descriptions.Item>
            </Descriptions>
          </div>
        )}
      </Space>
    </Card>
  );
}
