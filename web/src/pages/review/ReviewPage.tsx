// The review screen of one application: every field grouped (the organizer, each website) with
// the documents that prove them beside, personal numbers masked until the reviewer asks to see
// them (each reveal is audited by the server), the precheck's findings, what changed since the
// last rejection and that rejection's reasons, the timeline, and the decision panel: claim,
// approve, reject with field-level reasons from the catalogue, release. For an application whose
// verified photo is waiting (photo_uploaded) the same screen shows the photo large with accept /
// reject; other states are shown read only.
import { useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Popconfirm,
  Result,
  Row,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
  type ButtonProps,
} from 'antd';
import { ArrowRightOutlined, DeleteOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { TFunction } from 'i18next';
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
import { ApiError } from '../../api/client';
import { globalErrorText, mapApiError, fieldErrorText } from '../../lib/errors';
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
import { FormAlert } from '../FormAlert';
import { DocumentView } from './DocumentView';
import { claimHolderText, formatTime } from './format';
import './review.css';

// The reason's name in the console's language.
export function reasonName(lang: string, catalogue: ReasonEntry[] | undefined, code: string) {
  const r = catalogue?.find((x) => x.code === code);
  if (!r) return code;
  return lang === 'en' ? r.en : r.zh_CN;
}

function localized(lang: string, m: unknown): string {
  if (typeof m === 'string') return m;
  if (m && typeof m === 'object') {
    const o = m as Record<string, string>;
    return (lang === 'en' ? o.en : o['zh-CN']) ?? o.en ?? '';
  }
  return '';
}

function errorText(t: TFunction, e: unknown): string | null {
  const g = mapApiError(e, []).global;
  return g ? globalErrorText(t, g) : null;
}

// Documents whose subject is `subject` or lies under it ("websites[0]" takes
// "websites[0].person_in_charge" too).
function documentsOf(docs: ApplicationDocument[], subject: string): ApplicationDocument[] {
  return docs.filter(
    (d) =>
      d.kind !== 'verified_photo' && (d.subject === subject || d.subject.startsWith(`${subject}.`)),
  );
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
  const { t } = useTranslation();
  return (
    <Card title={title} className="review-card" data-testid={testId}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={docs.length ? 14 : 24}>
          <Descriptions column={1} size="small" bordered>
            {paths.map((p) => (
              <Descriptions.Item
                key={p}
                label={fieldLabel(t, p.startsWith(`${prefix}.`) ? p.slice(prefix.length + 1) : p)}
                className={
                  ctx.changed.has(p)
                    ? 'review-changed'
                    : ctx.flagged.has(p)
                      ? 'review-flagged'
                      : undefined
                }
              >
                <FieldValue path={p} ctx={ctx} />
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Col>
        {docs.length > 0 && (
          <Col xs={24} xl={10}>
            <Space wrap align="start" className="review-documents">
              {docs.map((d) => (
                <DocumentView
                  key={d.id}
                  applicationId={applicationId}
                  doc={d}
                  flagged={ctx.flagged.has(documentPathOf(d))}
                />
              ))}
            </Space>
          </Col>
        )}
      </Row>
    </Card>
  );
}

interface ReasonRow {
  field?: string;
  code?: string;
  message?: string;
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
  const { t, i18n } = useTranslation();
  const { client } = useServices();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ reasons: ReasonRow[] }>();
  const [failure, setFailure] = useState<unknown>(null);
  const id = detail.application.id;
  const claim = detail.claim;
  const mine = claim?.mine === true;
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
      // A refused reason is marked on its own row of the form; the rest goes above it.
      const rest = e instanceof ApiError ? e.details.filter((d) => !markReason(d)) : [];
      setFailure(
        e instanceof ApiError && rest.length === 0 && e.details.length > 0 ? null : e,
      );
      void refresh();
    },
  });

  // Puts a detail about "reasons[i].field|code|message" beside that input; false when the detail
  // names no such input.
  const markReason = (d: { field: string; code: string; message: string }): boolean => {
    const m = /^reasons\[(\d+)\]\.(field|code|message)$/.exec(d.field);
    if (!m) return false;
    const text = t(`review.reason_error.${d.code}`, {
      defaultValue: fieldErrorText(t, { code: d.code, message: d.message }),
    });
    const key = m[2] as 'field' | 'code' | 'message';
    form.setFields([{ name: ['reasons', Number(m[1]), key], errors: [text] }]);
    return true;
  };

  const stageReasons = (catalogue ?? []).filter((r) => stage !== null && r.stages.includes(stage));
  const noteRequired = (code: string | undefined) =>
    stageReasons.find((r) => r.code === code)?.note_required === true;

  const onReject = async () => {
    setFailure(null);
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const reasons = (values.reasons ?? []).map((r) => ({
      field: stage === 'photo' ? 'photo' : (r.field ?? ''),
      code: r.code ?? '',
      message: (r.message ?? '').trim(),
    }));
    decideMut.mutate({ decision: 'reject', reasons });
  };

  const failureText = failure ? errorText(t, failure) : null;
  const holder = claimHolderText(t, failure);
  const failureExtra = holder
    ? [holder]
    : failure instanceof ApiError
      ? failure.details.filter((d) => !/^reasons\[\d+\]\./.test(d.field)).map((d) =>
          `${d.field ? `${d.field}: ` : ''}${fieldErrorText(t, { code: d.code, message: d.message })}`,
        )
      : [];

  if (stage === null) {
    return (
      <Card title={t('review.detail.decision')} className="review-card" data-testid="decision-panel">
        <Typography.Paragraph data-testid="read-only">
          {t('review.detail.read_only', {
            state: t(`review.state.${detail.application.state}`, {
              defaultValue: detail.application.state,
            }),
          })}
        </Typography.Paragraph>
      </Card>
    );
  }

  return (
    <Card title={t('review.detail.decision')} className="review-card" data-testid="decision-panel">
      <FormAlert text={failureText} extra={failureExtra} />
      {!claim && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('review.detail.claim_first')}</Typography.Text>
          <Button
            type="primary"
            block
            loading={claimMut.isPending}
            onClick={() => claimMut.mutate()}
            data-testid="claim"
          >
            {t('review.queue.claim_action')}
          </Button>
        </Space>
      )}
      {claim && !mine && (
        <Alert
          type="warning"
          showIcon
          data-testid="claimed-by-other"
          title={t('review.detail.claimed_by', {
            name: claim.reviewer_name,
            time: formatTime(claim.expires_at),
          })}
        />
      )}
      {mine && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Text type="secondary" data-testid="claim-mine">
            {t('review.detail.claimed_until', { time: formatTime(claim.expires_at) })}
          </Typography.Text>
          <Popconfirm
            title={t(stage === 'photo' ? 'review.detail.accept_confirm' : 'review.detail.approve_confirm')}
            okText={t('review.detail.confirm')}
            cancelText={t('nav.cancel')}
            okButtonProps={{ 'data-testid': 'approve-ok' } as ButtonProps}
            onConfirm={() =>
              decideMut.mutate({ decision: stage === 'photo' ? 'accept' : 'approve', reasons: [] })
            }
          >
            <Button type="primary" block loading={decideMut.isPending} data-testid="approve">
              {t(stage === 'photo' ? 'review.detail.accept' : 'review.detail.approve')}
            </Button>
          </Popconfirm>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ reasons: [{}] }}
            data-testid="reject-form"
            requiredMark={false}
          >
            <Typography.Text strong>
              {t(stage === 'photo' ? 'review.detail.reject_photo_title' : 'review.detail.reject_title')}
            </Typography.Text>
            <Form.List name="reasons">
              {(items, { add, remove }) => (
                <>
                  {items.map((item, index) => (
                    <div key={item.key} className="review-reason" data-testid={`reason-${index}`}>
                      {stage !== 'photo' && (
                        <Form.Item
                          name={[item.name, 'field']}
                          label={t('review.detail.reason_field')}
                          rules={[{ required: true, message: t('review.detail.pick_field') }]}
                        >
                          <Select
                            showSearch
                            virtual={false}
                            optionFilterProp="label"
                            placeholder={t('review.detail.pick_field')}
                            data-testid={`reason-field-${index}`}
                            options={fields.map((f) => ({ value: f, label: fieldLabel(t, f) }))}
                          />
                        </Form.Item>
                      )}
                      <Form.Item
                        name={[item.name, 'code']}
                        label={t('review.detail.reason_code')}
                        rules={[{ required: true, message: t('review.detail.pick_reason') }]}
                      >
                        <Select
                          placeholder={t('review.detail.pick_reason')}
                          data-testid={`reason-code-${index}`}
                          options={stageReasons.map((r) => ({
                            value: r.code,
                            label: i18n.language === 'en' ? r.en : r.zh_CN,
                          }))}
                        />
                      </Form.Item>
                      <Form.Item
                        noStyle
                        shouldUpdate={(a, b) =>
                          a.reasons?.[item.name]?.code !== b.reasons?.[item.name]?.code
                        }
                      >
                        {({ getFieldValue }) => {
                          const required = noteRequired(getFieldValue(['reasons', item.name, 'code']));
                          return (
                            <Form.Item
                              name={[item.name, 'message']}
                              label={t(
                                required ? 'review.detail.note_required' : 'review.detail.note',
                              )}
                              rules={[
                                {
                                  required,
                                  whitespace: true,
                                  message: t('review.detail.note_missing'),
                                },
                                { max: 300, message: t('review.detail.note_too_long') },
                              ]}
                            >
                              <Input.TextArea rows={2} data-testid={`reason-note-${index}`} />
                            </Form.Item>
                          );
                        }}
                      </Form.Item>
                      {items.length > 1 && (
                        <Button
                          size="small"
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          onClick={() => remove(item.name)}
                        >
                          {t('review.detail.remove_reason')}
                        </Button>
                      )}
                    </div>
                  ))}
                  <Button
                    type="dashed"
                    block
                    icon={<PlusOutlined />}
                    onClick={() => add({})}
                    data-testid="add-reason"
                  >
                    {t('review.detail.add_reason')}
                  </Button>
                </>
              )}
            </Form.List>
            <Button
              danger
              block
              className="review-reject"
              loading={decideMut.isPending}
              onClick={() => void onReject()}
              data-testid="reject"
            >
              {t(stage === 'photo' ? 'review.detail.reject_photo' : 'review.detail.reject')}
            </Button>
          </Form>
          <Button
            block
            loading={releaseMut.isPending}
            onClick={() => releaseMut.mutate()}
            data-testid="release"
          >
            {t('review.detail.release')}
          </Button>
        </Space>
      )}
    </Card>
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

  if (detailQ.isPending) {
    return <div className="page-spinner" data-testid="review-loading" />;
  }
  if (detailQ.isError || !detail) {
    const notFound = detailQ.error instanceof ApiError && detailQ.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('review.detail.not_found') : errorText(t, detailQ.error)}
        extra={<Link to="/review">{t('review.detail.back')}</Link>}
        data-testid="review-error"
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
    <div data-testid="review-page" data-state={app.state}>
      <Space align="center" wrap className="review-heading">
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
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
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
        </Col>
        <Col xs={24} lg={8}>
          <div className="review-side">
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
          </div>
        </Col>
      </Row>
    </div>
  );
}
