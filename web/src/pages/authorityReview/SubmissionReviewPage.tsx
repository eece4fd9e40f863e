// The authority reviewer's screen of one submission (8090): every field grouped (the organizer,
// each website) with the documents that prove them beside, identity numbers and mobiles masked
// (the server masks them; the authority reviewer decides on the documents), the verified photo,
// the SMS verification of each person in charge, the history, and the decision panel: claim,
// approve, reject with field-level reasons from the authority's catalogue. A decided submission
// shows its outcome: the subject SN and the website SNs, or the reasons.
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
  Table,
  Tag,
  Timeline,
  Typography,
  type ButtonProps,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { TFunction } from 'i18next';
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
import { ApiError } from '../../api/client';
import { fieldErrorText, globalErrorText, mapApiError } from '../../lib/errors';
import {
  displayValue,
  fieldLabel,
  organizerPaths,
  reasonFields,
  valueAt,
  websitePaths,
} from '../../lib/reviewFields';
import { FormAlert } from '../FormAlert';
import { claimHolderText, formatTime } from '../review/format';
import { SubmissionDocumentView } from './SubmissionDocumentView';
import { SubmissionStateTag, smsPersonLabel } from './labels';
import './authorityReview.css';

const kOpenStates = ['sms_verification', 'under_review'];

function reasonName(lang: string, catalogue: ReasonEntry[] | undefined, code: string): string {
  const r = catalogue?.find((x) => x.code === code);
  if (!r) return code;
  return lang === 'en' ? r.en : r.zh_CN;
}

function errorText(t: TFunction, e: unknown): string | null {
  const g = mapApiError(e, []).global;
  return g ? globalErrorText(t, g) : null;
}

// The submission's organizer and websites in the application's shape, for the field helpers.
function asApplication(d: SubmissionDetail): Application {
  return { organizer: d.organizer, websites: d.websites } as unknown as Application;
}

// Documents whose subject is `subject` or lies under it ("websites[0]" takes
// "websites[0].person_in_charge" too); the verified photo is shown apart.
function documentsOf(docs: SubmissionDocument[], subject: string): SubmissionDocument[] {
  return docs.filter(
    (d) =>
      d.kind !== 'verified_photo' && (d.subject === subject || d.subject.startsWith(`${subject}.`)),
  );
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
    <Card title={title} className="authority-card" data-testid={testId}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={docs.length ? 14 : 24}>
          <Descriptions column={1} size="small" bordered>
            {paths.map((p) => (
              <Descriptions.Item
                key={p}
                label={fieldLabel(t, p.startsWith(`${prefix}.`) ? p.slice(prefix.length + 1) : p)}
              >
                <span data-testid={`field-${p}`}>{displayValue(t, p, valueAt(app, p))}</span>
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Col>
        {docs.length > 0 && (
          <Col xs={24} xl={10}>
            <Space wrap align="start">
              {docs.map((d) => (
                <SubmissionDocumentView key={d.id} submissionId={detail.id} doc={d} />
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
  catalogue,
}: {
  detail: SubmissionDetail;
  catalogue: ReasonEntry[] | undefined;
}) {
  const { t, i18n } = useTranslation();
  const { client } = useServices();
  const user = useSession().data?.user;
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ reasons: ReasonRow[] }>();
  const [failure, setFailure] = useState<unknown>(null);
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

  // Puts a detail about "reasons[i].field|code|message" beside that input; false when the detail
  // names no such input.
  const markReason = (d: { field: string; code: string; message: string }): boolean => {
    const m = /^reasons\[(\d+)\]\.(field|code|message)$/.exec(d.field);
    if (!m) return false;
    const text = t(`errors.code.${d.code}`, {
      defaultValue: fieldErrorText(t, { code: d.code, message: d.message }),
    });
    const key = m[2] as 'field' | 'code' | 'message';
    form.setFields([{ name: ['reasons', Number(m[1]), key], errors: [text] }]);
    return true;
  };

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
      const rest = e instanceof ApiError ? e.details.filter((d) => !markReason(d)) : [];
      setFailure(e instanceof ApiError && rest.length === 0 && e.details.length > 0 ? null : e);
      void refresh();
    },
  });

  const fields = reasonFields(
    asApplication(detail),
    detail.documents as unknown as ApplicationDocument[],
    'preliminary',
  );
  const noteRequired = (code: string | undefined) =>
    catalogue?.find((r) => r.code === code)?.note_required === true;

  const onReject = async () => {
    setFailure(null);
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const reasons = (values.reasons ?? []).map((r) => ({
      field: r.field ?? '',
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
      ? failure.details
          .filter((d) => !/^reasons\[\d+\]\./.test(d.field))
          .map((d) => `${d.field ? `${d.field}: ` : ''}${fieldErrorText(t, { code: d.code, message: d.message })}`)
      : [];

  if (detail.state === 'sms_verification') {
    return (
      <Card title={t('authorityReview.detail.decision')} className="authority-card" data-testid="decision-panel">
        <Typography.Paragraph data-testid="waiting-sms">{t('authorityReview.detail.waiting_sms')}</Typography.Paragraph>
      </Card>
    );
  }
  if (detail.state !== 'under_review') {
    return (
      <Card title={t('authorityReview.detail.decision')} className="authority-card" data-testid="decision-panel">
        <Typography.Paragraph data-testid="read-only">
          {t('authorityReview.detail.read_only', {
            state: t(`authorityReview.state.${detail.state}`, { defaultValue: detail.state }),
          })}
        </Typography.Paragraph>
      </Card>
    );
  }

  return (
    <Card title={t('authorityReview.detail.decision')} className="authority-card" data-testid="decision-panel">
      <FormAlert text={failureText} extra={failureExtra} />
      {!claim && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('authorityReview.detail.claim_first')}</Typography.Text>
          <Button type="primary" block loading={claimMut.isPending} onClick={() => claimMut.mutate()} data-testid="claim">
            {t('authorityReview.detail.claim')}
          </Button>
        </Space>
      )}
      {claim && !claim.mine && (
        <Alert
          type="warning"
          showIcon
          data-testid="claimed-by-other"
          title={t('authorityReview.detail.claimed_by', { name: claim.holder, time: formatTime(claim.until) })}
        />
      )}
      {claim?.mine && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Text type="secondary" data-testid="claim-mine">
            {t('authorityReview.detail.claimed_until', { time: formatTime(claim.until) })}
          </Typography.Text>
          <Popconfirm
            title={t('authorityReview.detail.approve_confirm')}
            okText={t('authorityReview.detail.confirm')}
            cancelText={t('nav.cancel')}
            okButtonProps={{ 'data-testid': 'approve-ok' } as ButtonProps}
            onConfirm={() => decideMut.mutate({ decision: 'approve', reasons: [] })}
          >
            <Button type="primary" block loading={decideMut.isPending} data-testid="approve">
              {t('authorityReview.detail.approve')}
            </Button>
          </Popconfirm>
          <Form form={form} layout="vertical" initialValues={{ reasons: [{}] }} data-testid="reject-form" requiredMark={false}>
            <Typography.Text strong>{t('authorityReview.detail.reject_title')}</Typography.Text>
            <Form.List name="reasons">
              {(items, { add, remove }) => (
                <>
                  {items.map((item, index) => (
                    <div key={item.key} className="authority-reason" data-testid={`reason-${index}`}>
                      <Form.Item
                        name={[item.name, 'field']}
                        label={t('authorityReview.detail.reason_field')}
                        rules={[{ required: true, message: t('authorityReview.detail.pick_field') }]}
                      >
                        <Select
                          showSearch
                          virtual={false}
                          optionFilterProp="label"
                          placeholder={t('authorityReview.detail.pick_field')}
                          data-testid={`reason-field-${index}`}
                          options={fields.map((f) => ({ value: f, label: fieldLabel(t, f) }))}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[item.name, 'code']}
                        label={t('authorityReview.detail.reason_code')}
                        rules={[{ required: true, message: t('authorityReview.detail.pick_reason') }]}
                      >
                        <Select
                          placeholder={t('authorityReview.detail.pick_reason')}
                          data-testid={`reason-code-${index}`}
                          options={(catalogue ?? []).map((r) => ({
                            value: r.code,
                            label: i18n.language === 'en' ? r.en : r.zh_CN,
                          }))}
                        />
                      </Form.Item>
                      <Form.Item
                        noStyle
                        shouldUpdate={(a, b) => a.reasons?.[item.name]?.code !== b.reasons?.[item.name]?.code}
                      >
                        {({ getFieldValue }) => {
                          const required = noteRequired(getFieldValue(['reasons', item.name, 'code']));
                          return (
                            <Form.Item
                              name={[item.name, 'message']}
                              label={t(required ? 'authorityReview.detail.note_required' : 'authorityReview.detail.note')}
                              rules={[
                                { required, whitespace: true, message: t('authorityReview.detail.note_missing') },
                                { max: 300, message: t('authorityReview.detail.note_too_long') },
                              ]}
                            >
                              <Input.TextArea rows={2} data-testid={`reason-note-${index}`} />
                            </Form.Item>
                          );
                        }}
                      </Form.Item>
                      {items.length > 1 && (
                        <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => remove(item.name)}>
                          {t('authorityReview.detail.remove_reason')}
                        </Button>
                      )}
                    </div>
                  ))}
                  <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({})} data-testid="add-reason">
                    {t('authorityReview.detail.add_reason')}
                  </Button>
                </>
              )}
            </Form.List>
            <Button
              danger
              block
              className="authority-reject"
              loading={decideMut.isPending}
              onClick={() => void onReject()}
              data-testid="reject"
            >
              {t('authorityReview.detail.reject')}
            </Button>
          </Form>
        </Space>
      )}
    </Card>
  );
}

// The outcome of a decided submission: the numbers issued, or the reasons it was refused.
function Outcome({ detail, catalogue }: { detail: SubmissionDetail; catalogue: ReasonEntry[] | undefined }) {
  const { t, i18n } = useTranslation();
  if (detail.state === 'approved') {
    const sites = websiteSnsOf(detail);
    return (
      <Card className="authority-card" data-testid="outcome-approved">
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
      <Card className="authority-card" data-testid={`outcome-${detail.state}`}>
        <Result
          status={detail.state === 'rejected' ? 'error' : 'warning'}
          title={t(
            detail.state === 'rejected' ? 'authorityReview.detail.rejected_title' : 'authorityReview.detail.expired_title',
          )}
        />
        {reasons.length > 0 && (
          <ul className="authority-list" data-testid="outcome-reasons">
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
    <Card title={t('authorityReview.detail.sms')} className="authority-card" data-testid="sms-status">
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

  if (detailQ.isPending) return <div className="page-spinner" data-testid="submission-loading" />;
  if (detailQ.isError || !detail) {
    const notFound = detailQ.error instanceof ApiError && detailQ.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('authorityReview.detail.not_found') : errorText(t, detailQ.error)}
        extra={<Link to="/submissions">{t('authorityReview.detail.back')}</Link>}
        data-testid="submission-error"
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
    <div data-testid="submission-page" data-state={detail.state}>
      <Space align="center" wrap className="authority-heading">
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
              <Tag color="red" className="authority-overdue">
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
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Outcome detail={detail} catalogue={catalogue} />
          <Card className="authority-card" size="small">
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
            <Card title={t('authorityReview.detail.verified_photo')} className="authority-card" data-testid="photo-card">
              <Space wrap align="start">
                {photos.map((d) => (
                  <SubmissionDocumentView key={d.id} submissionId={detail.id} doc={d} large />
                ))}
              </Space>
            </Card>
          )}
          {otherDocs.length > 0 && (
            <Card title={t('authorityReview.detail.other_documents')} className="authority-card" data-testid="other-documents">
              <Space wrap align="start">
                {otherDocs.map((d) => (
                  <SubmissionDocumentView key={d.id} submissionId={detail.id} doc={d} />
                ))}
              </Space>
            </Card>
          )}
        </Col>
        <Col xs={24} lg={8}>
          <div className="authority-side">
            <DecisionPanel detail={detail} catalogue={catalogue} />
            <SmsCard detail={detail} />
            <Card title={t('authorityReview.detail.timeline')} className="authority-card">
              <EventTimeline detail={detail} catalogue={catalogue} />
            </Card>
          </div>
        </Col>
      </Row>
    </div>
  );
}
