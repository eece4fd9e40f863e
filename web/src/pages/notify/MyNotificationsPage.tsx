// "My notifications": the e-mails and SMS texts sent to the signed-in account (issue 9 item 9),
// newest first, with their delivery state; a row opens to the text as sent.
import { Alert, Button, Card, Empty, Table, Typography } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { listMyNotifications, type MyNotification } from '../../api/notify';
import { globalErrorText, mapApiError } from '../../lib/errors';
import { formatTime } from '../applications/labels';
import './notify.css';
import { ChannelTag, NotificationStateTag } from './notifyLabels';

const kPageSize = 20;

export default function MyNotificationsPage() {
  const { t, i18n } = useTranslation();
  const { client } = useServices();
  const q = useInfiniteQuery({
    queryKey: ['notifications', 'mine'],
    queryFn: ({ pageParam }) => listMyNotifications(client, { limit: kPageSize, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const error = q.error ? mapApiError(q.error, []).global : null;

  const columns = [
    {
      key: 'time',
      title: t('mailbox.common.time'),
      render: (_: unknown, n: MyNotification) => formatTime(i18n.language, n.created_at),
    },
    {
      key: 'channel',
      title: t('mailbox.common.channel'),
      render: (_: unknown, n: MyNotification) => <ChannelTag channel={n.channel} />,
    },
    { key: 'to', title: t('mailbox.common.to'), dataIndex: 'to', responsive: ['md' as const] },
    {
      key: 'content',
      title: t('mailbox.common.content'),
      render: (_: unknown, n: MyNotification) => (
        <Typography.Text ellipsis style={{ maxWidth: 420 }}>
          {n.channel === 'email' ? n.subject || t('mailbox.common.no_subject') : n.text}
        </Typography.Text>
      ),
    },
    {
      key: 'state',
      title: t('mailbox.common.state'),
      render: (_: unknown, n: MyNotification) => <NotificationStateTag state={n.state} />,
    },
  ];

  return (
    <div className="notify-page" data-testid="my-notifications-page">
      <div className="notify-page-head">
        <Typography.Title level={3}>{t('mailbox.mine.title')}</Typography.Title>
      </div>
      <Typography.Paragraph type="secondary">{t('mailbox.mine.intro')}</Typography.Paragraph>
      <Card>
        {error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={globalErrorText(t, error)}
            action={<Button onClick={() => void q.refetch()}>{t('mailbox.common.retry')}</Button>}
          />
        )}
        <Table<MyNotification>
          rowKey="id"
          dataSource={items}
          columns={columns}
          loading={q.isPending}
          pagination={false}
          size="middle"
          scroll={{ x: 'max-content' }}
          expandable={{
            expandedRowRender: (n) => <pre className="mailbox-text">{n.text}</pre>,
            rowExpandable: (n) => n.text !== '',
            expandRowByClick: true,
          }}
          locale={{ emptyText: <Empty description={t('mailbox.common.empty')} /> }}
          data-testid="my-notifications-table"
          onRow={(n) => ({ 'data-testid': `notification-row-${n.id}`, 'data-state': n.state }) as object}
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
