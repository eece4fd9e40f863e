// The reviewer's queue: applications waiting for the preliminary review, verified photos waiting
// for the authenticity check, and (read only) those ready for the authority; oldest first, with
// the business-day SLA clock. Filters by province, organizer type and overdue; "load more" pages
// on with the server's cursor. Claiming opens the review screen.
import { useState } from 'react';
import { App, Button, Checkbox, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useServices } from '../../app/services';
import {
  claimApplication,
  fetchQueue,
  kReviewStages,
  type QueueFilter,
  type QueueItem,
  type ReviewStage,
} from '../../api/review';
import { globalErrorText, mapApiError } from '../../lib/errors';
import { claimHolderText, formatTime } from './format';
import './review.css';
import { kOrganizerTypes, kProvinces } from './enums';

function isStage(v: string | null): v is ReviewStage {
  return v !== null && (kReviewStages as string[]).includes(v);
}

export function ClaimHolder({ item }: { item: Pick<QueueItem, 'claim'> }) {
  const { t } = useTranslation();
  if (!item.claim) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tooltip title={t('review.queue.claim_until', { time: formatTime(item.claim.expires_at) })}>
      <Tag color={item.claim.mine ? 'green' : 'orange'} data-testid="claim-holder">
        {item.claim.mine ? t('review.queue.claimed_by_me') : item.claim.reviewer_name}
      </Tag>
    </Tooltip>
  );
}

export default function ReviewQueuePage() {
  const { t } = useTranslation();
  const { client } = useServices();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const stageParam = params.get('stage');
  const stage: ReviewStage = isStage(stageParam) ? stageParam : 'preliminary';
  const [province, setProvince] = useState<string | undefined>();
  const [organizerType, setOrganizerType] = useState<string | undefined>();
  const [overdue, setOverdue] = useState(false);
  const filter: QueueFilter = { stage, province, organizer_type: organizerType, overdue };

  const queue = useInfiniteQuery({
    queryKey: ['review', 'queue', filter],
    queryFn: ({ pageParam }) => fetchQueue(client, filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // Other reviewers claim and decide meanwhile: keep the list current.
    refetchOnWindowFocus: true,
    refetchInterval: 60_000,
  });
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];

  const claim = useMutation({
    mutationFn: (id: string) => claimApplication(client, id),
    onSuccess: (_answer, id) => navigate(`/review/applications/${encodeURIComponent(id)}`),
    onError: (e) => {
      const g = mapApiError(e, []).global;
      const holder = claimHolderText(t, e);
      if (g) void message.error(holder ? `${globalErrorText(t, g)} ${holder}` : globalErrorText(t, g));
      void queue.refetch();
    },
  });

  const columns: ColumnsType<QueueItem> = [
    {
      title: t('review.queue.organizer'),
      key: 'organizer',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong data-testid="queue-organizer">
            {r.organizer_name}
          </Typography.Text>
          <Typography.Text type="secondary" className="mono">
            {r.certificate_number}
          </Typography.Text>
          {r.resubmission && (
            <Tag color="purple" data-testid="resubmission-tag">
              {t('review.queue.resubmission')}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: t('review.queue.type'),
      key: 'type',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <span>{t(`review.enum.organizer_type.${r.organizer_type}`, { defaultValue: r.organizer_type })}</span>
          {r.filing_type && (
            <Typography.Text type="secondary">
              {t(`review.filing_type.${r.filing_type}`, { defaultValue: r.filing_type })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('review.queue.province'),
      dataIndex: 'province',
      render: (p: string) => t(`review.enum.province.${p}`, { defaultValue: p }),
    },
    {
      title: t('review.queue.domains'),
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
      title: t('review.queue.waiting'),
      dataIndex: 'waiting_business_days',
      align: 'right',
    },
    {
      title: t('review.queue.deadline'),
      key: 'deadline',
      render: (_, r) =>
        r.sla_deadline ? (
          <Typography.Text type={r.overdue ? 'danger' : undefined} data-testid="sla-deadline">
            {formatTime(r.sla_deadline)}
            {r.overdue && (
              <Tag color="red" className="sla-overdue" data-testid="overdue-tag">
                {t('review.queue.overdue')}
              </Tag>
            )}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      title: t('review.queue.claim'),
      key: 'claim',
      render: (_, r) => <ClaimHolder item={r} />,
    },
    {
      title: t('review.queue.actions'),
      key: 'actions',
      render: (_, r) =>
        stage === 'ready' || (r.claim && !r.claim.mine) ? (
          <Button
            size="small"
            data-testid={`open-${r.id}`}
            onClick={() => navigate(`/review/applications/${encodeURIComponent(r.id)}`)}
          >
            {t('review.queue.view')}
          </Button>
        ) : (
          <Button
            size="small"
            type="primary"
            loading={claim.isPending && claim.variables === r.id}
            data-testid={`claim-${r.id}`}
            onClick={() => claim.mutate(r.id)}
          >
            {r.claim?.mine ? t('review.queue.continue') : t('review.queue.claim_action')}
          </Button>
        ),
    },
  ];

  const errorText = queue.isError
    ? (() => {
        const g = mapApiError(queue.error, []).global;
        return g ? globalErrorText(t, g) : null;
      })()
    : null;

  return (
    <div data-testid="review-queue-page">
      <Typography.Title level={3}>{t('review.queue.title')}</Typography.Title>
      <Tabs
        activeKey={stage}
        onChange={(key) => setParams({ stage: key }, { replace: true })}
        items={kReviewStages.map((s) => ({
          key: s,
          label: <span data-testid={`stage-${s}`}>{t(`review.queue.stage.${s}`)}</span>,
        }))}
      />
      <Space wrap className="review-filters" data-testid="queue-filters">
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('review.queue.province_filter')}
          style={{ width: 160 }}
          value={province}
          onChange={setProvince}
          data-testid="filter-province"
          options={kProvinces.map((p) => ({ value: p, label: t(`review.enum.province.${p}`) }))}
        />
        <Select
          allowClear
          placeholder={t('review.queue.organizer_type_filter')}
          style={{ width: 200 }}
          value={organizerType}
          onChange={setOrganizerType}
          data-testid="filter-organizer-type"
          options={kOrganizerTypes.map((o) => ({
            value: o,
            label: t(`review.enum.organizer_type.${o}`),
          }))}
        />
        <Checkbox
          checked={overdue}
          onChange={(e) => setOverdue(e.target.checked)}
          data-testid="filter-overdue"
        >
          {t('review.queue.overdue_only')}
        </Checkbox>
        <Button onClick={() => void queue.refetch()} data-testid="queue-refresh">
          {t('review.refresh')}
        </Button>
      </Space>
      {errorText && (
        <Typography.Paragraph type="danger" data-testid="queue-error">
          {errorText}
        </Typography.Paragraph>
      )}
      <Table<QueueItem>
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={queue.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="queue-table"
        rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
        locale={{ emptyText: t(`review.queue.empty.${stage}`) }}
      />
      {queue.hasNextPage && (
        <div className="load-more">
          <Button
            onClick={() => void queue.fetchNextPage()}
            loading={queue.isFetchingNextPage}
            data-testid="load-more"
          >
            {t('review.load_more')}
          </Button>
        </div>
      )}
    </div>
  );
}
