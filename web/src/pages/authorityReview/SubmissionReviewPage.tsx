// The authority reviewer's screen of one submission (8090): every field grouped (the organizer,
// each website) with the documents that prove them beside, identity numbers and mobiles masked
// (the server masks them; the authority reviewer decides on the documents), the verified photo,
// the SMS verification of each person in charge, the history, and the decision panel: claim,
// approve, reject with field-level reasons from the authority's catalogue. A decided submission
// shows its outcome: the subject SN and the website SNs, or the reasons.
import type { ReactNode } from 'react';
import { App, Card, Descriptions, Empty, Form, Result, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useServices } from '../../app/services';
import { useSession } from '../../auth/session';
import {
  claimOf,
  claimSubmission,
  decideSubmission,
  eventReasons,
  fetchAuthorityReasons,
  fetchSubmission,
  websiteSnsOf,
  type DecisionReason,
  type ReasonEntry,
  type SubmissionDetail,
  type SubmissionDocument,
} from '../../api/authorityReview';
import type { Application, ApplicationDocument } from '../../api/applications';
import {
  displayValue,
  fieldLabel,
  organizerPaths,
  reasonFields,
  valueAt,
  websitePaths,
} from '../../lib/reviewFields';
import {
  ApproveButton,
  ClaimControls,
  DecisionCard,
  DecisionNote,
  DetailFallback,
  FieldGroupCard,
  RejectForm,
  ReviewLayout,
  documentsOf,
  reasonName,
  useDecisionFailure,
  type ReasonRow,
} from '../../components/review/ReviewLayout';
import { formatTime } from '../review/format';
import { SubmissionDocumentView } from './SubmissionDocumentView';
import { SubmissionStateTag, smsPersonLabel } from './labels';
import './authorityReview.css';

const kOpenStates = ['sms_verification', 'under_review'];

// The submission's organizer and websites in the application's shape, for the field helpers.
function asApplication(d: SubmissionDetail): Application {
  return { organizer: d.organizer, websites: d.websites } as unknown as Application;
}

function FieldGroup({
  title,
  prefix,
  paths,
  detail,
  docs,
  testId,
}: {
  title: ReactNode;
  prefix: string;
  paths: string[];
  detail: SubmissionDetail;
  docs: SubmissionDocument[];
  testId: string;
}) {
  const { t } = useTranslation();
  const app = asApplication(detail);
  return (
    <FieldGroupCard
      title={title}
      prefix={prefix}
      paths={paths}
      testId={testId}
      value={(p) => <span data-testid={`field-${p}`}>{displayValue(t, p, valueAt(app, p))}</span>}
      documents={docs.map((d) => (
        <SubmissionDocumentView key={d.id} submissionId={detail.id} doc={d} />
      ))}
    />
  );
}

function DecisionPanel({
  detail,
  catalogue,
}: {
  detail: SubmissionDetail;
  catalogue: ReasonEntry[] | undefined;
}) {
  const { t } = useTranslation();
  const { client } = useServices();
  const user = useSession().data?.user;
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ reasons: ReasonRow[] }>();
  const { setFailure, decisionFailed, alert } = useDecisionFailure(form, (code) => `errors.code.${code}`);
  const id = detail.id;
  const claim = claimOf(detail, user);
  const detailKey = ['authority', 'submission', id];
  const refresh = () => qc.invalidateQueries({ queryKey: ['authority'] });

  const claimMut = useMutation({
    mutationFn: () => claimSubmission(client, id),
    onSuccess: (answer) => {
      setFailure(null);
      // Show the claim at once; the refetch confirms it.
      qc.setQueryData<SubmissionDetail>(detailKey, (old) =>
        old
          ? {
              ...old,
              claimed_by: answer.claimed_by,
              claim_until: answer.claim_until,
              claimed_by_name: answer.claimed_by_name ?? old.claimed_by_name,
              claimed_by_me: true,
            }
          : old,
      );
      void refresh();
    },
    onError: (e) => {
      setFailure(e);
      void refresh();
    },
  });

  const decideMut = useMutation({
    mutationFn: (v: { decision: 'approve' | 'reject'; reasons: DecisionReason[] }) =>
      decideSubmission(client, id, v.decision, v.reasons),
    onSuccess: (answer, v) => {
      void message.success(t(`authorityReview.detail.done_${v.decision}`));
      // The answer is the decided submission (with its SNs): show it at once.
      qc.setQueryData<SubmissionDetail>(detailKey, (old) => ({ ...(old ?? detail), ...answer }));
      void refresh();
    },
    onError: (e) => {
      decisionFailed(e);
      void refresh();
    },
  });

  const fields = reasonFields(
    asApplication(detail),
    detail.documents as unknown as ApplicationDocument[],
    'preliminary',
  );

  if (detail.state === 'sms_verification') {
    return (
      <DecisionNote
        title={t('authorityReview.detail.decision')}
        testId="waiting-sms"
        text={t('authorityReview.detail.waiting_sms')}
      />
    );
  }
  if (detail.state !== 'under_review') {
    return (
      <DecisionNote
        title={t('authorityReview.detail.decision')}
        testId="read-only"
        text={t('authorityReview.detail.read_only', {
          state: t(`authorityReview.state.${detail.state}`, { defaultValue: detail.state }),
        })}
      />
    );
  }

  return (
    <DecisionCard title={t('authorityReview.detail.decision')}>
      {alert}
      <ClaimControls
        claim={claim}
        claiming={claimMut.isPending}
        onClaim={() => claimMut.mutate()}
        textPrefix="authorityReview.detail"
        claimLabel={t('authorityReview.detail.claim')}
      >
        <ApproveButton
          confirm={t('authorityReview.detail.approve_confirm')}
          okText={t('authorityReview.detail.confirm')}
          label={t('authorityReview.detail.approve')}
          loading={decideMut.isPending}
          onConfirm={() => decideMut.mutate({ decision: 'approve', reasons: [] })}
        />
        <RejectForm
          form={form}
          title={t('authorityReview.detail.reject_title')}
          fields={fields}
          reasons={catalogue ?? []}
          textPrefix="authorityReview.detail"
          rejectLabel={t('authorityReview.detail.reject')}
          rejecting={decideMut.isPending}
          onAttempt={() => setFailure(null)}
          onReject={(reasons) => decideMut.mutate({ decision: 'reject', reasons })}
        />
      </ClaimControls>
    </DecisionCard>
  );
}

// The outcome of a decided submission: the numbers issued, or the reasons it was refused.
function Outcome({ detail, catalogue }: { detail: SubmissionDetail; catalogue: ReasonEntry[] | undefined }) {
  const { t, i18n } = useTranslation();
  if (detail.state === 'approved') {
    const sites = websiteSnsOf(detail);
    return (
      <Card className="review-card" data-testid="outcome-approved">
        <Result
          status="success"
          title={t('authorityReview.detail.approved_title')}
          subTitle={
            <Space direction="vertical" size={0}>
              <span>{t('authorityReview.detail.subject_sn')}</span>
              <span className="authority-sn" data-testid="subject-sn">
                {detail.subject_sn ?? '—'}
              </span>
            </Space>
          }
        />
        <Table
          rowKey="sn"
          size="small"
          pagination={false}
          data-testid="website-sns"
          dataSource={sites}
          columns={[
            { key: 'name', title: t('authorityReview.detail.website'), dataIndex: 'name' },
            {
              key: 'domains',
              title: t('authorityReview.queue.domains'),
              render: (_: unknown, s) => s.domains.join(', '),
            },
            {
              key: 'sn',
              title: t('authorityReview.detail.website_sn'),
              render: (_: unknown, s) => (
                <Typography.Text strong data-testid="website-sn">
                  {s.sn}
                </Typography.Text>
              ),
            },
          ]}
        />
        {detail.filing_type === 'first_filing' && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }} data-testid="password-note">
            {t('authorityReview.detail.password_note')}
          </Typography.Paragraph>
        )}
      </Card>
    );
  }
  if (detail.state === 'rejected' || detail.state === 'expired') {
    const last = [...detail.events].reverse().find((e) => eventReasons(e).length > 0);
    const reasons = last ? eventReasons(last) : [];
    return (
      <Card className="review-card" data-testid={`outcome-${detail.state}`}>
        <Result
          status={detail.state === 'rejected' ? 'error' : 'warning'}
          title={t(
            detail.state === 'rejected' ? 'authorityReview.detail.rejected_title' : 'authorityReview.detail.expired_title',
          )}
        />
        {reasons.length > 0 && (
          <ul className="review-list" data-testid="outcome-reasons">
            {reasons.map((r, i) => (
              <li key={i}>
                {r.field && <Typography.Text strong>{fieldLabel(t, r.field)}{t('review.colon')}</Typography.Text>}
                {reasonName(i18n.language, catalogue, r.code)}
                {r.message ? ` — ${r.message}` : ''}
              </li>
            ))}
          </ul>
        )}
      </Card>
    );
  }
  return null;
}

function SmsCard({ detail }: { detail: SubmissionDetail }) {
  const { t } = useTranslation();
  return (
    <Card title={t('authorityReview.detail.sms')} className="review-card" data-testid="sms-status">
      {detail.sms.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          {detail.sms.map((s) => (
            <Descriptions
              key={s.person}
              size="small"
              column={1}
              bordered
              data-testid={`sms-${s.person}`}
              title={smsPersonLabel(t, s.person)}
              items={[
                {
                  key: 'mobile',
                  label: t('authorityReview.detail.sms_mobile'),
                  children: <span className="mono">{s.mobile}</span>,
                },
                {
                  key: 'state',
                  label: t('authorityReview.detail.sms_state'),
                  children: (
                    <Tag color={s.verified ? 'green' : 'gold'} data-testid="sms-verified" data-verified={String(s.verified)}>
                      {t(s.verified ? 'authorityReview.detail.sms_verified' : 'authorityReview.detail.sms_pending')}
                    </Tag>
                  ),
                },
                {
                  key: 'attempts',
                  label: t('authorityReview.detail.sms_attempts'),
                  children: s.attempts_wrong,
                },
                { key: 'resends', label: t('authorityReview.detail.sms_resends'), children: s.resends },
              ]}
            />
          ))}
        </Space>
      )}
    </Card>
  );
}

function EventTimeline({ detail, catalogue }: { detail: SubmissionDetail; catalogue?: ReasonEntry[] }) {
  const { t, i18n } = useTranslation();
  if (detail.events.length === 0) return <Empty description={t('authorityReview.detail.timeline_empty')} />;
  return (
    <Timeline
      data-testid="timeline"
      items={detail.events.map((e, i) => {
        const to = e.to_state ?? e.to ?? null;
        const bad = e.event === 'reject' || e.event === 'sms_failed' || e.event === 'sms_timeout';
        return {
          key: e.seq ?? i,
          color: bad ? 'red' : e.event === 'approve' ? 'green' : 'blue',
          content: (
            <Space direction="vertical" size={0} data-testid="timeline-event" data-event={e.event}>
              <Typography.Text strong>
                {t(`authorityReview.event.${e.event}`, { defaultValue: e.event })}
              </Typography.Text>
              <Typography.Text type="secondary">
                {formatTime(e.at)}
                {to ? ` · ${t(`authorityReview.state.${to}`, { defaultValue: to })}` : ''}
              </Typography.Text>
              {eventReasons(e).map((r, j) => (
                <Typography.Text key={j} type="danger">
                  {r.field ? `${fieldLabel(t, r.field)}: ` : ''}
                  {reasonName(i18n.language, catalogue, r.code)}
                  {r.message ? ` — ${r.message}` : ''}
                </Typography.Text>
              ))}
            </Space>
          ),
        };
      })}
    />
  );
}

export default function SubmissionReviewPage() {
  const { t } = useTranslation();
  const { client } = useServices();
  const { id = '' } = useParams();
  const detailQ = useQuery({
    queryKey: ['authority', 'submission', id],
    queryFn: () => fetchSubmission(client, id),
    retry: false,
  });
  const reasonsQ = useQuery({
    queryKey: ['authority', 'reasons'],
    queryFn: () => fetchAuthorityReasons(client),
    staleTime: Infinity,
  });
  const detail = detailQ.data;

  if (detailQ.isPending || detailQ.isError || !detail) {
    return (
      <DetailFallback
        pending={detailQ.isPending}
        error={detailQ.error}
        loadingTestId="submission-loading"
        errorTestId="submission-error"
        notFoundText={t('authorityReview.detail.not_found')}
        back={{ to: '/submissions', text: t('authorityReview.detail.back') }}
      />
    );
  }

  const app = asApplication(detail);
  const catalogue = reasonsQ.data;
  const photos = detail.documents.filter((d) => d.kind === 'verified_photo');
  const grouped = new Set(
    [
      ...documentsOf(detail.documents, 'organizer'),
      ...detail.websites.flatMap((_, i) => documentsOf(detail.documents, `websites[${i}]`)),
      ...photos,
    ].map((d) => d.id),
  );
  const otherDocs = detail.documents.filter((d) => !grouped.has(d.id));
  const backTab = kOpenStates.includes(detail.state) ? detail.state : 'decided';

  return (
    <ReviewLayout
      testId="submission-page"
      state={detail.state}
      heading={
        <>
          <Link to={`/submissions?tab=${backTab}`}>{t('authorityReview.detail.back')}</Link>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="submission-title">
            {detail.organizer?.name ?? detail.organizer_name}
          </Typography.Title>
          <SubmissionStateTag state={detail.state} />
          <Tag>{t(`review.filing_type.${detail.filing_type}`, { defaultValue: detail.filing_type })}</Tag>
          <Typography.Text type="secondary">
            {t('authorityReview.detail.received_at', { time: formatTime(detail.received_at) })}
          </Typography.Text>
          {detail.deadline && (
            <Typography.Text type={detail.overdue ? 'danger' : 'secondary'} data-testid="submission-deadline">
              {t('authorityReview.detail.deadline', { time: formatTime(detail.deadline) })}
              {detail.overdue && (
                <Tag color="red" className="queue-overdue">
                  {t('authorityReview.queue.overdue')}
                </Tag>
              )}
            </Typography.Text>
          )}
          {detail.review_started_at && detail.state === 'under_review' && (
            <Typography.Text type="secondary">
              {t('authorityReview.detail.waiting', { count: detail.business_days_waiting })}
            </Typography.Text>
          )}
        </>
      }
      main={
        <>
          <Outcome detail={detail} catalogue={catalogue} />
          <Card className="review-card" size="small">
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={[
                {
                  key: 'provider',
                  label: t('authorityReview.detail.provider'),
                  children: <span data-testid="submission-provider">{detail.provider_name || detail.provider_id}</span>,
                },
                {
                  key: 'province',
                  label: t('authorityReview.queue.province'),
                  children: t(`review.enum.province.${detail.province}`, { defaultValue: detail.province }),
                },
                ...(detail.beian_sn
                  ? [{ key: 'beian_sn', label: t('authorityReview.detail.beian_sn'), children: detail.beian_sn }]
                  : []),
              ]}
            />
          </Card>
          <FieldGroup
            title={t('authorityReview.detail.organizer')}
            prefix="organizer"
            paths={organizerPaths(app)}
            detail={detail}
            docs={documentsOf(detail.documents, 'organizer')}
            testId="group-organizer"
          />
          {detail.websites.map((w, i) => (
            <FieldGroup
              key={i}
              title={`${t('review.field.website_n', { n: i + 1 })} · ${w.name ?? ''}`}
              prefix={`websites[${i}]`}
              paths={websitePaths(app, i)}
              detail={detail}
              docs={documentsOf(detail.documents, `websites[${i}]`)}
              testId={`group-website-${i}`}
            />
          ))}
          {photos.length > 0 && (
            <Card title={t('authorityReview.detail.verified_photo')} className="review-card" data-testid="photo-card">
              <Space wrap align="start">
                {photos.map((d) => (
                  <SubmissionDocumentView key={d.id} submissionId={detail.id} doc={d} large />
                ))}
              </Space>
            </Card>
          )}
          {otherDocs.length > 0 && (
            <Card title={t('authorityReview.detail.other_documents')} className="review-card" data-testid="other-documents">
              <Space wrap align="start">
                {otherDocs.map((d) => (
                  <SubmissionDocumentView key={d.id} submissionId={detail.id} doc={d} />
                ))}
              </Space>
            </Card>
          )}
        </>
      }
      side={
        <>
          <DecisionPanel detail={detail} catalogue={catalogue} />
          <SmsCard detail={detail} />
          <Card title={t('authorityReview.detail.timeline')} className="review-card">
            <EventTimeline detail={detail} catalogue={catalogue} />
          </Card>
        </>
      }
    />
  );
}
