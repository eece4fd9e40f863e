// "Mailbox": the development mailbox (issue 9 item 7) — every e-mail and SMS text the system
// "sent" while no SMTP server and SMS gateway are configured, newest first, with cursor paging.
// An e-mail opens with its HTML in a sandboxed iframe (srcdoc, no scripts, no same origin: the
// message cannot touch the console) and its plain text; an SMS shows its text.
import { Alert, Button, Card, Empty, Table, Tabs, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { listMailbox, type MailboxMessage } from '../../api/notify';
import { globalErrorText, mapApiError } from '../../lib/errors';
import { formatTime } from '../applications/labels';
import './notify.css';
import { ChannelTag } from './notifyLabels';

const kPageSize = 20;

function MessageBody({ m }: { m: MailboxMessage }) {
  const { t } = useTranslation();
  if (m.channel === 'sms') {
    return (
      <Typography.Paragraph className="mailbox-text" data-testid="mailbox-sms-text">
        {m.text}
      </Typography.Paragraph>
    );
  }
  const text = (
    <pre className="mailbox-text" data-testid="mailbox-email-text">
      {m.text}
    </pre>
  );
  if (!m.html) return text;
  return (
    <Tabs
      items={[
        {
          key: 'html',
          label: t('mailbox.box.tab_html'),
          children: (
            <iframe
              title={t('mailbox.box.html_frame')}
              sandbox=""
              srcDoc={m.html}
              className="mailbox-html"
              data-testid="mailbox-email-html"
            />
          ),
        },
        { key: 'text', label: t('mailbox.box.tab_text'), children: text },
      ]}
    />
  );
}

export default function MailboxPage() {
  const { t, i18n } = useTranslation();
  const { client } = useServices();
  const q = useInfiniteQuery({
    queryKey: ['mailbox'],
    queryFn: ({ pageParam }) => listMailbox(client, { limit: kPageSize, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const error = q.error ? mapApiError(q.error, []).global : null;

  const columns = [
    {
      key: 'time',
      title: t('mailbox.common.time'),
      render: (_: unknown, m: MailboxMessage) => formatTime(i18n.language, m.created_at),
    },
    {
      key: 'channel',
      title: t('mailbox.common.channel'),
      render: (_: unknown, m: MailboxMessage) => <ChannelTag channel={m.channel} />,
    },
    { key: 'to', title: t('mailbox.common.to'), dataIndex: 'to' },
    {
      key: 'content',
      title: t('mailbox.common.content'),
      render: (_: unknown, m: MailboxMessage) =>
        m.channel === 'sms' ? (
          <Typography.Text ellipsis style={{ maxWidth: 480 }}>
            {m.text}
          </Typography.Text>
        ) : (
          <Typography.Text strong data-testid="mailbox-subject">
            {m.subject || t('mailbox.common.no_subject')}
          </Typography.Text>
        ),
    },
  ];

  return (
    <div className="notify-page" data-testid="mailbox-page">
      <div className="notify-page-head">
        <Typography.Title level={3}>{t('mailbox.box.title')}</Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} data-testid="mailbox-refresh">
          {t('mailbox.common.refresh')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary">{t('mailbox.box.intro')}</Typography.Paragraph>
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
        <Table<MailboxMessage>
          rowKey="id"
          dataSource={items}
          columns={columns}
          loading={q.isPending}
          pagination={false}
          size="middle"
          scroll={{ x: 'max-content' }}
          expandable={{
            expandedRowRender: (m) => <MessageBody m={m} />,
            expandRowByClick: true,
          }}
          locale={{ emptyText: <Empty description={t('mailbox.common.empty')} /> }}
          data-testid="mailbox-table"
          onRow={(m) => ({ 'data-testid': `mailbox-row-${m.id}`, 'data-channel': m.channel }) as object}
        />
        {q.hasNextPage && (
          <div className="notify-more">
            <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} data-testid="mailbox-more">
              {t('mailbox.common.load_more')}
            </Button>
          </div>
        )}
      </Card>
    </div>
  );
}
