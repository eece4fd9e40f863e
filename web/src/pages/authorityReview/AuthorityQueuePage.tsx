// The authority reviewer's queue (8090): submissions waiting for review, those still in SMS
// verification, and the decided ones, oldest first, with the statutory clock (working days
// waiting, the 20-working-day deadline in red once overdue) and who holds the claim. Filters by
// province and overdue; "load more" pages on with the server's cursor. Claiming opens the
// review screen.
import { useState } from 'react';
import { App, Button, Checkbox, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useServices } from '../../app/services';
import { useSession } from '../../auth/session';
import {
  claimOf,
  claimSubmission,
  fetchAuthorityQueue,
  kQueueTabs,
  type AuthorityQueueItem,
  type QueueFilter,
  type QueueTab,
} from '../../api/authorityReview';
import { globalErrorText, mapApiError } from '../../lib/errors';
import { claimHolderText, formatTime } from '../review/format';
import { kProvinces } from '../review/enums';
import { SubmissionStateTag } from './labels';
import './authorityReview.css';

function isTab(v: string | null): v is QueueTab {
  return v !== null && (kQueueTabs as string[]).includes(v);
}

export function submissionPath(id: string): string {
  return `/submissions/${encodeURIComponent(id)}`;
}

export default function AuthorityQueuePage() {
  const { t } = useTranslation();
  const { client } = useServices();
  const user = useSession().data?.user;
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab');
  const tab: QueueTab = isTab(tabParam) ? tabParam : 'under_review';
  const [province, setProvince] = useState<string | undefined>();
  const [overdue, setOverdue] = useState(false);
  const filter: QueueFilter = { tab, province, overdue: tab === 'under_review' && overdue };

  const queue = useInfiniteQuery({
    queryKey: ['authority', 'queue', filter],
    queryFn: ({ pageParam }) => fetchAuthorityQueue(client, filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // Other reviewers claim and decide, persons in charge verify: keep the list current.
    refetchOnWindowFocus: true,
    refetchInterval: 30_000,
  });
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];

  const claim = useMutation({
    mutationFn: (id: string) => claimSubmission(client, id),
    onSuccess: (_answer, id) => navigate(submissionPath(id)),
    onError: (e) => {
      const g = mapApiError(e, []).global;
      const holder = claimHolderText(t, e);
      if (g) void message.error(holder ? `${globalErrorText(t, g)} ${holder}` : globalErrorText(t, g));
      void queue.refetch();
    },
  });

  const columns: ColumnsType<AuthorityQueueItem> = [
    {
      title: t('authorityReview.queue.organizer'),
      key: 'organizer',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong data-testid="queue-organizer">
            {r.organizer_name}
          </Typography.Text>
          <Typography.Text type="secondary">
            {t(`review.enum.organizer_type.${r.organizer_type}`, { defaultValue: r.organizer_type })}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('authorityReview.queue.filing_type'),
      key: 'filing_type',
      render: (_, r) => t(`review.filing_type.${r.filing_type}`, { defaultValue: r.filing_type }),
    },
    {
      title: t('authorityReview.queue.province'),
      key: 'province',
      render: (_, r) => t(`review.enum.province.${r.province}`, { defaultValue: r.province }),
    },
    {
      title: t('authorityReview.queue.domains'),
      key: 'domains',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          {r.domains.map((d) => (
            <span key={d}>{d}</span>
          ))}
        </Space>
      ),
    },
    {
      title: t('authorityReview.queue.provider'),
      key: 'provider',
      render: (_, r) => r.provider_name || r.provider_id,
    },
    {
      title: t('authorityReview.queue.received'),
      key: 'received',
      render: (_, r) => formatTime(r.received_at),
    },
    ...(tab === 'decided'
      ? [
          {
            title: t('authorityReview.queue.state'),
            key: 'state',
            render: (_: unknown, r: AuthorityQueueItem) => <SubmissionStateTag state={r.state} />,
          },
        ]
      : [
          {
            title: t('authorityReview.queue.waiting'),
            key: 'waiting',
            align: 'right' as const,
            render: (_: unknown, r: AuthorityQueueItem) => (
              <span data-testid="queue-waiting">{r.business_days_waiting}</span>
            ),
          },
          {
            // While the codes are out, the clock that runs is the SMS verification's 24 hours.
            title: t(tab === 'sms_verification' ? 'authorityReview.queue.sms_deadline' : 'authorityReview.queue.deadline'),
            key: 'deadline',
            render: (_: unknown, r: AuthorityQueueItem) =>
              tab === 'sms_verification' ? (
                <span data-testid="queue-sms-deadline">{formatTime(r.sms_deadline)}</span>
              ) : r.deadline ? (
                <Typography.Text type={r.overdue ? 'danger' : undefined} data-testid="queue-deadline">
                  {formatTime(r.deadline)}
                  {r.overdue && (
                    <Tag color="red" className="authority-overdue" data-testid="overdue-tag">
                      {t('authorityReview.queue.overdue')}
                    </Tag>
                  )}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          {
            title: t('authorityReview.queue.claim'),
            key: 'claim',
            render: (_: unknown, r: AuthorityQueueItem) => {
              const c = claimOf(r, user);
              if (!c) return <Typography.Text type="secondary">—</Typography.Text>;
              return (
                <Tooltip title={t('authorityReview.queue.claim_until', { time: formatTime(c.until) })}>
                  <Tag color={c.mine ? 'green' : 'orange'} data-testid="claim-holder">
                    {c.mine ? t('authorityReview.queue.claimed_by_me') : c.holder}
                  </Tag>
                </Tooltip>
              );
            },
          },
        ]),
    {
      title: t('authorityReview.queue.actions'),
      key: 'actions',
      render: (_, r) => {
        const c = claimOf(r, user);
        const canClaim = tab === 'under_review' && (!c || c.mine);
        return canClaim ? (
          <Button
            size="small"
            type="primary"
            loading={claim.isPending && claim.variables === r.id}
            data-testid={`claim-${r.id}`}
            onClick={() => claim.mutate(r.id)}
          >
            {c?.mine ? t('authorityReview.queue.continue') : t('authorityReview.queue.claim_action')}
          </Button>
        ) : (
          <Button size="small" data-testid={`open-${r.id}`} onClick={() => navigate(submissionPath(r.id))}>
            {t('authorityReview.queue.view')}
          </Button>
        );
      },
    },
  ];

  const errorText = queue.isError
    ? (() => {
        const g = mapApiError(queue.error, []).global;
        return g ? globalErrorText(t, g) : null;
      })()
    : null;

  return (
    <div data-testid="authority-queue-page" data-tab={tab}>
      <Typography.Title level={3}>{t('authorityReview.queue.title')}</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        items={kQueueTabs.map((s) => ({
          key: s,
          label: <span data-testid={`tab-${s}`}>{t(`authorityReview.queue.tab.${s}`)}</span>,
        }))}
      />
      <Space wrap className="authority-filters" data-testid="queue-filters">
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('authorityReview.queue.province_filter')}
          style={{ width: 180 }}
          value={province}
          onChange={setProvince}
          data-testid="filter-province"
          options={kProvinces.map((p) => ({ value: p, label: t(`review.enum.province.${p}`) }))}
        />
        {tab === 'under_review' && (
          <Checkbox
            checked={overdue}
            onChange={(e) => setOverdue(e.target.checked)}
            data-testid="filter-overdue"
          >
            {t('authorityReview.queue.overdue_only')}
          </Checkbox>
        )}
        <Button onClick={() => void queue.refetch()} data-testid="queue-refresh">
          {t('authorityReview.queue.refresh')}
        </Button>
      </Space>
      {errorText && (
        <Typography.Paragraph type="danger" data-testid="queue-error">
          {errorText}
        </Typography.Paragraph>
      )}
      <Table<AuthorityQueueItem>
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={queue.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="queue-table"
        rowClassName={(r) => (r.overdue && tab !== 'decided' ? 'authority-row-overdue' : '')}
        locale={{ emptyText: t(`authorityReview.queue.empty.${tab}`) }}
      />
      {queue.hasNextPage && (
        <div className="authority-load-more">
          <Button
            onClick={() => void queue.fetchNextPage()}
            loading={queue.isFetchingNextPage}
            data-testid="load-more"
          >
            {t('authorityReview.queue.load_more')}
          </Button>
        </div>
      )}
    </div>
  );
}
