// A document of an application as the reviewer sees it: images as thumbnails (or large, for the
// verified photo) with a click-to-enlarge preview, PDFs as a download link. The API serves
// documents as attachments, so images are fetched and shown from a data: URL (the console's
// Content-Security-Policy allows data: images, not blob: ones).
import { Button, Image, Space, Spin, Tag, Typography } from 'antd';
import { FilePdfOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { documentPath } from '../../api/review';
import type { ApplicationDocument } from '../../api/applications';
import { subjectLabel } from '../../lib/reviewFields';

// A data: URL of the bytes, typed as the document's recorded content type (the server judged it
// by content; only images reach here).
export function dataUrl(bytes: ArrayBuffer, contentType: string): string {
  const view = new Uint8Array(bytes);
  let binary = '';
  for (let i = 0; i < view.length; i += 0x8000) {
    binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  }
  return `data:${contentType};base64,${btoa(binary)}`;
}

// The image's data: URL, fetched with the session's cookie.
export function useDocumentImage(applicationId: string, doc: ApplicationDocument | undefined) {
  const { client } = useServices();
  return useQuery({
    queryKey: ['review', 'document', applicationId, doc?.id],
    enabled: doc !== undefined && doc.content_type.startsWith('image/'),
    staleTime: Infinity,
    queryFn: async () => {
      const res = await fetch(client.base + documentPath(applicationId, doc!.id), {
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return dataUrl(await res.arrayBuffer(), doc!.content_type);
    },
  });
}

function kb(size: number): string {
  return size >= 1024 * 1024 ? `${(size / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(size / 1024)} KB`;
}

export function DocumentView({
  applicationId,
  doc,
  large = false,
  flagged = false,
}: {
  applicationId: string;
  doc: ApplicationDocument;
  large?: boolean;
  flagged?: boolean;
}) {
  const { t } = useTranslation();
  const { client } = useServices();
  const image = useDocumentImage(applicationId, doc);
  const isImage = doc.content_type.startsWith('image/');
  const href = client.base + documentPath(applicationId, doc.id);
  return (
    <div
      className={`review-document${large ? ' review-document-large' : ''}${flagged ? ' review-flagged' : ''}`}
      data-testid={`document-${doc.kind}`}
      data-subject={doc.subject}
    >
      <Space direction="vertical" size={4}>
        <Typography.Text strong>
          {t(`review.enum.doc_kind.${doc.kind}`, { defaultValue: doc.kind })}
        </Typography.Text>
        <Typography.Text type="secondary" className="review-document-subject">
          {subjectLabel(t, doc.subject)}
        </Typography.Text>
        {isImage ? (
          image.data ? (
            <span data-testid="document-image">
              <Image
                src={image.data}
                width={large ? 480 : 120}
                alt={t(`review.enum.doc_kind.${doc.kind}`, { defaultValue: doc.kind })}
              />
            </span>
          ) : image.isError ? (
            <Tag icon={<WarningOutlined />} color="error">
              {t('review.document.failed')}
            </Tag>
          ) : (
            <Spin size="small" />
          )
        ) : (
          <Button icon={<FilePdfOutlined />} href={href} size="small" data-testid="document-download">
            {t('review.document.download')}
          </Button>
        )}
        <Typography.Text type="secondary" className="review-document-meta">
          {doc.file_name} · {kb(doc.size)}
          {doc.width && doc.height ? ` · ${doc.width}×${doc.height}` : ''}
        </Typography.Text>
        {flagged && <Tag color="red">{t('review.detail.flagged')}</Tag>}
      </Space>
    </div>
  );
}
