// The filing step form: organizer → websites → documents → check and submit (antd Steps).
// /applications/new creates the draft on the first save ("Next" or "Save draft", with an
// Idempotency-Key kept for that attempt) and continues at /applications/:id/edit, where every
// change is saved with If-Match (debounced; a 412 reloads the latest version and says so) and
// the server precheck runs ~600 ms after the last saved change. Findings show beside their
// fields and in a summary with the judged filing type and its explanation; a returned
// application shows the reviewer's reasons on the flagged fields until they change, and its
// submit button resubmits.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Select,
  Steps,
  Tag,
  Typography,
  type FormInstance,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useServices } from '../../app/services';
import { PageSpinner } from '../../app/App';
import { ApiError, type ApiErrorDetail } from '../../api/client';
import {
  createApplication,
  getApplication,
  kEditableStates,
  kIdTypes,
  kOrganizerTypes,
  kPreApprovalKinds,
  kProvinces,
  listDocuments,
  listInstances,
  listInventoryDomains,
  newIdempotencyKey,
  patchApplication,
  precheckApplication,
  submitApplication,
  type Application,
  type ApplicationDocument,
  type Instance,
  type InventoryDomain,
  type PrecheckResult,
} from '../../api/applications';
import { globalErrorText, mapApiError } from '../../lib/errors';
import { normalizeMobile } from '../../lib/validation';
import {
  fieldLabel,
  kCertificatesFor,
  kEmptyWebsite,
  kLanguages,
  notesByPath,
  openFlags,
  stepOf,
  toInput,
  toValues,
  type FieldNotes,
  type FormValues,
} from './formModel';
import { RequiredDocumentRows, uniqueDocuments } from './Documents';
import {
  documentLabel,
  enumLabel,
  filingTypeLabel,
  findingText,
  flagLabel,
  localized,
  reasonText,
  stateLabel,
  StateTag,
  subjectLabel,
} from './labels';
import './applications.css';

// Quiet time after the last change before it is saved, and after the last save before the
// precheck runs.
export const kSaveDelayMs = 800;
export const kPrecheckDelayMs = 600;

const kServiceContents = [
  'enterprise_portal',
  'blog',
  'other',
  'e_commerce',
  'government_affairs',
  'search',
  'tools',
  'news',
  'publishing',
  'education',
  'healthcare',
  'drugs_devices',
  'e_bulletin',
  'culture',
  'radio_film_tv',
  'ride_hailing',
  'finance',
  'forum',
  'off_campus_training',
  'games',
  'religion',
];

type SaveState = 'idle' | 'dirty' | 'saving' | 'saved' | 'error';

export default function ApplicationFormPage() {
  const { id } = useParams();
  const { client } = useServices();
  const { t } = useTranslation();
  const app = useQuery({
    queryKey: ['application', id],
    queryFn: () => getApplication(client, id!),
    enabled: id !== undefined,
    // The form keeps its own copy from here on; a background refetch must not reset it.
    staleTime: Infinity,
    gcTime: 0,
  });
  const instances = useQuery({ queryKey: ['inventory', 'instances'], queryFn: () => listInstances(client) });
  const domains = useQuery({ queryKey: ['inventory', 'domains'], queryFn: () => listInventoryDomains(client) });

  if ((id !== undefined && app.isPending) || instances.isPending || domains.isPending) return <PageSpinner />;
  const error = app.error ?? instances.error ?? domains.error;
  if (error) {
    const g = mapApiError(error, []).global;
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        title={g ? globalErrorText(t, g) : t('apps.common.loading_failed')}
        action={
          <Button
            onClick={() => {
              void app.refetch();
              void instances.refetch();
              void domains.refetch();
            }}
          >
            {t('apps.common.retry')}
          </Button>
        }
      />
    );
  }
  const loaded = app.data ?? null;
  if (loaded && !kEditableStates.includes(loaded.state)) {
    return (
      <Alert
        type="info"
        showIcon
        data-testid="not-editable"
        title={t('apps.form.not_editable', { state: stateLabel(t, loaded.state) })}
        action={<Link to={`/applications/${loaded.id}`}>{t('apps.list.view')}</Link>}
      />
    );
  }
  return (
    <FilingForm
      key={id ?? 'new'}
      initial={loaded}
      instances={instances.data ?? []}
      domains={domains.data ?? []}
    />
  );
}

interface FilingFormProps {
  initial: Application | null;
  instances: Instance[];
  domains: InventoryDomain[];
}

function FilingForm({ initial, instances, domains }: FilingFormProps) {
  const { t, i18n } = useTranslation();
  const { client } = useServices();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<FormValues>();
  const [app, setApp] = useState<Application | null>(initial);
  const appRef = useRef<Application | null>(initial);
  // The application as loaded (or last reloaded after a 412): flagged fields stay marked while
  // the form holds the value they had then.
  const [loaded, setLoaded] = useState<Application | null>(initial);
  const [values, setValues] = useState<FormValues>(() => toValues(initial));
  const [step, setStep] = useState<number>(
    () => (location.state as { step?: number } | null)?.step ?? 0,
  );
  const [saveState, setSaveState] = useState<SaveState>(initial ? 'saved' : 'idle');
  const [saveError, setSaveError] = useState<unknown>(null);
  const [stale, setStale] = useState(false);
  const [precheck, setPrecheck] = useState<PrecheckResult | null>(null);
  const [precheckRunning, setPrecheckRunning] = useState(false);
  const [precheckError, setPrecheckError] = useState<unknown>(null);
  const [documents, setDocuments] = useState<ApplicationDocument[]>([]);

  const dirty = useRef(false);
  const inflight = useRef<Promise<boolean> | null>(null);
  const saveTimer = useRef<number | undefined>(undefined);
  const precheckTimer = useRef<number | undefined>(undefined);
  const precheckSeq = useRef(0);
  const createKey = useRef<string | null>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      window.clearTimeout(saveTimer.current);
      window.clearTimeout(precheckTimer.current);
    };
  }, []);

  const adopt = useCallback(
    (a: Application) => {
      appRef.current = a;
      setApp(a);
      qc.setQueryData(['application', a.id], a);
    },
    [qc],
  );

  const runPrecheck = useCallback(async () => {
    const current = appRef.current;
    if (!current) return;
    const seq = ++precheckSeq.current;
    setPrecheckRunning(true);
    try {
      const [p, docs] = await Promise.all([
        precheckApplication(client, current.id),
        listDocuments(client, current.id),
      ]);
      if (!mounted.current || seq !== precheckSeq.current) return;
      setPrecheck(p);
      setDocuments(docs);
      setPrecheckError(null);
    } catch (e) {
      if (mounted.current && seq === precheckSeq.current) setPrecheckError(e);
    } finally {
      if (mounted.current && seq === precheckSeq.current) setPrecheckRunning(false);
    }
  }, [client]);

  const schedulePrecheck = useCallback(() => {
    window.clearTimeout(precheckTimer.current);
    precheckTimer.current = window.setTimeout(() => void runPrecheck(), kPrecheckDelayMs);
  }, [runPrecheck]);

  // The first precheck of an application that exists already (once: `initial` changes as
  // saved versions go into the query cache, and those have their own precheck).
  const hadInitial = useRef(initial !== null);
  useEffect(() => {
    if (hadInitial.current) void runPrecheck();
  }, [runPrecheck]);

  // A 412: someone (another tab) saved a newer version. Take it, say so, check it again.
  const reload = useCallback(async () => {
    const current = appRef.current;
    if (!current) return;
    const fresh = await getApplication(client, current.id);
    if (!mounted.current) return;
    adopt(fresh);
    setLoaded(fresh);
    const v = toValues(fresh);
    form.setFieldsValue(v);
    setValues(v);
    dirty.current = false;
    setStale(true);
    setSaveState('saved');
    schedulePrecheck();
  }, [adopt, client, form, schedulePrecheck]);

  const doSave = useCallback(async (): Promise<boolean> => {
    const current = appRef.current;
    const formValues = form.getFieldsValue(true) as FormValues;
    dirty.current = false;
    setSaveState('saving');
    try {
      if (!current) {
        createKey.current ??= newIdempotencyKey();
        const created = await createApplication(client, toInput(formValues, false), createKey.current);
        createKey.current = null;
        adopt(created);
        setSaveState('saved');
        setSaveError(null);
        void message.success(t('apps.form.created'));
        return true;
      }
      const saved = await patchApplication(client, current.id, current.version, toInput(formValues, true));
      if (!mounted.current) return true;
      adopt(saved);
      setSaveError(null);
      setSaveState(dirty.current ? 'dirty' : 'saved');
      schedulePrecheck();
      return true;
    } catch (e) {
      if (!mounted.current) return false;
      if (e instanceof ApiError && e.code === 'precondition_failed') {
        try {
          await reload();
        } catch (e2) {
          setSaveError(e2);
          setSaveState('error');
        }
        return false;
      }
      // A definite refusal needs a new attempt (and key) once the user changes something; a
      // network failure or a 5xx is retried with the same key.
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) createKey.current = null;
      dirty.current = true;
      setSaveError(e);
      setSaveState('error');
      return false;
    }
  }, [adopt, client, form, message, reload, schedulePrecheck, t]);

  // Saves what the form holds now (waiting for a save in flight first). True when saved.
  const flush = useCallback(async (): Promise<boolean> => {
    window.clearTimeout(saveTimer.current);
    if (inflight.current) {
      await inflight.current;
      if (!dirty.current && appRef.current) return true;
    }
    if (!dirty.current && appRef.current) return true;
    const p = doSave().finally(() => {
      inflight.current = null;
    });
    inflight.current = p;
    return p;
  }, [doSave]);

  // Changes not saved yet when the user leaves the page (within the save delay) are saved on
  // the way out; closing or reloading the tab meanwhile asks first.
  const flushRef = useRef(flush);
  flushRef.current = flush;
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (dirty.current || inflight.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
      if (dirty.current && appRef.current) void flushRef.current();
    };
  }, []);

  const onValuesChange = (_: unknown, all: FormValues) => {
    setValues(all);
    setStale(false);
    dirty.current = true;
    setSaveState('dirty');
    // A draft is created by an explicit save; after that every change saves itself.
    if (appRef.current) {
      window.clearTimeout(saveTimer.current);
      saveTimer.current = window.setTimeout(() => void flush(), kSaveDelayMs);
    }
  };

  const saveAndGo = async (to: number) => {
    const ok = await flush();
    if (!ok && !appRef.current) return;
    const a = appRef.current;
    if (a && !initial) {
      // The draft now exists: continue at its own address (the page remounts with this copy).
      navigate(`/applications/${a.id}/edit`, { replace: true, state: { step: to } });
      return;
    }
    setStep(to);
    document.scrollingElement?.scrollTo?.({ top: 0 });
  };

  // ---- what each field shows ----
  const current = useMemo(() => toInput(values, false), [values]);
  const flags = useMemo(
    () => openFlags(app?.flagged_fields, loaded, current),
    [app?.flagged_fields, loaded, current],
  );
  const notes = useMemo(
    () =>
      notesByPath(
        precheck?.findings ?? [],
        flags.filter((f) => !f.field.startsWith('documents') && f.field !== 'photo'),
        (f) => findingText(i18n.language, f),
        (f) => reasonText(t, f),
      ),
    [precheck, flags, i18n.language, t],
  );
  const docFlags = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const f of flags) {
      const key = f.field.startsWith('documents.') ? f.field.slice('documents.'.length) : null;
      if (key) m.set(key, [...(m.get(key) ?? []), reasonText(t, f)]);
    }
    return m;
  }, [flags, t]);

  const item = useCallback(
    (path: string): { validateStatus?: 'error' | 'warning'; help?: ReactNode; 'data-notes'?: string } => {
      const n: FieldNotes | undefined = notes.get(path);
      if (!n) return {};
      const lines = [
        ...n.errors.map((text) => ({ text, kind: 'error' })),
        ...n.flagged.map((text) => ({ text: t('apps.form.flagged', { reason: text }), kind: 'flagged' })),
        ...n.warnings.map((text) => ({ text, kind: 'warning' })),
      ];
      if (lines.length === 0) return {};
      return {
        validateStatus: n.errors.length > 0 ? 'error' : 'warning',
        help: (
          <div data-testid={`notes-${path}`}>
            {lines.map((l, i) => (
              <div key={i} data-kind={l.kind}>
                {l.text}
              </div>
            ))}
          </div>
        ),
      };
    },
    [notes, t],
  );

  const orgType = values.organizer?.type ?? 'enterprise';
  const certTypes = kCertificatesFor[orgType] ?? [];
  const editable = !app || kEditableStates.includes(app.state);
  const returned = app?.state === 'returned';

  const steps = [
    { title: t('apps.form.step_organizer') },
    { title: t('apps.form.step_websites') },
    { title: t('apps.form.step_documents') },
    { title: t('apps.form.step_check') },
  ];
  const errorsByStep = [0, 0, 0, 0];
  for (const f of precheck?.findings ?? []) if (f.severity === 'error') errorsByStep[stepOf(f.field)] += 1;
  const missingDocs = uniqueDocuments(precheck?.required_documents ?? []).filter(
    (d) => d.kind !== 'verified_photo' && !d.satisfied,
  ).length;
  errorsByStep[2] += missingDocs;

  const saveText =
    saveState === 'saving'
      ? t('apps.common.saving')
      : saveState === 'saved'
        ? t('apps.common.saved')
        : saveState === 'dirty'
          ? t('apps.common.unsaved')
          : '';
  const saveErr = saveError ? mapApiError(saveError, []).global : null;

  return (
    <div className="apps-page" data-testid="application-form">
      <div className="apps-page-head">
        <Typography.Title level={3}>
          {!app ? t('apps.form.title_new') : returned ? t('apps.form.title_returned') : t('apps.form.title_edit')}
        </Typography.Title>
        {app && <StateTag state={app.state} />}
      </div>
      <Steps
        className="apps-steps"
        current={step}
        items={steps.map((s, i) => ({
          ...s,
          status: i === step ? 'process' : errorsByStep[i] > 0 ? 'error' : i < step ? 'finish' : 'wait',
          disabled: !app && i > 0,
        }))}
        onChange={(to) => void saveAndGo(to)}
        data-testid="steps"
      />
      {stale && (
        <Alert type="warning" showIcon role="alert" data-testid="stale-alert" title={t('apps.form.stale')} closable />
      )}
      {saveErr && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="save-error"
          title={globalErrorText(t, saveErr)}
          description={
            saveErr.extra.length > 0 ? (
              <ul className="apps-findings">
                {saveErr.extra.map((e, i) => (
                  <li key={i}>{e.message}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      {returned && flags.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="returned-banner"
          title={t('apps.form.returned_banner')}
          description={
            <ul className="apps-findings">
              {flags.map((f, i) => (
                <li key={i} data-field={f.field}>
                  {t('apps.common.labelled', { label: flagLabel(t, f.field), text: reasonText(t, f) })}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <div className="apps-form-layout">
        <Card>
          <Form<FormValues>
            form={form}
            layout="vertical"
            initialValues={toValues(initial)}
            onValuesChange={onValuesChange}
            disabled={!editable}
            requiredMark={false}
            name="filing"
          >
            <div hidden={step !== 0} data-testid="step-organizer">
              <OrganizerFields form={form} certTypes={certTypes} orgType={orgType} item={item} />
            </div>
            <div hidden={step !== 1} data-testid="step-websites">
              <WebsiteFields instances={instances} domains={domains} values={values} item={item} />
            </div>
          </Form>
          {step === 2 && (
            <div data-testid="step-documents">
              <Typography.Paragraph type="secondary">{t('apps.docs.intro')}</Typography.Paragraph>
              {app ? (
                <RequiredDocumentRows
                  appId={app.id}
                  required={precheck?.required_documents ?? []}
                  documents={documents}
                  flagged={docFlags}
                  editable={editable}
                  onChanged={() => {
                    schedulePrecheck();
                    void listDocuments(client, app.id).then((d) => mounted.current && setDocuments(d));
                  }}
                />
              ) : (
                <Alert type="info" title={t('apps.docs.need_draft')} />
              )}
            </div>
          )}
          {step === 3 && app && (
            <CheckStep
              app={app}
              values={values}
              precheck={precheck}
              missingDocs={missingDocs}
              flush={flush}
              onPrecheck={runPrecheck}
              onSubmitted={(a) => {
                adopt(a);
                void qc.invalidateQueries({ queryKey: ['applications'] });
                navigate(`/applications/${a.id}`);
              }}
              goTo={setStep}
            />
          )}
          <div className="apps-actions">
            <div>
              {step > 0 && (
                <Button onClick={() => void saveAndGo(step - 1)} data-testid="step-prev">
                  {t('apps.form.prev')}
                </Button>
              )}
            </div>
            <div className="apps-actions-right">
              <span className="apps-save-state" data-testid="save-state" data-state={saveState}>
                {saveText}
              </span>{' '}
              {editable && step < 3 && (
                <Button onClick={() => void flush()} loading={saveState === 'saving'} data-testid="save-draft">
                  {t('apps.common.save')}
                </Button>
              )}{' '}
              {step < 3 && (
                <Button type="primary" onClick={() => void saveAndGo(step + 1)} data-testid="step-next">
                  {t('apps.form.next')}
                </Button>
              )}
            </div>
          </div>
        </Card>
        <PrecheckPanel
          precheck={precheck}
          running={precheckRunning}
          error={precheckError}
          hasDraft={app !== null}
          onGo={(s) => setStep(s)}
        />
      </div>
    </div>
  );
}

type ItemProps = (path: string) => { validateStatus?: 'error' | 'warning'; help?: ReactNode };

function PersonFields({
  prefix,
  path,
  item,
}: {
  prefix: Array<string | number>;
  path: string;
  item: ItemProps;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name={[...prefix, 'name']} label={t('apps.form.pic_name')} {...item(`${path}.name`)}>
        <Input data-testid={`${path}.name`} autoComplete="off" />
      </Form.Item>
      <Form.Item name={[...prefix, 'id_type']} label={t('apps.form.pic_id_type')} {...item(`${path}.id_type`)}>
        <Select
          data-testid={`${path}.id_type`}
          options={kIdTypes.map((v) => ({ value: v, label: enumLabel(t, 'id_type', v) }))}
        />
      </Form.Item>
      <Form.Item name={[...prefix, 'id_number']} label={t('apps.form.pic_id_number')} {...item(`${path}.id_number`)}>
        <Input data-testid={`${path}.id_number`} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name={[...prefix, 'mobile']}
        label={t('apps.form.pic_mobile')}
        normalize={(v: string) => (v ? normalizeMobile(v) : v)}
        {...item(`${path}.mobile`)}
      >
        <Input data-testid={`${path}.mobile`} inputMode="tel" autoComplete="off" />
      </Form.Item>
      <Form.Item name={[...prefix, 'email']} label={t('apps.form.pic_email')} {...item(`${path}.email`)}>
        <Input data-testid={`${path}.email`} inputMode="email" autoComplete="off" />
      </Form.Item>
    </>
  );
}

function OrganizerFields({
  form,
  certTypes,
  orgType,
  item,
}: {
  form: FormInstance<FormValues>;
  certTypes: string[];
  orgType: string;
  item: ItemProps;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name={['organizer', 'type']} label={t('apps.form.org_type')} {...item('organizer.type')}>
        <Select
          data-testid="organizer.type"
          options={kOrganizerTypes.map((v) => ({ value: v, label: enumLabel(t, 'organizer_type', v) }))}
          onChange={(v: string) => {
            // Keep the certificate type one the organizer type allows.
            const allowed = kCertificatesFor[v] ?? [];
            const cur = form.getFieldValue(['organizer', 'certificate', 'type']) as string | undefined;
            if (allowed.length > 0 && (!cur || !allowed.includes(cur))) {
              form.setFieldValue(['organizer', 'certificate', 'type'], allowed[0]);
            }
            // An individual is their own legal representative.
            if (v === 'individual') form.setFieldValue(['organizer', 'legal_representative'], undefined);
          }}
        />
      </Form.Item>
      <Form.Item
        name={['organizer', 'name']}
        label={orgType === 'individual' ? t('apps.form.org_name_individual') : t('apps.form.org_name')}
        {...item('organizer.name')}
      >
        <Input data-testid="organizer.name" autoComplete="organization" />
      </Form.Item>
      <Form.Item
        name={['organizer', 'certificate', 'type']}
        label={t('apps.form.cert_type')}
        {...item('organizer.certificate.type')}
      >
        <Select
          data-testid="organizer.certificate.type"
          options={certTypes.map((v) => ({ value: v, label: enumLabel(t, 'certificate_type', v) }))}
        />
      </Form.Item>
      <Form.Item
        name={['organizer', 'certificate', 'number']}
        label={t('apps.form.cert_number')}
        {...item('organizer.certificate.number')}
      >
        <Input data-testid="organizer.certificate.number" autoComplete="off" />
      </Form.Item>
      <Form.Item name={['organizer', 'province']} label={t('apps.form.org_province')} {...item('organizer.province')}>
        <Select
          data-testid="organizer.province"
          showSearch={{ optionFilterProp: 'label' }}
          options={kProvinces.map((v) => ({ value: v, label: enumLabel(t, 'province', v) }))}
        />
      </Form.Item>
      <Form.Item name={['organizer', 'address']} label={t('apps.form.org_address')} {...item('organizer.address')}>
        <Input data-testid="organizer.address" autoComplete="street-address" />
      </Form.Item>
      <Typography.Title level={5}>{t('apps.form.pic')}</Typography.Title>
      <PersonFields prefix={['organizer', 'person_in_charge']} path="organizer.person_in_charge" item={item} />
      {orgType !== 'individual' && (
        <div data-testid="legal-representative">
          <Typography.Title level={5}>{t('apps.form.legal_rep')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('apps.form.legal_rep_hint')}</Typography.Paragraph>
          <Form.Item
            name={['organizer', 'legal_representative', 'name']}
            label={t('apps.form.legal_rep_name')}
            {...item('organizer.legal_representative.name')}
          >
            <Input data-testid="organizer.legal_representative.name" autoComplete="off" />
          </Form.Item>
          <Form.Item
            name={['organizer', 'legal_representative', 'id_type']}
            label={t('apps.form.legal_rep_id_type')}
            {...item('organizer.legal_representative.id_type')}
          >
            <Select
              data-testid="organizer.legal_representative.id_type"
              allowClear
              options={kIdTypes.map((v) => ({ value: v, label: enumLabel(t, 'id_type', v) }))}
            />
          </Form.Item>
          <Form.Item
            name={['organizer', 'legal_representative', 'id_number']}
            label={t('apps.form.legal_rep_id_number')}
            {...item('organizer.legal_representative.id_number')}
          >
            <Input data-testid="organizer.legal_representative.id_number" autoComplete="off" />
          </Form.Item>
        </div>
      )}
    </>
  );
}

function WebsiteFields({
  instances,
  domains,
  values,
  item,
}: {
  instances: Instance[];
  domains: InventoryDomain[];
  values: FormValues;
  item: ItemProps;
}) {
  const { t } = useTranslation();
  const instanceOptions = instances.map((i) => ({
    value: i.id,
    label: t('apps.form.instance_label', {
      id: i.id,
      region: i.region,
      ip: i.public_ip ?? t('apps.form.no_ip'),
    }),
  }));
  const domainOptions = domains.map((d) => ({
    value: d.name,
    label: d.real_name_verified
      ? d.name
      : t('apps.common.qualified', { name: d.name, detail: t('apps.form.domain_unverified') }),
  }));
  return (
    <>
      {(instances.length === 0 || domains.length === 0) && (
        <Alert type="warning" showIcon data-testid="no-inventory" title={t('apps.form.no_inventory')} />
      )}
      <Form.List name="websites">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, i) => {
              const p = `websites[${i}]`;
              const same = values.websites?.[i]?.same_person !== false;
              return (
                <Card
                  key={field.key}
                  size="small"
                  className="apps-website-card"
                  title={t('apps.form.website', { n: i + 1 })}
                  data-testid={`website-${i}`}
                  extra={
                    fields.length > 1 ? (
                      <Button
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        onClick={() => remove(field.name)}
                        data-testid={`website-${i}-remove`}
                      >
                        {t('apps.form.remove_website')}
                      </Button>
                    ) : undefined
                  }
                >
                  {item(p).help && (
                    <Alert type="error" showIcon title={item(p).help} className="form-alert" />
                  )}
                  <Form.Item name={[field.name, 'name']} label={t('apps.form.site_name')} {...item(`${p}.name`)}>
                    <Input data-testid={`${p}.name`} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'domain']}
                    label={t('apps.form.site_domain')}
                    extra={t('apps.form.site_domain_hint')}
                    {...item(`${p}.domain`)}
                  >
                    <Select data-testid={`${p}.domain`} options={domainOptions} allowClear />
                  </Form.Item>
                  <Form.Item name={[field.name, 'homepage']} label={t('apps.form.site_homepage')} {...item(`${p}.homepage`)}>
                    <Input data-testid={`${p}.homepage`} placeholder="https://" />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'service_content']}
                    label={t('apps.form.site_content')}
                    {...item(`${p}.service_content`)}
                  >
                    <Select
                      data-testid={`${p}.service_content`}
                      options={kServiceContents.map((v) => ({ value: v, label: enumLabel(t, 'service_content', v) }))}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'languages']} label={t('apps.form.site_languages')} {...item(`${p}.languages`)}>
                    <Select data-testid={`${p}.languages`} mode="multiple" options={kLanguages} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'pre_approvals']}
                    label={t('apps.form.site_pre_approvals')}
                    {...item(`${p}.pre_approvals`)}
                  >
                    <Select
                      data-testid={`${p}.pre_approvals`}
                      mode="multiple"
                      options={kPreApprovalKinds.map((v) => ({ value: v, label: enumLabel(t, 'pre_approval', v) }))}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'instance_id']}
                    label={t('apps.form.site_instance')}
                    extra={t('apps.form.site_instance_hint')}
                    {...item(`${p}.instance_id`)}
                  >
                    <Select data-testid={`${p}.instance_id`} options={instanceOptions} allowClear />
                  </Form.Item>
                  <Form.Item name={[field.name, 'same_person']} valuePropName="checked">
                    <Checkbox data-testid={`${p}.same_person`}>{t('apps.form.site_same_person')}</Checkbox>
                  </Form.Item>
                  {!same && (
                    <>
                      <Typography.Title level={5}>{t('apps.form.site_person')}</Typography.Title>
                      <PersonFields prefix={[field.name, 'person_in_charge']} path={`${p}.person_in_charge`} item={item} />
                    </>
                  )}
                </Card>
              );
            })}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ ...kEmptyWebsite, person_in_charge: { id_type: 'resident_id_card' } })}
              block
              data-testid="add-website"
            >
              {t('apps.form.add_website')}
            </Button>
          </>
        )}
      </Form.List>
    </>
  );
}

function PrecheckPanel({
  precheck,
  running,
  error,
  hasDraft,
  onGo,
}: {
  precheck: PrecheckResult | null;
  running: boolean;
  error: unknown;
  hasDraft: boolean;
  onGo: (step: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const g = error ? mapApiError(error, []).global : null;
  const errors = precheck?.findings.filter((f) => f.severity === 'error') ?? [];
  const warnings = precheck?.findings.filter((f) => f.severity === 'warning') ?? [];
  return (
    <Card
      title={t('apps.precheck.title')}
      size="small"
      data-testid="precheck-panel"
      data-running={String(running)}
      extra={running ? <Typography.Text type="secondary">{t('apps.precheck.running')}</Typography.Text> : undefined}
    >
      {!hasDraft && <Typography.Text type="secondary">{t('apps.precheck.none_yet')}</Typography.Text>}
      {g && (
        <Alert type="error" showIcon title={t('apps.precheck.failed', { message: globalErrorText(t, g) })} />
      )}
      {precheck && (
        <>
          <div>
            <Typography.Text type="secondary">{t('apps.common.labelled', { label: t('apps.precheck.filing_type'), text: '' })}</Typography.Text>
            <Tag color="blue" data-testid="filing-type" data-type={precheck.filing_type ?? ''}>
              {filingTypeLabel(t, precheck.filing_type)}
            </Tag>
          </div>
          <Typography.Paragraph data-testid="filing-explanation" className="apps-explanation">
            {localized(i18n.language, precheck.explanation_message, precheck.explanation)}
          </Typography.Paragraph>
          <div data-testid="precheck-counts" data-errors={errors.length} data-warnings={warnings.length}>
            {errors.length === 0 && warnings.length === 0 ? (
              <Tag color="success">{t('apps.precheck.all_clear')}</Tag>
            ) : (
              <>
                {errors.length > 0 && <Tag color="error">{t('apps.precheck.errors', { count: errors.length })}</Tag>}
                {warnings.length > 0 && (
                  <Tag color="warning">{t('apps.precheck.warnings', { count: warnings.length })}</Tag>
                )}
              </>
            )}
          </div>
          {(errors.length > 0 || warnings.length > 0) && (
            <ul className="apps-findings" data-testid="precheck-findings">
              {[...errors, ...warnings].map((f, i) => (
                <li key={i} data-severity={f.severity} data-field={f.field} data-code={f.code}>
                  <Typography.Text type={f.severity === 'error' ? 'danger' : 'warning'}>
                    {t('apps.common.labelled', { label: fieldLabel(t, f.field), text: findingText(i18n.language, f) })}
                  </Typography.Text>{' '}
                  {stepOf(f.field) < 3 && (
                    <Button type="link" size="small" onClick={() => onGo(stepOf(f.field))}>
                      {t('apps.precheck.go_fix')}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Card>
  );
}

interface CheckStepProps {
  app: Application;
  values: FormValues;
  precheck: PrecheckResult | null;
  missingDocs: number;
  flush: () => Promise<boolean>;
  onPrecheck: () => Promise<void>;
  onSubmitted: (a: Application) => void;
  goTo: (step: number) => void;
}

interface Credentials {
  beian_sn?: string;
  icp_password?: string;
}

function CheckStep({ app, values, precheck, missingDocs, flush, onPrecheck, onSubmitted, goTo }: CheckStepProps) {
  const { t, i18n } = useTranslation();
  const { client } = useServices();
  const { message } = AntApp.useApp();
  const [creds] = Form.useForm<Credentials>();
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<ApiError | Error | null>(null);
  const [credErrors, setCredErrors] = useState<Record<string, string>>({});
  // One key per submit attempt: a retry after a lost answer repeats it, so the server answers
  // the first result again instead of submitting twice.
  const submitKey = useRef<string | null>(null);
  const returned = app.state === 'returned';
  const needsCreds = precheck?.needs_beian_credentials === true;
  const errors = precheck?.findings.filter((f) => f.severity === 'error') ?? [];
  const ready = precheck !== null && errors.length === 0 && missingDocs === 0;

  const submit = async () => {
    setFailure(null);
    setCredErrors({});
    let c: Credentials = {};
    if (needsCreds) {
      try {
        c = await creds.validateFields();
      } catch {
        return;
      }
    }
    setSubmitting(true);
    try {
      if (!(await flush())) return;
      submitKey.current ??= newIdempotencyKey();
      const a = await submitApplication(client, app.id, c, submitKey.current);
      submitKey.current = null;
      void message.success(t('apps.check.submitted'));
      onSubmitted(a);
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) submitKey.current = null;
      setFailure(e instanceof Error ? e : new Error(String(e)));
      if (e instanceof ApiError && e.code === 'beian_credentials_required') {
        const m: Record<string, string> = {};
        for (const d of e.details) m[d.field] = t('errors.field.required');
        setCredErrors(m);
      }
      if (e instanceof ApiError && e.code === 'beian_credentials_invalid') {
        // The authority does not know this SN with this password: both boxes are in doubt.
        const text = t('errors.code.beian_credentials_invalid', { defaultValue: e.message });
        setCredErrors({ beian_sn: text, icp_password: text });
      }
      if (e instanceof ApiError && e.code === 'precheck_failed') void onPrecheck();
    } finally {
      setSubmitting(false);
    }
  };

  // A 422's details in words: the precheck's own text for a finding when it has it.
  const detailText = (d: ApiErrorDetail): string => {
    if (d.code === 'document_missing') {
      // The server names the kind in its message ("the document id_front for … is missing").
      const kind = /^the document (\S+) for /.exec(d.message)?.[1];
      return t('apps.check.document_missing', {
        what: kind ? documentLabel(t, kind, d.field) : subjectLabel(t, d.field),
      });
    }
    const f = precheck?.findings.find((x) => x.field === d.field && x.code === d.code);
    return t('apps.common.labelled', {
      label: fieldLabel(t, d.field),
      text: f ? findingText(i18n.language, f) : d.message || d.code,
    });
  };
  // The refusal's details, less the findings the list above shows already (the precheck runs
  // again on a refusal); each missing document once.
  const failureDetails =
    failure instanceof ApiError
      ? failure.details.filter(
          (d, i, all) =>
            all.findIndex((x) => x.field === d.field && x.code === d.code && x.message === d.message) === i &&
            (d.code === 'document_missing' ||
              !errors.some((f) => f.field === d.field && f.code === d.code)),
        )
      : [];
  const failureText = failure
    ? (() => {
        const g = mapApiError(failure, []).global;
        return g ? globalErrorText(t, g) : failure.message;
      })()
    : null;

  return (
    <div data-testid="step-check">
      <Typography.Title level={5}>{t('apps.check.summary')}</Typography.Title>
      <Descriptions
        size="small"
        bordered
        column={1}
        className="apps-summary"
        data-testid="check-summary"
        items={[
          { key: 'name', label: t('apps.form.org_name'), children: values.organizer?.name || '—' },
          {
            key: 'type',
            label: t('apps.form.org_type'),
            children: enumLabel(t, 'organizer_type', values.organizer?.type) || '—',
          },
          {
            key: 'province',
            label: t('apps.form.org_province'),
            children: enumLabel(t, 'province', values.organizer?.province) || '—',
          },
          {
            key: 'filing',
            label: t('apps.precheck.filing_type'),
            children: filingTypeLabel(t, precheck?.filing_type ?? app.filing_type),
          },
          ...(values.websites ?? []).map((w, i) => ({
            key: `site-${i}`,
            label: t('apps.form.website', { n: i + 1 }),
            children: [w.name, w.domain, w.instance_id].map((v) => v || '—').join(' · '),
          })),
        ]}
      />
      {precheck &&
        (ready ? (
          <Alert type="success" showIcon data-testid="check-ready" title={t('apps.check.ready')} />
        ) : (
          <Alert
            type="warning"
            showIcon
            data-testid="check-not-ready"
            title={t('apps.check.not_ready')}
            description={
              <ul className="apps-findings">
                {errors.map((f, i) => (
                  <li key={i}>
                    <a onClick={() => goTo(stepOf(f.field))}>{fieldLabel(t, f.field)}</a>
                    {t('apps.common.labelled', { label: '', text: findingText(i18n.language, f) })}
                  </li>
                ))}
                {missingDocs > 0 && (
                  <li>
                    <a onClick={() => goTo(2)}>{t('apps.check.missing_docs', { count: missingDocs })}</a>
                  </li>
                )}
              </ul>
            }
          />
        ))}
      {needsCreds && (
        <Card size="small" title={t('apps.check.credentials')} className="apps-credentials" data-testid="credentials">
          <Form<Credentials>
            form={creds}
            layout="vertical"
            requiredMark={false}
            name="credentials"
            onValuesChange={() => setCredErrors({})}
          >
            <Form.Item
              name="beian_sn"
              label={t('apps.check.beian_sn')}
              rules={[{ required: true, whitespace: true, message: t('errors.field.required') }]}
              {...(credErrors.beian_sn ? { validateStatus: 'error' as const, help: credErrors.beian_sn } : {})}
            >
              <Input data-testid="beian_sn" placeholder={t('apps.check.beian_sn_placeholder')} autoComplete="off" />
            </Form.Item>
            <Form.Item
              name="icp_password"
              label={t('apps.check.icp_password')}
              rules={[{ required: true, message: t('errors.field.required') }]}
              {...(credErrors.icp_password ? { validateStatus: 'error' as const, help: credErrors.icp_password } : {})}
            >
              <Input.Password data-testid="icp_password" autoComplete="off" />
            </Form.Item>
          </Form>
        </Card>
      )}
      {failure && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="submit-error"
          title={`${t('apps.check.refused')} ${failureText ?? ''}`}
          description={
            failureDetails.length > 0 ? (
              <ul className="apps-findings" data-testid="submit-error-details">
                {failureDetails.map((d, i) => (
                  <li key={i} data-field={d.field} data-code={d.code}>
                    {detailText(d)}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      <div className="apps-submit">
        <Button
          type="primary"
          size="large"
          onClick={() => void submit()}
          loading={submitting}
          data-testid="submit-application"
        >
          {returned ? t('apps.check.resubmit') : t('apps.check.submit')}
        </Button>
      </div>
    </div>
  );
}

