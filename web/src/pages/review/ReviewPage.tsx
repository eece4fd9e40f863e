// The review screen of one application: every field grouped (the organizer, each website) with
// the documents that prove them beside, personal numbers masked until the reviewer asks to see
// them (each reveal is audited by the server), the precheck's findings, what changed since the
// last rejection and that rejection's reasons, the timeline, and the decision panel: claim,
// approve, reject with field-level reasons from the catalogue, release. For an application whose
// verified photo is waiting (photo_uploaded) the same screen shows the photo large with accept /
// reject; other states are shown read only.
import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Space, Tag, Timeline, Typography } from 'antd';
import { ArrowRightOutlined, EyeOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useServices } from '../../app/services';
import {
  claimApplication,
  decide,
  decidePhoto,
  fetchReasons,
  fetchReviewDetail,
  releaseClaim,
  revealNumbers,
  type DecisionReason,
  type ReasonEntry,
  type ReviewDetail,
} from '../../api/review';
import type { Application, ApplicationDocument } from '../../api/applications';
import {
  displayValue,
  documentPathOf,
  fieldLabel,
  isSecretPath,
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
import { DocumentView } from './DocumentView';
import { formatTime } from './format';
import './review.css';

function localized(lang: string, m: unknown): string {
  if (typeof m === 'string') return m;
  if (m && typeof m === 'object') {
    const o = m as Record<string, string>;
    return (lang === 'en' ? o.en : o['zh-CN']) ?? o.en ?? '';
  }
  return '';
}

interface FieldContext {
  app: Application;
  // Full values of the paths the reviewer chose to see (one reveal call fetches them all; each
  // is shown only once its own "show" is clicked).
  shown: Record<string, string>;
  onReveal: (path: string) => void;
  revealing: boolean;
  flagged: Set<string>;
  changed: Map<string, { before: unknown; after: unknown }>;
}

function FieldValue({ path, ctx }: { path: string; ctx: FieldContext }) {
  const { t } = useTranslation();
  const value = valueAt(ctx.app, path);
  const full = ctx.shown[path];
  const secret = isSecretPath(path) && typeof value === 'string' && value.includes('*');
  const change = ctx.changed.get(path);
  return (
    <Space direction="vertical" size={0} data-testid={`field-${path}`}>
      <Space size={4} wrap>
        <span className={secret && !full ? 'mono' : undefined} data-testid="field-value">
          {full ?? displayValue(t, path, value)}
        </span>
        {secret && !full && (
          <Button
            size="small"
            type="link"
            icon={<EyeOutlined />}
            loading={ctx.revealing}
            onClick={() => ctx.onReveal(path)}
            data-testid={`reveal-${path}`}
          >
            {t('review.detail.show')}
          </Button>
        )}
        {ctx.flagged.has(path) && <Tag color="red">{t('review.detail.flagged')}</Tag>}
      </Space>
      {change && (
        <Typography.Text type="warning" className="review-change" data-testid="field-change">
          {t('review.detail.was', { value: displayValue(t, path, change.before) })}
        </Typography.Text>
      )}
    </Space>
  );
}

function FieldGroup({
  title,
  prefix,
  paths,
  docs,
  ctx,
  applicationId,
  testId,
}: {
  title: ReactNode;
  // The group's path ("organizer", "websites[0]"): left out of its fields' labels.
  prefix: string;
  paths: string[];
  docs: ApplicationDocument[];
  ctx: FieldContext;
  applicationId: string;
  testId: string;
}) {
  return (
    <FieldGroupCard
      title={title}
      prefix={prefix}
      paths={paths}
      testId={testId}
      value={(p) => <FieldValue path={p} ctx={ctx} />}
      rowClassName={(p) =>
        ctx.changed.has(p) ? 'review-changed' : ctx.flagged.has(p) ? 'review-flagged' : undefined
      }
      documents={docs.map((d) => (
        <DocumentView
          key={d.id}
          applicationId={applicationId}
          doc={d}
          flagged={ctx.flagged.has(documentPathOf(d))}
        />
      ))}
    />
  );
}

function DecisionPanel({
  detail,
  stage,
  catalogue,
  fields,
}: {
  detail: ReviewDetail;
  stage: 'preliminary' | 'photo' | null;
  catalogue: ReasonEntry[] | undefined;
  fields: string[];
}) {
  const { t } = useTranslation();
  const { client } = useServices();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ reasons: ReasonRow[] }>();
  const { setFailure, decisionFailed, alert } = useDecisionFailure(
    form,
    (code) => `review.reason_error.${code}`,
  );
  const id = detail.application.id;
  const claim = detail.claim;
  const refresh = () => qc.invalidateQueries({ queryKey: ['review'] });

  const claimMut = useMutation({
    mutationFn: () => claimApplication(client, id),
    onSuccess: () => {
      setFailure(null);
      void refresh();
    },
    onError: (e) => setFailure(e),
  });
  const releaseMut = useMutation({
    mutationFn: () => releaseClaim(client, id),
    onSuccess: () => {
      void message.success(t('review.detail.released'));
      void refresh();
      navigate(`/review?stage=${stage === 'photo' ? 'photo' : 'preliminary'}`);
    },
    onError: (e) => setFailure(e),
  });
  const decideMut = useMutation({
    mutationFn: (v: { decision: 'approve' | 'reject' | 'accept'; reasons: DecisionReason[] }) =>
      stage === 'photo'
        ? decidePhoto(client, id, v.decision === 'accept' ? 'accept' : 'reject', v.reasons)
        : decide(client, id, v.decision === 'approve' ? 'approve' : 'reject', v.reasons),
    onSuccess: (_app, v) => {
      void message.success(t(`review.detail.done_${v.decision}`));
      void refresh();
      navigate(`/review?stage=${stage === 'photo' ? 'photo' : 'preliminary'}`);
    },
    onError: (e) => {
      decisionFailed(e);
      void refresh();
    },
  });

  if (stage === null) {
    return (
      <DecisionNote
        title={t('review.detail.decision')}
        testId="read-only"
        text={t('review.detail.read_only', {
          state: t(`review.state.${detail.application.state}`, {
            defaultValue: detail.application.state,
          }),
        })}
      />
    );
  }

  return (
    <DecisionCard title={t('review.detail.decision')}>
      {alert}
      <ClaimControls
        claim={claim && { holder: claim.reviewer_name, until: claim.expires_at, mine: claim.mine }}
        claiming={claimMut.isPending}
        onClaim={() => claimMut.mutate()}
        textPrefix="review.detail"
        claimLabel={t('review.queue.claim_action')}
      >
        <ApproveButton
          confirm={t(stage === 'photo' ? 'review.detail.accept_confirm' : 'review.detail.approve_confirm')}
          okText={t('review.detail.confirm')}
          label={t(stage === 'photo' ? 'review.detail.accept' : 'review.detail.approve')}
          loading={decideMut.isPending}
          onConfirm={() =>
            decideMut.mutate({ decision: stage === 'photo' ? 'accept' : 'approve', reasons: [] })
          }
        />
        <RejectForm
          form={form}
          title={t(stage === 'photo' ? 'review.detail.reject_photo_title' : 'review.detail.reject_title')}
          fields={stage === 'photo' ? null : fields}
          reasons={(catalogue ?? []).filter((r) => r.stages.includes(stage))}
          textPrefix="review.detail"
          rejectLabel={t(stage === 'photo' ? 'review.detail.reject_photo' : 'review.detail.reject')}
          rejecting={decideMut.isPending}
          onAttempt={() => setFailure(null)}
          onReject={(reasons) =>
            decideMut.mutate({
              decision: 'reject',
              reasons: reasons.map((r) => (stage === 'photo' ? { ...r, field: 'photo' } : r)),
            })
          }
        />
        <Button
          block
          loading={releaseMut.isPending}
          onClick={() => releaseMut.mutate()}
          data-testid="release"
        >
          {t('review.detail.release')}
        </Button>
      </ClaimControls>
    </DecisionCard>
  );
}

function EventTimeline({ detail, catalogue }: { detail: ReviewDetail; catalogue?: ReasonEntry[] }) {
  const { t, i18n } = useTranslation();
  if (detail.events.length === 0) return <Empty />;
  return (
    <Timeline
      data-testid="timeline"
      items={detail.events.map((e) => ({
        key: e.seq,
        color: e.event === 'reject' || e.event === 'reject_photo' ? 'red' : 'blue',
        content: (
          <Space direction="vertical" size={0}>
            <Typography.Text strong>
              {t(`review.event.${e.event}`, { defaultValue: e.event })}
            </Typography.Text>
            <Typography.Text type="secondary">
              {formatTime(e.at)} · {t(`role.${e.role}`, { defaultValue: e.role })}
              {e.to ? ` · ${t(`review.state.${e.to}`, { defaultValue: e.to })}` : ''}
            </Typography.Text>
            {(e.reasons ?? []).map((r, i) => (
              <Typography.Text key={i} type="danger">
                {fieldLabel(t, r.field)}: {reasonName(i18n.language, catalogue, r.code)}
                {r.message ? ` — ${r.message}` : ''}
              </Typography.Text>
            ))}
          </Space>
        ),
      }))}
    />
  );
}

export default function ReviewPage() {
  const { t, i18n } = useTranslation();
  const { client } = useServices();
  const { id = '' } = useParams();
  const detailQ = useQuery({
    queryKey: ['review', 'detail', id],
    queryFn: () => fetchReviewDetail(client, id),
    retry: false,
  });
  const reasonsQ = useQuery({
    queryKey: ['review', 'reasons'],
    queryFn: () => fetchReasons(client),
    staleTime: Infinity,
  });
  const [revealed, setRevealed] = useState<Record<string, string> | null>(null);
  const [shownPaths, setShownPaths] = useState<string[]>([]);
  const reveal = useMutation({
    mutationFn: (_path: string) => revealNumbers(client, id),
    onSuccess: (values, path) => {
      setRevealed(values);
      setShownPaths((p) => [...p, path]);
    },
  });
  const onReveal = (path: string) => {
    if (revealed) setShownPaths((p) => [...p, path]);
    else reveal.mutate(path);
  };

  const detail = detailQ.data;

  if (detailQ.isPending || detailQ.isError || !detail) {
    return (
      <DetailFallback
        pending={detailQ.isPending}
        error={detailQ.error}
        loadingTestId="review-loading"
        errorTestId="review-error"
        notFoundText={t('review.detail.not_found')}
        back={{ to: '/review', text: t('review.detail.back') }}
      />
    );
  }

  const app = detail.application;
  const stage =
    app.state === 'preliminary_review' ? 'preliminary' : app.state === 'photo_uploaded' ? 'photo' : null;
  const catalogue = reasonsQ.data;
  // The last rejection concerns this review when the application came back after it: a
  // resubmission in the preliminary review, a new photo after a rejected one. Later stages
  // (an approved application's photo) show it in the timeline only.
  const lastRejection = detail.last_rejection;
  const photoRejection = lastRejection?.reasons.some((r) => r.field === 'photo') === true;
  const rejectionRelevant =
    lastRejection !== null &&
    ((stage === 'preliminary' && !photoRejection) || (stage === 'photo' && photoRejection));
  const ctx: FieldContext = {
    app,
    shown: Object.fromEntries(
      shownPaths.filter((p) => revealed?.[p] !== undefined).map((p) => [p, revealed![p]]),
    ),
    onReveal,
    revealing: reveal.isPending,
    flagged: new Set(rejectionRelevant ? lastRejection.reasons.map((r) => r.field) : []),
    changed: new Map(
      detail.changes_since_rejection.map((c) => [c.field, { before: c.before, after: c.after }]),
    ),
  };
  const fields = reasonFields(app, detail.documents, stage === 'photo' ? 'photo' : 'preliminary');
  const photo = detail.documents
    .filter((d) => d.kind === 'verified_photo')
    .sort((a, b) => b.created_at - a.created_at)[0];
  const findings = detail.precheck?.findings ?? [];
  // Documents of no group shown above (a subject the groups do not cover): listed apart, so that
  // every upload is seen.
  const grouped = new Set(
    [
      ...documentsOf(detail.documents, 'organizer'),
      ...(app.websites ?? []).flatMap((_, i) => documentsOf(detail.documents, `websites[${i}]`)),
    ].map((d) => d.id),
  );
  const otherDocs = detail.documents.filter(
    (d) => d.kind !== 'verified_photo' && !grouped.has(d.id),
  );
  const lang = i18n.language;

  return (
    <ReviewLayout
      testId="review-page"
      state={app.state}
      heading={
        <>
          <Link to={`/review?stage=${stage ?? 'ready'}`}>{t('review.detail.back')}</Link>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="review-title">
            {app.organizer?.name}
          </Typography.Title>
          <Tag color="blue" data-testid="review-state">
            {t(`review.state.${app.state}`, { defaultValue: app.state })}
          </Tag>
          {app.filing_type && (
            <Tag>{t(`review.filing_type.${app.filing_type}`, { defaultValue: app.filing_type })}</Tag>
          )}
          {app.submitted_at && (
            <Typography.Text type="secondary" data-testid="submitted-at">
              {t('review.detail.submitted_at', { time: formatTime(app.submitted_at) })}
            </Typography.Text>
          )}
          {app.sla_deadline && (
            <Typography.Text type="secondary">
              {t('review.detail.deadline', { time: formatTime(app.sla_deadline) })}
            </Typography.Text>
          )}
        </>
      }
      main={
        <>
          {stage === 'photo' && (
            <Card title={t('review.detail.photo')} className="review-card" data-testid="photo-card">
              {photo ? (
                <DocumentView applicationId={app.id} doc={photo} large />
              ) : (
                <Empty description={t('review.detail.no_photo')} />
              )}
            </Card>
          )}
          {rejectionRelevant && (
            <Card
              title={t('review.detail.last_rejection', { time: formatTime(lastRejection.at) })}
              className="review-card"
              data-testid="last-rejection"
            >
              <ul className="review-list">
                {lastRejection.reasons.map((r, i) => (
                  <li key={i}>
                    <Typography.Text strong>{fieldLabel(t, r.field)}</Typography.Text>{t('review.colon')}
                    {reasonName(lang, catalogue, r.code)}
                    {r.message ? ` — ${r.message}` : ''}
                  </li>
                ))}
              </ul>
            </Card>
          )}
          {detail.changes_since_rejection.length > 0 && (
            <Card title={t('review.detail.changes')} className="review-card" data-testid="changes">
              <ul className="review-list">
                {detail.changes_since_rejection.map((c) => (
                  <li key={c.field} data-testid={`change-${c.field}`}>
                    <Typography.Text strong>{fieldLabel(t, c.field)}</Typography.Text>{t('review.colon')}
                    <del>{displayValue(t, c.field, c.before)}</del> <ArrowRightOutlined />{' '}
                    <ins>{displayValue(t, c.field, c.after)}</ins>
                  </li>
                ))}
              </ul>
            </Card>
          )}
          {rejectionRelevant && stage === 'preliminary' && detail.changes_since_rejection.length === 0 && (
            <Alert
              type="info"
              showIcon
              className="review-card"
              data-testid="no-changes"
              title={t('review.detail.no_changes')}
            />
          )}
          <FieldGroup
            title={t('review.detail.organizer')}
            prefix="organizer"
            paths={organizerPaths(app)}
            docs={documentsOf(detail.documents, 'organizer')}
            ctx={ctx}
            applicationId={app.id}
            testId="group-organizer"
          />
          {(app.websites ?? []).map((w, i) => (
            <FieldGroup
              key={i}
              title={`${t('review.field.website_n', { n: i + 1 })} · ${w.name}`}
              prefix={`websites[${i}]`}
              paths={websitePaths(app, i)}
              docs={documentsOf(detail.documents, `websites[${i}]`)}
              ctx={ctx}
              applicationId={app.id}
              testId={`group-website-${i}`}
            />
          ))}
          {otherDocs.length > 0 && (
            <Card
              title={t('review.detail.other_documents')}
              className="review-card"
              data-testid="other-documents"
            >
              <Space wrap align="start">
                {otherDocs.map((d) => (
                  <DocumentView
                    key={d.id}
                    applicationId={app.id}
                    doc={d}
                    flagged={ctx.flagged.has(documentPathOf(d))}
                  />
                ))}
              </Space>
            </Card>
          )}
          {app.backdrop && (
            <Card title={t('review.detail.backdrop')} className="review-card" data-testid="backdrop">
              <Descriptions column={1} size="small" bordered>
                <Descriptions.Item label={t('review.shipping.recipient')}>
                  {app.backdrop.recipient}
                </Descriptions.Item>
                <Descriptions.Item label={t('review.shipping.mobile')}>
                  <FieldValue path="backdrop.mobile" ctx={ctx} />
                </Descriptions.Item>
                <Descriptions.Item label={t('review.shipping.address')}>
                  {app.backdrop.address}
                </Descriptions.Item>
                <Descriptions.Item label={t('review.shipping.carrier')}>
                  {app.backdrop.carrier ?? '—'} {app.backdrop.tracking_number ?? ''}
                </Descriptions.Item>
              </Descriptions>
            </Card>
          )}
        </>
      }
      side={
        <>
          <DecisionPanel detail={detail} stage={stage} catalogue={catalogue} fields={fields} />
          <Card title={t('review.detail.precheck')} className="review-card" data-testid="precheck">
            {detail.precheck ? (
              <Space direction="vertical" style={{ width: '100%' }}>
                {/* The explanation names the filing type and says why. */}
                <Typography.Text data-testid="precheck-explanation">
                  {localized(lang, detail.precheck.explanation_message) ||
                    detail.precheck.explanation ||
                    (detail.precheck.filing_type
                      ? t(`review.filing_type.${detail.precheck.filing_type}`, {
                          defaultValue: detail.precheck.filing_type,
                        })
                      : '')}
                </Typography.Text>
                {findings.length === 0 ? (
                  <Typography.Text type="success" data-testid="precheck-clean">
                    {t('review.detail.precheck_clean')}
                  </Typography.Text>
                ) : (
                  <ul className="review-list" data-testid="findings">
                    {findings.map((f, i) => (
                      <li key={i}>
                        <Tag color={f.severity === 'error' ? 'red' : 'gold'}>
                          {t(`review.severity.${f.severity}`)}
                        </Tag>
                        <Typography.Text strong>{fieldLabel(t, f.field)}</Typography.Text>{t('review.colon')}
                        {localized(lang, f.message) || f.code}
                      </li>
                    ))}
                  </ul>
                )}
              </Space>
            ) : (
              <Typography.Text type="secondary">{t('review.detail.precheck_none')}</Typography.Text>
            )}
          </Card>
          <Card title={t('review.detail.timeline')} className="review-card">
            <EventTimeline detail={detail} catalogue={catalogue} />
          </Card>
        </>
      }
    />
  );
}
