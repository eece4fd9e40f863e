// One filing: its fields, state, SLA deadline, documents and timeline (antd Timeline: who did
// what when, with the reasons), withdrawal (after a confirmation), and the authenticity-check
// panel: the backdrop request in `verification`, shipping news and the verified-photo upload in
// `backdrop_shipped`, and what happens next in the states after: the hand-over to the authority,
// its SMS verification (with the link to the authority's verification page), its review, and the
// Beian SNs once approved (the application JSON's `authority` and `beian`).
import { useState, type ReactNode } from 'react';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Popconfirm,
  Result,
  Space,
  Timeline,
  Typography,
  type DescriptionsProps,
} from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useServices } from '../../app/services';
import { PageSpinner } from '../../app/App';
import {
  getApplication,
  kEditableStates,
  kWithdrawableStates,
  listDocuments,
  listEvents,
  requestBackdrop,
  submitPhoto,
  withdrawApplication,
  type Application,
  type ApplicationDocument,
  type ApplicationEvent,
  type BackdropInput,
  type Website,
} from '../../api/applications';
import { globalErrorText, mapApiError } from '../../lib/errors';
import { useFormErrors } from '../../lib/useFormErrors';
import { normalizeMobile, validateMobile } from '../../lib/validation';
import { FormAlert } from '../FormAlert';
import { DocumentFile, UploadButton } from './Documents';
import { hasPerson } from './formModel';
import {
  actorLabel,
  documentLabel,
  enumLabel,
  eventLabel,
  flagLabel,
  filingTypeLabel,
  formatTime,
  reasonText,
  stateLabel,
  StateTag,
} from './labels';
import './applications.css';

export default function ApplicationDetailPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const { client } = useServices();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const app = useQuery({ queryKey: ['application', id], queryFn: () => getApplication(client, id!) });
  const events = useQuery({ queryKey: ['application', id, 'events'], queryFn: () => listEvents(client, id!) });
  const docs = useQuery({ queryKey: ['application', id, 'documents'], queryFn: () => listDocuments(client, id!) });
  const [withdrawing, setWithdrawing] = useState(false);

  if (app.isPending) return <PageSpinner />;
  if (app.error) {
    const g = mapApiError(app.error, []).global;
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        data-testid="detail-error"
        title={g ? globalErrorText(t, g) : t('apps.common.loading_failed')}
        action={<Link to="/applications">{t('apps.detail.back_to_list')}</Link>}
      />
    );
  }
  const a = app.data;
  const refresh = (next?: Application) => {
    if (next) qc.setQueryData(['application', id], next);
    void app.refetch();
    void events.refetch();
    void docs.refetch();
    void qc.invalidateQueries({ queryKey: ['applications'] });
  };

  const withdraw = async () => {
    setWithdrawing(true);
    try {
      refresh(await withdrawApplication(client, a.id));
      void message.success(t('apps.detail.withdrawn'));
    } catch (e) {
      const g = mapApiError(e, []).global;
      void message.error(g ? globalErrorText(t, g) : String(e));
    } finally {
      setWithdrawing(false);
    }
  };

  const flagged = (a.flagged_fields ?? []).filter((f) => !f.changed);
  const lang = i18n.language;

  return (
    <div className="apps-page" data-testid="application-detail" data-state={a.state}>
      <div className="apps-page-head">
        <Typography.Title level={3}>
          {t('apps.detail.title')} <StateTag state={a.state} />
        </Typography.Title>
        <Space wrap>
          <Link to="/applications">{t('apps.detail.back_to_list')}</Link>
          {kEditableStates.includes(a.state) && (
            <Link to={`/applications/${a.id}/edit`} data-testid="detail-edit">
              <Button type="primary">{a.state === 'returned' ? t('apps.detail.fix') : t('apps.detail.edit')}</Button>
            </Link>
          )}
          {kWithdrawableStates.includes(a.state) && (
            <Popconfirm
              title={t('apps.detail.withdraw_confirm')}
              description={t('apps.detail.withdraw_detail')}
              onConfirm={() => void withdraw()}
              okButtonProps={{ danger: true, ...({ 'data-testid': 'withdraw-ok' } as Record<string, string>) }}
              okText={t('apps.detail.withdraw')}
              cancelText={t('apps.common.cancel')}
            >
              <Button danger loading={withdrawing} data-testid="withdraw">
                {t('apps.detail.withdraw')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      </div>

      {a.state === 'returned' && flagged.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="returned-reasons"
          title={
            ['rejected', 'expired', 'refused'].includes(a.authority?.state ?? '') &&
            events.data?.at(-1)?.role === 'system'
              ? t('apps.detail.returned_by_authority')
              : t('apps.detail.returned_title')
          }
          description={
            <ul className="apps-findings">
              {flagged.map((f, i) => (
                <li key={i} data-field={f.field}>
                  {/* A reason about the whole filing (the authority's sms_not_verified) has no field. */}
                  {f.field
                    ? t('apps.common.labelled', { label: flagLabel(t, f.field), text: reasonText(t, f) })
                    : reasonText(t, f)}
                </li>
              ))}
            </ul>
          }
        />
      )}

      <div className="apps-form-layout">
        <div>
          <Card title={t('apps.detail.state')} size="small" className="apps-website-card">
            <Descriptions
              column={{ xs: 1, sm: 1, md: 2 }}
              size="small"
              items={[
                { key: 'state', label: t('apps.detail.state'), children: stateLabel(t, a.state) },
                { key: 'type', label: t('apps.detail.filing_type'), children: filingTypeLabel(t, a.filing_type) },
                { key: 'created', label: t('apps.detail.created_at'), children: formatTime(lang, a.created_at) },
                {
                  key: 'submitted',
                  label: t('apps.detail.submitted_at'),
                  children: formatTime(lang, a.submitted_at) || '—',
                },
                {
                  key: 'entered',
                  label: t('apps.detail.state_entered_at'),
                  children: formatTime(lang, a.state_entered_at),
                },
                {
                  key: 'sla',
                  label: t('apps.detail.sla_deadline'),
                  children: <span data-testid="sla-deadline">{formatTime(lang, a.sla_deadline) || '—'}</span>,
                },
              ]}
            />
          </Card>
          <AuthenticityPanel app={a} documents={docs.data ?? []} onChanged={refresh} />
          <Card title={t('apps.detail.organizer')} size="small" className="apps-website-card">
            <Descriptions
              column={{ xs: 1, sm: 1, md: 2 }}
              size="small"
              data-testid="detail-organizer"
              items={[
                { key: 'type', label: t('apps.form.org_type'), children: enumLabel(t, 'organizer_type', a.organizer?.type) },
                { key: 'name', label: t('apps.form.org_name'), children: a.organizer?.name },
                {
                  key: 'cert',
                  label: t('apps.form.cert_type'),
                  children: enumLabel(t, 'certificate_type', a.organizer?.certificate?.type),
                },
                { key: 'number', label: t('apps.form.cert_number'), children: a.organizer?.certificate?.number },
                { key: 'province', label: t('apps.form.org_province'), children: enumLabel(t, 'province', a.organizer?.province) },
                { key: 'address', label: t('apps.form.org_address'), children: a.organizer?.address },
                { key: 'pic', label: t('apps.form.pic_name'), children: a.organizer?.person_in_charge?.name },
                {
                  key: 'pic_id',
                  label: t('apps.form.pic_id_number'),
                  children: a.organizer?.person_in_charge?.id_number,
                },
                { key: 'pic_mobile', label: t('apps.form.pic_mobile'), children: a.organizer?.person_in_charge?.mobile },
                { key: 'pic_email', label: t('apps.form.pic_email'), children: a.organizer?.person_in_charge?.email },
              ]}
            />
          </Card>
          {(a.websites ?? []).map((w, i) => (
            <WebsiteCard key={i} index={i} website={w} />
          ))}
          <Card title={t('apps.detail.documents')} size="small" className="apps-website-card" data-testid="detail-documents">
            {(docs.data ?? []).length === 0 ? (
              <Typography.Text type="secondary">{t('apps.detail.no_documents')}</Typography.Text>
            ) : (
              <div className="apps-doc-files">
                {(docs.data ?? []).map((d) => (
                  <div key={d.id}>
                    <Typography.Text type="secondary">{documentLabel(t, d.kind, d.subject)}</Typography.Text>
                    <DocumentFile appId={a.id} doc={d} />
                  </div>
                ))}
              </div>
            )}
          </Card>
        </div>
        <Card title={t('apps.detail.timeline')} size="small" data-testid="timeline">
          <EventTimeline events={events.data ?? []} />
        </Card>
      </div>
    </div>
  );
}

function WebsiteCard({ index, website: w }: { index: number; website: Website }) {
  const { t } = useTranslation();
  return (
    <Card
      title={t('apps.form.website', { n: index + 1 })}
      size="small"
      className="apps-website-card"
      data-testid={`detail-website-${index}`}
    >
      <Descriptions
        column={{ xs: 1, sm: 1, md: 2 }}
        size="small"
        items={[
          { key: 'name', label: t('apps.form.site_name'), children: w.name },
          { key: 'domain', label: t('apps.form.site_domain'), children: (w.domains ?? []).join(', ') },
          { key: 'home', label: t('apps.form.site_homepage'), children: w.homepage },
          { key: 'content', label: t('apps.form.site_content'), children: enumLabel(t, 'service_content', w.service_content) },
          { key: 'instance', label: t('apps.form.site_instance'), children: w.instance_id },
          {
            key: 'person',
            label: t('apps.form.site_person'),
            children: hasPerson(w.person_in_charge) ? w.person_in_charge?.name : t('apps.form.site_same_person'),
          },
        ]}
      />
    </Card>
  );
}

export function EventTimeline({ events }: { events: readonly ApplicationEvent[] }) {
  const { t, i18n } = useTranslation();
  const colour = (e: ApplicationEvent) =>
    e.event === 'reject' || e.event === 'reject_photo' || e.event === 'authority_reject'
      ? 'red'
      : e.event === 'withdraw'
        ? 'gray'
        : e.to === 'approved' || e.event === 'approve' || e.event === 'accept_photo'
          ? 'green'
          : 'blue';
  return (
    <Timeline
      items={events.map((e) => ({
        key: e.seq,
        color: colour(e),
        content: (
          <div data-testid="timeline-event" data-event={e.event}>
            <Typography.Text strong>{eventLabel(t, e.event)}</Typography.Text>
            <div>
              <Typography.Text type="secondary">
                {formatTime(i18n.language, e.at)} · {actorLabel(t, e.role)}
              </Typography.Text>
            </div>
            {e.reasons.length > 0 && (
              <ul className="apps-findings" data-testid="timeline-reasons">
                {e.reasons.map((r, i) => (
                  <li key={i}>
                    {r.field
                      ? t('apps.common.labelled', { label: flagLabel(t, r.field), text: reasonText(t, r) })
                      : reasonText(t, r)}
                  </li>
                ))}
              </ul>
            )}
          </div>
        ),
      }))}
    />
  );
}

// The backdrop request's rules, the same as the server's (review contract): recipient 2–30
// characters, a mainland mobile, address 8–200 characters.
export function validateRecipient(v: string | undefined): 'recipient_invalid' | null {
  const n = [...(v ?? '').trim()].length;
  return n >= 2 && n <= 30 ? null : 'recipient_invalid';
}

export function validateAddress(v: string | undefined): 'address_invalid' | null {
  const n = [...(v ?? '').trim()].length;
  return n >= 8 && n <= 200 ? null : 'address_invalid';
}

const kBackdropFields = ['recipient', 'mobile', 'address'] as const;

function BackdropForm({ app, onDone }: { app: Application; onDone: (a: Application) => void }) {
  const { t } = useTranslation();
  const { client } = useServices();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<BackdropInput>();
  const errors = useFormErrors(form, kBackdropFields);
  const [busy, setBusy] = useState(false);
  const pic = app.organizer?.person_in_charge;

  const onFinish = async (v: BackdropInput) => {
    errors.clear();
    setBusy(true);
    try {
      const a = await requestBackdrop(client, app.id, {
        recipient: v.recipient.trim(),
        mobile: normalizeMobile(v.mobile),
        address: v.address.trim(),
      });
      void message.success(t('apps.auth.requested'));
      onDone(a);
    } catch (e) {
      errors.setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Typography.Paragraph>{t('apps.auth.verification_intro')}</Typography.Paragraph>
      <FormAlert text={errors.globalText} extra={errors.globalExtra} />
      <Form<BackdropInput>
        form={form}
        layout="vertical"
        requiredMark={false}
        name="backdrop"
        initialValues={{ recipient: pic?.name ?? '', mobile: pic?.mobile ?? '', address: app.organizer?.address ?? '' }}
        onFinish={(v) => void onFinish(v)}
        onValuesChange={errors.onValuesChange}
        data-testid="backdrop-form"
      >
        <Form.Item
          name="recipient"
          label={t('apps.auth.recipient')}
          rules={[
            {
              validator: async (_r, v: string | undefined) => {
                if (validateRecipient(v)) throw new Error(t('apps.auth.recipient_invalid'));
              },
            },
          ]}
          {...errors.itemProps('recipient')}
        >
          <Input data-testid="backdrop-recipient" autoComplete="name" />
        </Form.Item>
        <Form.Item
          name="mobile"
          label={t('apps.auth.mobile')}
          rules={[errors.rule((v) => validateMobile(v))]}
          {...errors.itemProps('mobile')}
        >
          <Input data-testid="backdrop-mobile" inputMode="tel" autoComplete="tel" />
        </Form.Item>
        <Form.Item
          name="address"
          label={t('apps.auth.address')}
          rules={[
            {
              validator: async (_r, v: string | undefined) => {
                if (validateAddress(v)) throw new Error(t('apps.auth.address_invalid'));
              },
            },
          ]}
          {...errors.itemProps('address')}
        >
          <Input.TextArea data-testid="backdrop-address" autoSize={{ minRows: 2 }} autoComplete="street-address" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="backdrop-submit">
          {t('apps.auth.request')}
        </Button>
      </Form>
    </>
  );
}

function BackdropInfo({ app }: { app: Application }) {
  const { t, i18n } = useTranslation();
  const b = app.backdrop;
  if (!b) return null;
  const items: NonNullable<DescriptionsProps['items']> = [
    { key: 'recipient', label: t('apps.auth.recipient'), children: b.recipient },
    { key: 'mobile', label: t('apps.auth.mobile'), children: b.mobile },
    { key: 'address', label: t('apps.auth.address'), children: b.address },
    { key: 'requested', label: t('apps.auth.requested_at'), children: formatTime(i18n.language, b.requested_at) },
  ];
  if (b.carrier || b.tracking_number) {
    items.push(
      { key: 'carrier', label: t('apps.auth.carrier'), children: <span data-testid="backdrop-carrier">{b.carrier}</span> },
      {
        key: 'tracking',
        label: t('apps.auth.tracking_number'),
        children: <span data-testid="backdrop-tracking">{b.tracking_number}</span>,
      },
      { key: 'shipped', label: t('apps.auth.shipped_at'), children: formatTime(i18n.language, b.shipped_at) },
    );
  }
  return <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small" items={items} data-testid="backdrop-info" />;
}

function PhotoStep({
  app,
  documents,
  onDone,
}: {
  app: Application;
  documents: readonly ApplicationDocument[];
  onDone: (a?: Application) => void;
}) {
  const { t } = useTranslation();
  const { client } = useServices();
  const { message } = AntApp.useApp();
  const events = useQuery({ queryKey: ['application', app.id, 'events'], queryFn: () => listEvents(client, app.id) });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const photo = documents.filter((d) => d.kind === 'verified_photo').at(-1);
  // The latest photo rejection stands until the reviewer accepts a photo (the server keeps it
  // in flagged_fields until then); a server without flagged_fields has it in the timeline.
  const rejected = (app.flagged_fields ?? []).filter((f) => f.field === 'photo');
  const lastReject = events.data?.filter((e) => e.event === 'reject_photo').at(-1);

  const submit = async () => {
    if (!photo) return;
    setBusy(true);
    setError(null);
    try {
      const a = await submitPhoto(client, app.id, photo.id);
      void message.success(t('apps.auth.photo_submitted'));
      onDone(a);
    } catch (e) {
      const g = mapApiError(e, []).global;
      setError(g ? globalErrorText(t, g) : String(e));
    } finally {
      setBusy(false);
    }
  };

  const reasons =
    rejected.length > 0
      ? rejected.map((f) => reasonText(t, f))
      : (lastReject?.reasons ?? []).map((r) => reasonText(t, r));
  return (
    <div data-testid="photo-step">
      {reasons.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="photo-rejected"
          title={t('apps.auth.photo_rejected')}
          description={
            <ul className="apps-findings">
              {reasons.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          }
        />
      )}
      <Typography.Paragraph>{t('apps.auth.photo_intro')}</Typography.Paragraph>
      {photo && (
        <div className="apps-doc-files" data-testid="photo-preview">
          <DocumentFile appId={app.id} doc={photo} />
        </div>
      )}
      <Space wrap className="apps-photo-actions">
        <UploadButton
          appId={app.id}
          kind="verified_photo"
          subject="organizer"
          label={photo ? t('apps.auth.photo_replace') : t('apps.auth.photo_upload')}
          testId="upload-photo"
          onUploaded={() => onDone()}
        />
        <Button type="primary" disabled={!photo} loading={busy} onClick={() => void submit()} data-testid="photo-submit">
          {t('apps.auth.photo_submit')}
        </Button>
      </Space>
      {error && (
        <Typography.Paragraph type="danger" role="alert" data-testid="photo-error">
          {error}
        </Typography.Paragraph>
      )}
    </div>
  );
}

function AuthenticityPanel({
  app,
  documents,
  onChanged,
}: {
  app: Application;
  documents: readonly ApplicationDocument[];
  onChanged: (a?: Application) => void;
}) {
  const { t } = useTranslation();
  let body: ReactNode = null;
  switch (app.state) {
    case 'draft':
    case 'preliminary_review':
    case 'returned':
      body = <Typography.Text type="secondary">{t('apps.auth.before')}</Typography.Text>;
      break;
    case 'verification':
      body = <BackdropForm app={app} onDone={onChanged} />;
      break;
    case 'backdrop_requested':
      body = (
        <>
          <Alert type="info" showIcon title={t('apps.auth.waiting_ship')} data-testid="backdrop-waiting" />
          <BackdropInfo app={app} />
        </>
      );
      break;
    case 'backdrop_shipped':
      body = (
        <>
          <Alert type="success" showIcon title={t('apps.auth.shipped')} />
          <BackdropInfo app={app} />
          <PhotoStep app={app} documents={documents} onDone={onChanged} />
        </>
      );
      break;
    case 'photo_uploaded':
      body = (
        <>
          <Alert type="info" showIcon title={t('apps.auth.photo_waiting')} data-testid="photo-waiting" />
          <BackdropInfo app={app} />
        </>
      );
      break;
    case 'photo_accepted':
      body = (
        <>
          <Result status="success" title={t('apps.auth.photo_accepted')} data-testid="photo-accepted" />
          {app.authority && <AuthorityStatus app={app} />}
        </>
      );
      break;
    case 'authority_review':
      body = app.authority ? (
        <AuthorityStatus app={app} />
      ) : (
        <Result status="info" title={t('apps.auth.authority')} />
      );
      break;
    case 'approved':
      body = <Approved app={app} />;
      break;
    default:
      return null;
  }
  return (
    <Card title={t('apps.auth.title')} size="small" className="apps-website-card" data-testid="authenticity-panel">
      {body}
    </Card>
  );
}

// Where the application is at the authority (authority_review, and photo_accepted while it is
// being handed over).
function AuthorityStatus({ app }: { app: Application }) {
  const { t } = useTranslation();
  const { config } = useServices();
  const authority = app.authority!;
  const reference = authority.authority_submission_id && (
    <Typography.Paragraph type="secondary" data-testid="authority-reference">
      {t('apps.auth.submission_id')}: {authority.authority_submission_id}
    </Typography.Paragraph>
  );
  switch (authority.state) {
    case 'handing_over':
      return (
        <Alert
          type="info"
          showIcon
          data-testid="authority-status"
          data-authority-state="handing_over"
          title={t('apps.auth.handing_over')}
          description={t('apps.auth.handing_over_detail')}
        />
      );
    case 'sms_verification': {
      const verifyUrl = config.authority_public_url ? `${config.authority_public_url}/verify` : null;
      return (
        <>
          <Alert
            type="warning"
            showIcon
            data-testid="authority-status"
            data-authority-state="sms_verification"
            title={t('apps.auth.sms_title')}
            description={
              <>
                <Typography.Paragraph>{t('apps.auth.sms_detail')}</Typography.Paragraph>
                {verifyUrl && (
                  <a href={verifyUrl} target="_blank" rel="noopener noreferrer" data-testid="authority-verify-link">
                    {t('apps.auth.sms_link')}
                  </a>
                )}
              </>
            }
          />
          {reference}
        </>
      );
    }
    case 'under_review':
      return (
        <>
          <Alert
            type="info"
            showIcon
            data-testid="authority-status"
            data-authority-state="under_review"
            title={t('apps.auth.under_review')}
            description={t('apps.auth.under_review_detail')}
          />
          {reference}
        </>
      );
    default:
      return (
        <>
          <Result status="info" title={t('apps.auth.authority')} data-testid="authority-status" />
          {reference}
        </>
      );
  }
}

// An approved filing: the subject SN and each website's SN (by the website's name, else by its
// first domain — the agent stores both keys).
function Approved({ app }: { app: Application }) {
  const { t } = useTranslation();
  const sns = app.beian?.website_sns ?? {};
  const websites = (app.websites ?? []).map((w, i) => ({
    key: i,
    name: w.name || (w.domains ?? [])[0] || '',
    sn: (w.name && sns[w.name]) || (w.domains ?? []).map((d) => sns[d]).find(Boolean) || '',
  }));
  return (
    <Result
      status="success"
      title={t('apps.auth.approved')}
      subTitle={t('apps.auth.approved_detail')}
      data-testid="approved"
      extra={
        <Descriptions
          column={1}
          size="small"
          bordered
          items={[
            {
              key: 'subject',
              label: t('apps.auth.subject_sn'),
              children: <span data-testid="subject-sn">{app.beian?.subject_sn || '—'}</span>,
            },
            ...websites.map((w) => ({
              key: `w${w.key}`,
              label: `${t('apps.auth.website_sn')} · ${w.name}`,
              children: <span data-testid="website-sn">{w.sn || '—'}</span>,
            })),
          ]}
        />
      }
    />
  );
}
