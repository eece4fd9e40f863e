// The review screen both reviewers decide on (the provider's application review and the
// authority's submission review): the loading and not-found states, the layout (heading, the
// fields and documents on the left, the decision panel kept in view on the right), the grouped
// fields with their documents, the claim controls, and the reject form with field-level reasons
// from a catalogue, whose refusals are marked on their own rows. The pages bring their texts
// (by key prefix), their data and what only one of them shows.
import { useState, type ReactNode } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Popconfirm,
  Result,
  Row,
  Select,
  Space,
  Typography,
  type ButtonProps,
  type FormInstance,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TFunction } from 'i18next';
import { ApiError } from '../../api/client';
import { fieldErrorText, globalErrorText, mapApiError } from '../../lib/errors';
import { fieldLabel } from '../../lib/reviewFields';
import { FormAlert } from '../../pages/FormAlert';
import { claimHolderText, formatTime } from '../../pages/review/format';
import type { ClaimHolding } from './ReviewQueue';
import './review.css';

export interface CatalogueReason {
  code: string;
  zh_CN: string;
  en: string;
  note_required: boolean;
}

// The reason's name in the console's language; the code itself when the catalogue lacks it.
export function reasonName(
  lang: string,
  catalogue: Array<Pick<CatalogueReason, 'code' | 'zh_CN' | 'en'>> | undefined,
  code: string,
): string {
  const r = catalogue?.find((x) => x.code === code);
  if (!r) return code;
  return lang === 'en' ? r.en : r.zh_CN;
}

export function errorText(t: TFunction, e: unknown): string | null {
  const g = mapApiError(e, []).global;
  return g ? globalErrorText(t, g) : null;
}

// Documents whose subject is `subject` or lies under it ("websites[0]" takes
// "websites[0].person_in_charge" too); the verified photo is shown apart.
export function documentsOf<D extends { kind: string; subject: string }>(docs: D[], subject: string): D[] {
  return docs.filter(
    (d) =>
      d.kind !== 'verified_photo' && (d.subject === subject || d.subject.startsWith(`${subject}.`)),
  );
}

// What stands in for the screen while its detail loads or when it cannot be had.
export function DetailFallback({
  pending,
  error,
  loadingTestId,
  errorTestId,
  notFoundText,
  back,
}: {
  pending: boolean;
  error: unknown;
  loadingTestId: string;
  errorTestId: string;
  notFoundText: string;
  back: { to: string; text: string };
}) {
  const { t } = useTranslation();
  if (pending) return <div className="page-spinner" data-testid={loadingTestId} />;
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <Result
      status={notFound ? '404' : 'error'}
      title={notFound ? notFoundText : errorText(t, error)}
      extra={<Link to={back.to}>{back.text}</Link>}
      data-testid={errorTestId}
    />
  );
}

export function ReviewLayout({
  testId,
  state,
  heading,
  main,
  side,
}: {
  testId: string;
  state: string;
  heading: ReactNode;
  main: ReactNode;
  side: ReactNode;
}) {
  return (
    <div data-testid={testId} data-state={state}>
      <Space align="center" wrap className="review-heading">
        {heading}
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          {main}
        </Col>
        <Col xs={24} lg={8}>
          <div className="review-side">{side}</div>
        </Col>
      </Row>
    </div>
  );
}

// One group of fields (the organizer, a website) as label / value rows, its documents beside.
export function FieldGroupCard({
  title,
  prefix,
  paths,
  testId,
  value,
  rowClassName,
  documents,
}: {
  title: ReactNode;
  // The group's path ("organizer", "websites[0]"): left out of its fields' labels.
  prefix: string;
  paths: string[];
  testId: string;
  value: (path: string) => ReactNode;
  rowClassName?: (path: string) => string | undefined;
  documents: ReactNode[];
}) {
  const { t } = useTranslation();
  return (
    <Card title={title} className="review-card" data-testid={testId}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={documents.length ? 14 : 24}>
          <Descriptions column={1} size="small" bordered>
            {paths.map((p) => (
              <Descriptions.Item
                key={p}
                label={fieldLabel(t, p.startsWith(`${prefix}.`) ? p.slice(prefix.length + 1) : p)}
                className={rowClassName?.(p)}
              >
                {value(p)}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Col>
        {documents.length > 0 && (
          <Col xs={24} xl={10}>
            <Space wrap align="start" className="review-documents">
              {documents}
            </Space>
          </Col>
        )}
      </Row>
    </Card>
  );
}

export function DecisionCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card title={title} className="review-card" data-testid="decision-panel">
      {children}
    </Card>
  );
}

// A decision panel's message when the screen cannot be decided on.
export function DecisionNote({ title, testId, text }: { title: string; testId: string; text: string }) {
  return (
    <DecisionCard title={title}>
      <Typography.Paragraph data-testid={testId}>{text}</Typography.Paragraph>
    </DecisionCard>
  );
}

// Unclaimed: the claim button; another's claim: who holds it; one's own: `children` (the
// decision), under the claim's end. Texts under `${textPrefix}.` (claim_first, claimed_by,
// claimed_until).
export function ClaimControls({
  claim,
  claiming,
  onClaim,
  textPrefix,
  claimLabel,
  children,
}: {
  claim: ClaimHolding | null;
  claiming: boolean;
  onClaim: () => void;
  textPrefix: string;
  claimLabel: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  if (!claim) {
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t(`${textPrefix}.claim_first`)}</Typography.Text>
        <Button type="primary" block loading={claiming} onClick={onClaim} data-testid="claim">
          {claimLabel}
        </Button>
      </Space>
    );
  }
  if (!claim.mine) {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="claimed-by-other"
        title={t(`${textPrefix}.claimed_by`, { name: claim.holder, time: formatTime(claim.until) })}
      />
    );
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Text type="secondary" data-testid="claim-mine">
        {t(`${textPrefix}.claimed_until`, { time: formatTime(claim.until) })}
      </Typography.Text>
      {children}
    </Space>
  );
}

// The approve (or accept) button, behind a confirmation.
export function ApproveButton({
  confirm,
  okText,
  label,
  loading,
  onConfirm,
}: {
  confirm: string;
  okText: string;
  label: string;
  loading: boolean;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Popconfirm
      title={confirm}
      okText={okText}
      cancelText={t('nav.cancel')}
      okButtonProps={{ 'data-testid': 'approve-ok' } as ButtonProps}
      onConfirm={onConfirm}
    >
      <Button type="primary" block loading={loading} data-testid="approve">
        {label}
      </Button>
    </Popconfirm>
  );
}

export interface ReasonRow {
  field?: string;
  code?: string;
  message?: string;
}

export type ReasonsForm = FormInstance<{ reasons: ReasonRow[] }>;

// A refused decision: a detail about "reasons[i].field|code|message" is marked on that row of
// the reject form (in the words `reasonErrorKey` names), the rest goes above the panel.
export function useDecisionFailure(form: ReasonsForm, reasonErrorKey: (code: string) => string) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<unknown>(null);

  const markReason = (d: { field: string; code: string; message: string }): boolean => {
    const m = /^reasons\[(\d+)\]\.(field|code|message)$/.exec(d.field);
    if (!m) return false;
    const text = t(reasonErrorKey(d.code), {
      defaultValue: fieldErrorText(t, { code: d.code, message: d.message }),
    });
    const key = m[2] as 'field' | 'code' | 'message';
    form.setFields([{ name: ['reasons', Number(m[1]), key], errors: [text] }]);
    return true;
  };

  // A decision's refusal: shown above the panel unless every detail found its row.
  const decisionFailed = (e: unknown) => {
    const rest = e instanceof ApiError ? e.details.filter((d) => !markReason(d)) : [];
    setFailure(e instanceof ApiError && rest.length === 0 && e.details.length > 0 ? null : e);
  };

  const holder = claimHolderText(t, failure);
  const alert = (
    <FormAlert
      text={failure ? errorText(t, failure) : null}
      extra={
        holder
          ? [holder]
          : failure instanceof ApiError
            ? failure.details
                .filter((d) => !/^reasons\[\d+\]\./.test(d.field))
                .map(
                  (d) =>
                    `${d.field ? `${d.field}: ` : ''}${fieldErrorText(t, { code: d.code, message: d.message })}`,
                )
            : []
      }
    />
  );
  return { setFailure, decisionFailed, alert };
}

// The reject form: one or more reasons, each a field (unless `fields` is null: the decision
// concerns one thing), a code from the catalogue and a note (required where the code says so);
// texts under `${textPrefix}.` (reason_field, pick_field, reason_code, pick_reason, note,
// note_required, note_missing, note_too_long, remove_reason, add_reason).
export function RejectForm({
  form,
  title,
  fields,
  reasons,
  textPrefix,
  rejectLabel,
  rejecting,
  onAttempt,
  onReject,
}: {
  form: ReasonsForm;
  title: string;
  fields: string[] | null;
  reasons: CatalogueReason[];
  textPrefix: string;
  rejectLabel: string;
  rejecting: boolean;
  // Called on every click of "reject", before the form is checked.
  onAttempt: () => void;
  onReject: (reasons: Array<{ field: string; code: string; message: string }>) => void;
}) {
  const { t, i18n } = useTranslation();
  const k = (key: string) => t(`${textPrefix}.${key}`);
  const noteRequired = (code: string | undefined) => reasons.find((r) => r.code === code)?.note_required === true;

  const submit = async () => {
    onAttempt();
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    onReject(
      (values.reasons ?? []).map((r) => ({
        field: r.field ?? '',
        code: r.code ?? '',
        message: (r.message ?? '').trim(),
      })),
    );
  };

  return (
    <Form form={form} layout="vertical" initialValues={{ reasons: [{}] }} data-testid="reject-form" requiredMark={false}>
      <Typography.Text strong>{title}</Typography.Text>
      <Form.List name="reasons">
        {(items, { add, remove }) => (
          <>
            {items.map((item, index) => (
              <div key={item.key} className="review-reason" data-testid={`reason-${index}`}>
                {fields !== null && (
                  <Form.Item
                    name={[item.name, 'field']}
                    label={k('reason_field')}
                    rules={[{ required: true, message: k('pick_field') }]}
                  >
                    <Select
                      showSearch
                      virtual={false}
                      optionFilterProp="label"
                      placeholder={k('pick_field')}
                      data-testid={`reason-field-${index}`}
                      options={fields.map((f) => ({ value: f, label: fieldLabel(t, f) }))}
                    />
                  </Form.Item>
                )}
                <Form.Item
                  name={[item.name, 'code']}
                  label={k('reason_code')}
                  rules={[{ required: true, message: k('pick_reason') }]}
                >
                  <Select
                    placeholder={k('pick_reason')}
                    data-testid={`reason-code-${index}`}
                    options={reasons.map((r) => ({
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
                        label={k(required ? 'note_required' : 'note')}
                        rules={[
                          { required, whitespace: true, message: k('note_missing') },
                          { max: 300, message: k('note_too_long') },
                        ]}
                      >
                        <Input.TextArea rows={2} data-testid={`reason-note-${index}`} />
                      </Form.Item>
                    );
                  }}
                </Form.Item>
                {items.length > 1 && (
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => remove(item.name)}>
                    {k('remove_reason')}
                  </Button>
                )}
              </div>
            ))}
            <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({})} data-testid="add-reason">
              {k('add_reason')}
            </Button>
          </>
        )}
      </Form.List>
      <Button
        danger
        block
        className="review-reject"
        loading={rejecting}
        onClick={() => void submit()}
        data-testid="reject"
      >
        {rejectLabel}
      </Button>
    </Form>
  );
}
