// The authority's public filing query (8090, no sign-in): by domain, Beian number or organizer
// name (exact, or names starting with it), results paged with "load more". An individual
// organizer's name arrives masked from the server.
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Empty, Input, Segmented, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { ApiError } from '../../api/client';
import {
  queryFilings,
  type PublicFilingRecord,
  type PublicQueryKind,
  type PublicQueryParams,
} from '../../api/publicQuery';

function day(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export default function PublicQueryPage() {
  const { t } = useTranslation();
  const { client } = useServices();
  const [kind, setKind] = useState<PublicQueryKind>('domain');
  const [value, setValue] = useState('');
  const [prefix, setPrefix] = useState(false);
  const [asked, setAsked] = useState<PublicQueryParams | null>(null);
  const [rows, setRows] = useState<PublicFilingRecord[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (params: PublicQueryParams, append: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const page = await queryFilings(client, params);
      setRows((old) => (append ? [...old, ...page.results] : page.results));
      setCursor(page.next_cursor);
      setAsked(params);
    } catch (e) {
      const code = e instanceof ApiError ? e.code : 'internal';
      setError(t(`errors.code.${code}`, { defaultValue: e instanceof Error ? e.message : code }));
    } finally {
      setBusy(false);
    }
  };

  const search = () => {
    if (!value.trim()) {
      setError(t('authority.query.required'));
      return;
    }
    void run({ kind, value, prefix: kind === 'organizer' && prefix, limit: 20 }, false);
  };

  const columns = [
    { title: t('authority.query.column.website_sn'), dataIndex: 'website_sn', key: 'website_sn' },
    { title: t('authority.query.column.organizer_name'), dataIndex: 'organizer_name', key: 'organizer_name' },
    {
      title: t('authority.query.column.organizer_type'),
      dataIndex: 'organizer_type',
      key: 'organizer_type',
      render: (v: string) => t(`apps.organizer_type.${v}`, { defaultValue: v }),
    },
    { title: t('authority.query.column.website_name'), dataIndex: 'website_name', key: 'website_name' },
    {
      title: t('authority.query.column.domains'),
      dataIndex: 'domains',
      key: 'domains',
      render: (v: string[]) => v.join(', '),
    },
    {
      title: t('authority.query.column.approved_at'),
      dataIndex: 'approved_at',
      key: 'approved_at',
      render: (v: string) => day(v),
    },
  ];

  return (
    <Card style={{ maxWidth: 1100, margin: '0 auto' }}>
      <Typography.Title level={3}>{t('authority.query.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('authority.query.intro')}</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Segmented
          aria-label={t('authority.query.kind_label')}
          data-testid="query-kind"
          value={kind}
          onChange={(v) => setKind(v as PublicQueryKind)}
          options={(['domain', 'sn', 'organizer'] as const).map((k) => ({
            value: k,
            label: t(`authority.query.kind.${k}`),
          }))}
        />
        <Input.Search
          data-testid="query-input"
          aria-label={t(`authority.query.kind.${kind}`)}
          placeholder={t(`authority.query.placeholder.${kind}`)}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onSearch={search}
          enterButton={t('authority.query.search')}
          loading={busy}
        />
        {kind === 'organizer' && (
          <Checkbox checked={prefix} onChange={(e) => setPrefix(e.target.checked)}>
            {t('authority.query.prefix')}
          </Checkbox>
        )}
        {error && <Alert type="error" showIcon message={error} data-testid="query-error" />}
        {asked && (
          <Table<PublicFilingRecord>
            data-testid="query-results"
            rowKey="website_sn"
            columns={columns}
            dataSource={rows}
            pagination={false}
            locale={{ emptyText: <Empty description={t('authority.query.none')} /> }}
          />
        )}
        {asked && cursor && (
          <Button onClick={() => void run({ ...asked, cursor }, true)} loading={busy}>
            {t('authority.query.more')}
          </Button>
        )}
      </Space>
    </Card>
  );
}
