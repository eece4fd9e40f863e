// The reviewer's queue: applications waiting for the preliminary review, verified photos waiting
// for the authenticity check, and (read only) those ready for the authority; oldest first, with
// the business-day SLA clock. Filters by province, organizer type and overdue; "load more" pages
// on with the server's cursor. Claiming opens the review screen.
import { useState } from 'react';
import { Checkbox, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useServices } from '../../app/services';
import {
  claimApplication,
  fetchQueue,
  kReviewStages,
  type QueueFilter,
  type QueueItem,
  type ReviewStage,
} from '../../api/review';
import {
  ClaimOrOpen,
  ClaimTag,
  DeadlineCell,
  DomainsCell,
  ProvinceFilter,
  QueueLayout,
  useClaimingQueue,
  useQueueTab,
} from '../../components/review/ReviewQueue';
import './review.css';
import { kOrganizerTypes } from '../../api/applications';

// Who holds the application's claim (the queue's Claim shape in the shared tag's).
export function ClaimHolder({ item }: { item: Pick<QueueItem, 'claim'> }) {
  const c = item.claim;
  return (
    <ClaimTag
      claim={c && { holder: c.reviewer_name, until: c.expires_at, mine: c.mine }}
      textPrefix="review.queue"
    />
  );
}

function applicationPath(id: string): string {
  return `/review/applications/${encodeURIComponent(id)}`;
}

export default function ReviewQueuePage() {
  const { t } = useTranslation();
  const { client } = useServices();
  const navigate = useNavigate();
  const stage = useQueueTab<ReviewStage>('stage', kReviewStages, 'preliminary');
  const [province, setProvince] = useState<string | undefined>();
  const [organizerType, setOrganizerType] = useState<string | undefined>();
  const [overdue, setOverdue] = useState(false);
  const filter: QueueFilter = { stage, province, organizer_type: organizerType, overdue };
  const open = (id: string) => navigate(applicationPath(id));

  const state = useClaimingQueue<QueueItem>({
    queryKey: ['review', 'queue', filter],
    fetchPage: (cursor) => fetchQueue(client, filter, cursor),
    refetchInterval: 60_000,
    claim: (id) => claimApplication(client, id),
    open,
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
      render: (_, r) => <DomainsCell domains={r.domains} />,
    },
    {
      title: t('review.queue.waiting'),
      dataIndex: 'waiting_business_days',
      align: 'right',
    },
    {
      title: t('review.queue.deadline'),
      key: 'deadline',
      render: (_, r) => (
        <DeadlineCell
          deadline={r.sla_deadline}
          overdue={r.overdue}
          testId="sla-deadline"
          textPrefix="review.queue"
        />
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
      render: (_, r) => (
        <ClaimOrOpen
          id={r.id}
          canClaim={!(stage === 'ready' || (r.claim && !r.claim.mine))}
          mine={r.claim?.mine === true}
          state={state}
          open={open}
          textPrefix="review.queue"
        />
      ),
    },
  ];

  return (
    <QueueLayout<QueueItem>
      testId="review-queue-page"
      tabParam="stage"
      tab={stage}
      tabs={kReviewStages}
      textPrefix="review.queue"
      refreshText={t('review.refresh')}
      loadMoreText={t('review.load_more')}
      state={state}
      columns={columns}
      rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
      filters={
        <>
          <ProvinceFilter
            textPrefix="review.queue"
            width={160}
            value={province}
            onChange={setProvince}
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
        </>
      }
    />
  );
}
