// The authority reviewer's queue (8090): submissions waiting for review, those still in SMS
// verification, and the decided ones, oldest first, with the statutory clock (working days
// waiting, the 20-working-day deadline in red once overdue) and who holds the claim. Filters by
// province and overdue; "load more" pages on with the server's cursor. Claiming opens the
// review screen.
import { useState } from 'react';
import { Checkbox, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
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
import { formatTime } from '../review/format';
import { SubmissionStateTag } from './labels';
import './authorityReview.css';

export function submissionPath(id: string): string {
  return `/submissions/${encodeURIComponent(id)}`;
}

export default function AuthorityQueuePage() {
  const { t } = useTranslation();
  const { client } = useServices();
  const user = useSession().data?.user;
  const navigate = useNavigate();
  const tab = useQueueTab<QueueTab>('tab', kQueueTabs, 'under_review');
  const [province, setProvince] = useState<string | undefined>();
  const [overdue, setOverdue] = useState(false);
  const filter: QueueFilter = { tab, province, overdue: tab === 'under_review' && overdue };
  const open = (id: string) => navigate(submissionPath(id));

  // Other reviewers claim and decide, persons in charge verify: the list refreshes every 30 s.
  const state = useClaimingQueue<AuthorityQueueItem>({
    queryKey: ['authority', 'queue', filter],
    fetchPage: (cursor) => fetchAuthorityQueue(client, filter, cursor),
    refetchInterval: 30_000,
    claim: (id) => claimSubmission(client, id),
    open,
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
      render: (_, r) => <DomainsCell domains={r.domains} />,
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
              ) : (
                <DeadlineCell
                  deadline={r.deadline}
                  overdue={r.overdue}
                  testId="queue-deadline"
                  textPrefix="authorityReview.queue"
                />
              ),
          },
          {
            title: t('authorityReview.queue.claim'),
            key: 'claim',
            render: (_: unknown, r: AuthorityQueueItem) => (
              <ClaimTag
                claim={claimOf(r, user)}
                textPrefix="authorityReview.queue"
              />
            ),
          },
        ]),
    {
      title: t('authorityReview.queue.actions'),
      key: 'actions',
      render: (_, r) => {
        const c = claimOf(r, user);
        return (
          <ClaimOrOpen
            id={r.id}
            canClaim={tab === 'under_review' && (!c || c.mine)}
            mine={c?.mine === true}
            state={state}
            open={open}
            textPrefix="authorityReview.queue"
          />
        );
      },
    },
  ];

  return (
    <QueueLayout<AuthorityQueueItem>
      testId="authority-queue-page"
      tabParam="tab"
      tab={tab}
      tabs={kQueueTabs}
      textPrefix="authorityReview.queue"
      refreshText={t('authorityReview.queue.refresh')}
      loadMoreText={t('authorityReview.queue.load_more')}
      state={state}
      columns={columns}
      rowClassName={(r) => (r.overdue && tab !== 'decided' ? 'authority-row-overdue' : '')}
      filters={
        <>
          <ProvinceFilter
            textPrefix="authorityReview.queue"
            width={180}
            value={province}
            onChange={setProvince}
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
        </>
      }
    />
  );
}
