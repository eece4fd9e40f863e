// A document of a submission as the authority reviewer sees it: images as a thumbnail (large for
// the verified photo) with antd's click-to-enlarge preview, PDFs as a download link. The API
// serves documents as attachments, so images are fetched with the session's cookie and shown
// from a data: URL (the console's Content-Security-Policy allows data: images, not blob: ones).
import { Button, Image, Space, Spin, Tag, Typography } from 'antd';
import { FilePdfOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { submissionDocumentPath, type SubmissionDocument } from '../../api/authorityReview';
import { subjectLabel } from '../../lib/reviewFields';
import { dataUrl } from '../review/DocumentView';

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

export function SubmissionDocumentView({
  submissionId,
  doc,
  large = false,
}: {
  submissionId: string;
  doc: SubmissionDocument;
  large?: boolean;
}) {
  const { t } = useTranslation();
  const { client } = useServices();
  const isImage = doc.content_type.startsWith('image/');
  const href = client.url(submissionDocumentPath(submissionId, doc.id));
  const image = useQuery({
    queryKey: ['authority', 'document', submissionId, doc.id],
    enabled: isImage,
    staleTime: Infinity,
    queryFn: async () => {
      const res = await fetch(href, { credentials: 'same-origin', cache: 'no-store' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return dataUrl(await res.arrayBuffer(), doc.content_type);
    },
  });
  const name = t(`review.enum.doc_kind.${doc.kind}`, { defaultValue: doc.kind });
  return (
    <div
      className={`authority-document${large ? ' authority-document-large' : ''}`}
      data-testid={`document-${doc.kind}`}
      data-subject={doc.subject}
    >
      <Space direction="vertical" size={4}>
        <Typography.Text strong>{name}</Typography.Text>
        <Typography.Text type="secondary" className="authority-document-meta">
          {subjectLabel(t, doc.subject)}
        </Typography.Text>
        {isImage ? (
          image.data ? (
            <span data-testid="document-image">
              <Image src={image.data} width={large ? 480 : 120} alt={name} />
            </span>
          ) : image.isError ? (
            <Tag icon={<WarningOutlined />} color="error">
              {t('authorityReview.detail.document_failed')}
            </Tag>
          ) : (
            <Spin size="small" />
          )
        ) : (
          <Button icon={<FilePdfOutlined />} href={href} size="small" data-testid="document-download">
            {t('authorityReview.detail.document_download')}
          </Button>
        )}
        <Typography.Text type="secondary" className="authority-document-meta">
          {doc.filename} · {size(doc.size)}
        </Typography.Text>
      </Space>
    </div>
  );
}
