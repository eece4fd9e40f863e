// Documents of an application: the files already uploaded (image thumbnails, a file icon for
// PDFs, download and delete) and an upload button that shows its progress. Used by the step
// form's documents step (one row per required document) and by the verified-photo upload.
import { useState, type ReactNode } from 'react';
import { App as AntApp, Button, Popconfirm, Progress, Tag, Typography, Upload } from 'antd';
import {
  CheckCircleFilled,
  DeleteOutlined,
  ExclamationCircleOutlined,
  FilePdfOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import {
  deleteDocument,
  documentUrl,
  kImageOnlyKinds,
  uploadDocument,
  type ApplicationDocument,
  type RequiredDocument,
} from '../../api/applications';
import { globalErrorText, mapApiError } from '../../lib/errors';
import { documentLabel, localized } from './labels';

// The server's per-file limit (data/rules/documents.tsv max_bytes).
export const kMaxDocumentBytes = 5 * 1024 * 1024;

// A stable test id part for a kind and subject: "id_front-organizer.person_in_charge".
export const docKey = (kind: string, subject: string) => `${kind}-${subject}`;

export function DocumentFile({
  appId,
  doc,
  onDelete,
  deleting,
}: {
  appId: string;
  doc: ApplicationDocument;
  onDelete?: () => void;
  deleting?: boolean;
}) {
  const { t } = useTranslation();
  const { client } = useServices();
  const url = documentUrl(client, appId, doc.id);
  const isImage = doc.content_type.startsWith('image/');
  return (
    <div className="apps-doc-file" data-testid={`document-${doc.id}`} data-kind={doc.kind}>
      <a href={url} download={doc.file_name} title={t('apps.docs.download')}>
        {isImage ? (
          <img className="apps-thumb" src={url} alt={doc.file_name} data-testid="document-thumb" />
        ) : (
          <span className="apps-file-icon" data-testid="document-icon">
            <FilePdfOutlined />
          </span>
        )}
      </a>
      <span>{doc.file_name}</span>
      {onDelete && (
        <Popconfirm
          title={t('apps.docs.delete_confirm')}
          onConfirm={onDelete}
          okButtonProps={{ 'data-testid': 'document-delete-ok' } as Record<string, string>}
          cancelText={t('apps.common.cancel')}
        >
          <Button
            size="small"
            danger
            icon={<DeleteOutlined />}
            loading={deleting}
            data-testid={`document-delete-${doc.id}`}
          >
            {t('apps.docs.delete')}
          </Button>
        </Popconfirm>
      )}
    </div>
  );
}

export interface UploadButtonProps {
  appId: string;
  kind: string;
  subject: string;
  label: ReactNode;
  testId: string;
  onUploaded: (doc: ApplicationDocument) => void;
  disabled?: boolean;
}

// An upload button with its own progress bar and error line.
export function UploadButton({ appId, kind, subject, label, testId, onUploaded, disabled }: UploadButtonProps) {
  const { t } = useTranslation();
  const { client } = useServices();
  const { message } = AntApp.useApp();
  const [progress, setProgress] = useState<{ name: string; percent: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const imageOnly = kImageOnlyKinds.includes(kind);
  return (
    <div className="apps-upload">
      <Upload
        accept={imageOnly ? 'image/jpeg,image/png' : 'image/jpeg,image/png,application/pdf'}
        showUploadList={false}
        disabled={disabled || progress !== null}
        beforeUpload={(file) => {
          if (file.size > kMaxDocumentBytes) {
            setError(t('apps.docs.size_too_large'));
            return Upload.LIST_IGNORE;
          }
          return true;
        }}
        customRequest={({ file }) => {
          const f = file as File;
          setError(null);
          setProgress({ name: f.name, percent: 0 });
          uploadDocument(client, appId, { kind, subject, file: f }, (loaded, total) =>
            setProgress({ name: f.name, percent: total > 0 ? Math.floor((loaded * 100) / total) : 0 }),
          )
            .then((doc) => {
              setProgress(null);
              void message.success(t('apps.docs.uploaded', { name: doc.file_name }));
              onUploaded(doc);
            })
            .catch((e: unknown) => {
              setProgress(null);
              const g = mapApiError(e, []).global;
              setError(g ? globalErrorText(t, g) : String(e));
            });
        }}
      >
        <Button icon={<UploadOutlined />} disabled={disabled || progress !== null} data-testid={testId}>
          {label}
        </Button>
      </Upload>
      {imageOnly && (
        <Typography.Text type="secondary" className="apps-upload-hint">
          {' '}
          {t('apps.docs.image_only')}
        </Typography.Text>
      )}
      {progress && (
        <div data-testid={`${testId}-progress`}>
          <Typography.Text type="secondary">{t('apps.docs.uploading', { name: progress.name })}</Typography.Text>
          <Progress percent={progress.percent} size="small" />
        </div>
      )}
      {error && (
        <Typography.Text type="danger" role="alert" data-testid={`${testId}-error`}>
          {error}
        </Typography.Text>
      )}
    </div>
  );
}

// Each kind and subject once (the rules may ask for one document on two grounds).
export function uniqueDocuments<T extends { kind: string; subject: string }>(list: readonly T[]): T[] {
  return list.filter((r, i) => list.findIndex((x) => x.kind === r.kind && x.subject === r.subject) === i);
}

export interface DocumentRowsProps {
  appId: string;
  required: readonly RequiredDocument[];
  documents: readonly ApplicationDocument[];
  // Rejection reasons per "kind:subject".
  flagged: Map<string, string[]>;
  editable: boolean;
  onChanged: () => void;
}

// One row per required document: what and why, a tick once uploaded, the files, upload.
// The verified photo comes after the preliminary review, so it is only listed here.
export function RequiredDocumentRows({ appId, required, documents, flagged, editable, onChanged }: DocumentRowsProps) {
  const { t, i18n } = useTranslation();
  const { client } = useServices();
  const { message } = AntApp.useApp();
  const [deleting, setDeleting] = useState<string | null>(null);

  const remove = async (doc: ApplicationDocument) => {
    setDeleting(doc.id);
    try {
      await deleteDocument(client, appId, doc.id);
      void message.success(t('apps.docs.deleted'));
      onChanged();
    } catch (e) {
      const g = mapApiError(e, []).global;
      void message.error(g ? globalErrorText(t, g) : String(e));
    } finally {
      setDeleting(null);
    }
  };

  const rows = uniqueDocuments(required).map((r) => {
    const key = docKey(r.kind, r.subject);
    const files = documents.filter((d) => d.kind === r.kind && d.subject === r.subject);
    const later = r.kind === 'verified_photo';
    const satisfied = r.satisfied ?? files.length > 0;
    const reasons = flagged.get(`${r.kind}:${r.subject}`) ?? [];
    return (
      <div
        key={key}
        className={`apps-doc-row${reasons.length ? ' flagged' : ''}`}
        data-testid={`required-${key}`}
        data-satisfied={later ? 'later' : String(satisfied)}
      >
        <div>
          <Typography.Text strong>{documentLabel(t, r.kind, r.subject)}</Typography.Text>{' '}
          {later ? (
            <Tag>{t('apps.docs.later')}</Tag>
          ) : satisfied ? (
            <Tag color="success" icon={<CheckCircleFilled />} data-testid="doc-satisfied">
              {t('apps.docs.satisfied')}
            </Tag>
          ) : (
            <Tag color="warning" icon={<ExclamationCircleOutlined />} data-testid="doc-missing">
              {t('apps.docs.missing')}
            </Tag>
          )}
          {r.message && (
            <div>
              <Typography.Text type="secondary">{localized(i18n.language, r.message)}</Typography.Text>
            </div>
          )}
          {reasons.map((text, i) => (
            <div key={i}>
              <Typography.Text type="warning" data-testid="doc-flagged">
                {t('apps.form.flagged', { reason: text })}
              </Typography.Text>
            </div>
          ))}
          {files.length > 0 && (
            <div className="apps-doc-files">
              {files.map((d) => (
                <DocumentFile
                  key={d.id}
                  appId={appId}
                  doc={d}
                  deleting={deleting === d.id}
                  onDelete={editable ? () => void remove(d) : undefined}
                />
              ))}
            </div>
          )}
        </div>
        {!later && editable && (
          <UploadButton
            appId={appId}
            kind={r.kind}
            subject={r.subject}
            label={files.length > 0 ? t('apps.docs.replace') : t('apps.docs.upload')}
            testId={`upload-${key}`}
            onUploaded={onChanged}
          />
        )}
      </div>
    );
  });

  const otherFiles = documents.filter(
    (d) => !required.some((r) => r.kind === d.kind && r.subject === d.subject),
  );
  return (
    <div data-testid="required-documents">
      {rows}
      <div className="apps-doc-row" data-testid="other-documents">
        <div>
          <Typography.Text strong>{t('apps.docs.other_title')}</Typography.Text>
          {otherFiles.length > 0 && (
            <div className="apps-doc-files">
              {otherFiles.map((d) => (
                <DocumentFile
                  key={d.id}
                  appId={appId}
                  doc={d}
                  deleting={deleting === d.id}
                  onDelete={editable && d.kind !== 'verified_photo' ? () => void remove(d) : undefined}
                />
              ))}
            </div>
          )}
        </div>
        {editable && (
          <UploadButton
            appId={appId}
            kind="other"
            subject="organizer"
            label={t('apps.docs.other_upload')}
            testId="upload-other"
            onUploaded={onChanged}
          />
        )}
      </div>
    </div>
  );
}
