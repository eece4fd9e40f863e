// "Notification queue" (admins, issue 9 item 9): the outbox by state — failed ones first by
// default — with each message's attempts and last error, and retry / cancel.
import { Alert, App as AntApp, Button, Card, Empty, Select, Space, Table, Typography } from 'antd';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useServices } from '../../app/services';
import {
  cancelNotification,
  listOutbox,
  retryNotification,
  type OutboxEntry,
} from '../../api/notify';
import { globalErrorText, mapApiError } from '../../lib/errors';
import { formatTime } from '../applications/labels';
import './notify.css';
import { ChannelTag, NotificationStateTag } from './notifyLabels';

const kPageSize = 50;
const kStates = ['failed', 'pending', 'sending', 'sent', 'cancelled'] as const;

export default function OutboxPage() {
  const { t, i18n } = useTranslation();
  const { client } = useServices();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? 'failed';
  const q = useInfiniteQuery({
    queryKey: ['outbox', state],
    queryFn: ({ pageParam }) =>
      listOutbox(client, { state: state === 'all' ? '' : state, limit: kPageSize, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'retry' | 'cancel' }) =>
      action === 'retry' ? retryNotification(client, id) : cancelNotification(client, id),
    onSuccess: (_, { action }) => {
      void message.success(t(action === 'retry' ? 'mailbox.outbox.retried' : 'mailbox.outbox.cancelled'));
      void queryClient.invalidateQueries({ queryKey: ['outbox'] });
    },
    onError: (e) => {
      const g = mapApiError(e, []).global;
      void message.error(g ? globalErrorText(t, g) : String(e));
    },
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const error = q.error ? mapApiError(q.error, []).global : null;

  const columns = [
    {
      key: 'time',
      title: t('mailbox.common.time'),
      render: (_: unknown, n: OutboxEntry) => formatTime(i18n.language, n.created_at),
    },
    {
      key: 'channel',
      title: t('mailbox.common.channel'),
      render: (_: unknown, n: OutboxEntry) => <ChannelTag channel={n.channel} />,
    },
    { key: 'to', title: t('mailbox.common.to'), dataIndex: 'to' },
    { key: 'template', title: 'template', dataIndex: 'template', responsive: ['lg' as const] },
    {
      key: 'state',
      title: t('mailbox.common.state'),
      render: (_: unknown, n: OutboxEntry) => <NotificationStateTag state={n.state} />,
    },
    { key: 'attempts', title: t('mailbox.common.attempts'), dataIndex: 'attempts' },
    {
      key: 'error',
      title: t('mailbox.outbox.last_error'),
      render: (_: unknown, n: OutboxEntry) => (
        <Typography.Text type="danger" ellipsis={{ tooltip: n.last_error }} style={{ maxWidth: 360 }}>
          {n.last_error}
        </Typography.Text>
      ),
    },
    {
      key: 'actions',
      title: '',
      render: (_: unknown, n: OutboxEntry) => (
        <Space>
          {(n.state === 'failed' || n.state === 'cancelled') && (
            <Button
              size="small"
              data-testid={`outbox-retry-${n.id}`}
              onClick={() => act.mutate({ id: n.id, action: 'retry' })}
            >
              {t('mailbox.outbox.retry')}
            </Button>
          )}
          {(n.state === 'failed' || n.state === 'pending') && (
            <Button
              size="small"
              danger
              data-testid={`outbox-cancel-${n.id}`}
              onClick={() => act.mutate({ id: n.id, action: 'cancel' })}
            >
              {t('mailbox.outbox.cancel')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div className="notify-page" data-testid="outbox-page">
      <div className="notify-page-head">
        <Typography.Title level={3}>{t('mailbox.outbox.title')}</Typography.Title>
      </div>
      <Card>
        <Space className="notify-filter" wrap>
          <span id="outbox-state-label">{t('mailbox.outbox.filter')}</span>
          <Select
            aria-labelledby="outbox-state-label"
            value={state}
            style={{ minWidth: 160 }}
            onChange={(v: string) => setParams({ state: v }, { replace: true })}
            options={[
              { value: 'all', label: t('mailbox.outbox.all') },
              ...kStates.map((s) => ({ value: s, label: t(`mailbox.state.${s}`) })),
            ]}
          />
        </Space>
        {error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={globalErrorText(t, error)}
            action={<Button onClick={() => void q.refetch()}>{t('mailbox.common.retry')}</Button>}
          />
        )}
        <Table<OutboxEntry>
          rowKey="id"
          dataSource={items}
          columns={columns}
          loading={q.isPending}
          pagination={false}
          size="middle"
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description={t('mailbox.common.empty')} /> }}
          data-testid="outbox-table"
        />
        {q.hasNextPage && (
          <div className="notify-more">
            <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
              {t('mailbox.common.load_more')}
            </Button>
          </div>
        )}
      </Card>
    </div>
  );
}
