// "My filings": the applicant's applications, newest first, with their state as a coloured tag,
// a state filter, cursor paging ("load more") and the way into the step form (new, continue a
// draft, correct a returned one) or the detail page.
import { Alert, Button, Card, Empty, Select, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useServices } from '../../app/services';
import {
  kApplicationStates,
  kEditableStates,
  listApplications,
  type Application,
} from '../../api/applications';
import { globalErrorText, mapApiError } from '../../lib/errors';
import { filingTypeLabel, formatTime, StateTag, stateLabel } from './labels';
import './applications.css';

const kPageSize = 20;

export default function ApplicationsListPage() {
  const { t, i18n } = useTranslation();
  const { client } = useServices();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? '';

  const q = useInfiniteQuery({
    queryKey: ['applications', 'list', state],
    queryFn: ({ pageParam }) =>
      listApplications(client, { state: state || undefined, limit: kPageSize, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const error = q.error ? mapApiError(q.error, []).global : null;

  const columns = [
    {
      key: 'organizer',
      title: t('apps.list.col_organizer'),
      render: (_: unknown, a: Application) => (
        <Link to={`/applications/${a.id}`} data-testid="application-link">
          {a.organizer?.name || t('apps.list.unnamed')}
        </Link>
      ),
    },
    {
      key: 'websites',
      title: t('apps.list.col_websites'),
      responsive: ['md' as const],
      render: (_: unknown, a: Application) =>
        (a.websites ?? []).map((w, i) => (
          <div key={i}>
            {w.name || '—'} {w.domains?.length ? <Typography.Text type="secondary">{w.domains.join(', ')}</Typography.Text> : null}
          </div>
        )),
    },
    {
      key: 'state',
      title: t('apps.list.col_state'),
      render: (_: unknown, a: Application) => <StateTag state={a.state} />,
    },
    {
      key: 'type',
      title: t('apps.list.col_type'),
      responsive: ['lg' as const],
      render: (_: unknown, a: Application) => filingTypeLabel(t, a.filing_type),
    },
    {
      key: 'updated',
      title: t('apps.list.col_updated'),
      responsive: ['sm' as const],
      render: (_: unknown, a: Application) => formatTime(i18n.language, a.updated_at),
    },
    {
      key: 'actions',
      title: t('apps.list.col_actions'),
      render: (_: unknown, a: Application) => (
        <Space size="small" wrap>
          <Link to={`/applications/${a.id}`}>{t('apps.list.view')}</Link>
          {kEditableStates.includes(a.state) && (
            <Link to={`/applications/${a.id}/edit`} data-testid="application-edit">
              {a.state === 'returned' ? t('apps.list.fix') : t('apps.list.continue')}
            </Link>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div className="apps-page" data-testid="applications-page">
      <div className="apps-page-head">
        <Typography.Title level={3}>{t('apps.list.title')}</Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => navigate('/applications/new')}
          data-testid="new-application"
        >
          {t('apps.list.new')}
        </Button>
      </div>
      <Card>
        <Space className="apps-filter" wrap>
          <span id="state-filter-label">{t('apps.list.filter_state')}</span>
          <Select
            aria-labelledby="state-filter-label"
            data-testid="state-filter"
            value={state}
            style={{ minWidth: 180 }}
            onChange={(v: string) => setParams(v ? { state: v } : {}, { replace: true })}
            options={[
              { value: '', label: t('apps.list.all_states') },
              ...kApplicationStates.map((s) => ({ value: s, label: stateLabel(t, s) })),
            ]}
          />
        </Space>
        {error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={globalErrorText(t, error)}
            action={<Button onClick={() => void q.refetch()}>{t('apps.common.retry')}</Button>}
          />
        )}
        <Table<Application>
          rowKey="id"
          dataSource={items}
          columns={columns}
          loading={q.isPending}
          pagination={false}
          size="middle"
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description={t('apps.list.empty')} /> }}
          data-testid="applications-table"
          onRow={(a) => ({ 'data-testid': `application-row-${a.id}`, 'data-state': a.state }) as object}
        />
        {q.hasNextPage && (
          <div className="apps-more">
            <Button
              onClick={() => void q.fetchNextPage()}
              loading={q.isFetchingNextPage}
              data-testid="load-more"
            >
              {t('apps.list.load_more')}
            </Button>
          </div>
        )}
      </Card>
    </div>
  );
}
