// The backdrop shipping list: applications whose applicant asked for the photo backdrop
// (recipient, mobile, address, when), oldest request first, each with a "mark shipped" dialog
// (carrier from the common ones or typed in, tracking number); a second tab lists what was
// shipped. "Load more" follows the server's cursor. Mobiles are masked in the list; the dialog
// shows the whole number on request (an audited reveal).
import { useState } from 'react';
import {
  App,
  AutoComplete,
  Button,
  Descriptions,
  Form,
  Input,
  Modal,
  Table,
  Tabs,
  Typography,
  type ButtonProps,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { EyeOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import {
  fetchBackdrops,
  revealNumbers,
  shipBackdrop,
  type BackdropEntry,
  type BackdropStatus,
} from '../../api/review';
import { globalErrorText, mapApiError } from '../../lib/errors';
import { useFormErrors } from '../../lib/useFormErrors';
import { FormAlert } from '../FormAlert';
import { kCarriers } from './enums';
import { formatTime } from './format';
import '../../components/review/review.css';
import './review.css';

interface ShipValues {
  carrier: string;
  tracking_number: string;
}

const kShipFields = ['carrier', 'tracking_number'] as const;

// The server's rules (review contract): carrier 2–40 characters, tracking 4–40 of [A-Za-z0-9-].
export function checkCarrier(v: string | undefined): string | null {
  const s = (v ?? '').trim();
  if (s === '') return 'required';
  return s.length < 2 || s.length > 40 ? 'carrier_length' : null;
}

export function checkTracking(v: string | undefined): string | null {
  const s = (v ?? '').trim();
  if (s === '') return 'required';
  return /^[A-Za-z0-9-]{4,40}$/.test(s) ? null : 'tracking_invalid';
}

function ShipDialog({ entry, onClose }: { entry: BackdropEntry; onClose: () => void }) {
  const { t } = useTranslation();
  const { client } = useServices();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<ShipValues>();
  const errors = useFormErrors(form, kShipFields);
  // The list shows the mobile masked; the courier needs it whole: one (audited) reveal.
  const reveal = useMutation({
    mutationFn: () => revealNumbers(client, entry.application_id),
    onError: (e) => errors.setError(e),
  });
  const mobile = reveal.data?.['backdrop.mobile'] ?? entry.mobile;
  const ship = useMutation({
    mutationFn: (v: ShipValues) =>
      shipBackdrop(client, entry.application_id, {
        carrier: v.carrier.trim(),
        tracking_number: v.tracking_number.trim(),
      }),
    onSuccess: () => {
      void message.success(t('review.shipping.shipped_ok'));
      void qc.invalidateQueries({ queryKey: ['review'] });
      onClose();
    },
    onError: (e) => errors.setError(e),
  });
  const rule = (check: (v: string | undefined) => string | null) => ({
    validator: async (_: unknown, v: string | undefined) => {
      const code = check(v);
      if (code) throw new Error(t(`review.shipping.error.${code}`));
    },
  });
  return (
    <Modal
      open
      title={t('review.shipping.ship_title', { name: entry.organizer_name })}
      okText={t('review.shipping.ship_ok')}
      cancelText={t('nav.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={ship.isPending}
      okButtonProps={{ disabled: errors.waiting, 'data-testid': 'ship-ok' } as ButtonProps}
      destroyOnHidden
    >
      <div data-testid="ship-dialog">
        <Descriptions column={1} size="small" className="ship-recipient">
          <Descriptions.Item label={t('review.shipping.recipient')}>{entry.recipient}</Descriptions.Item>
          <Descriptions.Item label={t('review.shipping.mobile')}>
            <span data-testid="ship-mobile">{mobile}</span>
            {!reveal.data && mobile.includes('*') && (
              <Button
                type="link"
                size="small"
                icon={<EyeOutlined />}
                loading={reveal.isPending}
                onClick={() => reveal.mutate()}
                data-testid="ship-reveal"
              >
                {t('review.detail.show')}
              </Button>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('review.shipping.address')}>{entry.address}</Descriptions.Item>
        </Descriptions>
        <FormAlert text={errors.globalText} extra={errors.globalExtra} />
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => {
            errors.clear();
            ship.mutate(v);
          }}
          onValuesChange={errors.onValuesChange}
        >
          <Form.Item
            name="carrier"
            label={t('review.shipping.carrier')}
            rules={[rule(checkCarrier)]}
            {...errors.itemProps('carrier')}
          >
            <AutoComplete
              data-testid="ship-carrier"
              placeholder={t('review.shipping.carrier_placeholder')}
              options={kCarriers.map((c) => ({ value: t(`review.carrier.${c}`) }))}
              filterOption={(input, option) =>
                String(option?.value ?? '').toLowerCase().includes(input.toLowerCase())
              }
            />
          </Form.Item>
          <Form.Item
            name="tracking_number"
            label={t('review.shipping.tracking_number')}
            rules={[rule(checkTracking)]}
            {...errors.itemProps('tracking_number')}
          >
            <Input data-testid="ship-tracking" autoComplete="off" />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}

function BackdropTable({ status }: { status: BackdropStatus }) {
  const { t } = useTranslation();
  const { client } = useServices();
  const [shipping, setShipping] = useState<BackdropEntry | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['review', 'backdrops', status],
    queryFn: ({ pageParam }) => fetchBackdrops(client, status, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: ColumnsType<BackdropEntry> = [
    { title: t('review.queue.organizer'), dataIndex: 'organizer_name' },
    { title: t('review.shipping.recipient'), dataIndex: 'recipient' },
    { title: t('review.shipping.mobile'), dataIndex: 'mobile' },
    { title: t('review.shipping.address'), dataIndex: 'address' },
    {
      title: t('review.shipping.requested_at'),
      dataIndex: 'requested_at',
      render: (v: string) => formatTime(v),
    },
  ];
  if (status === 'shipped') {
    columns.push(
      { title: t('review.shipping.carrier'), dataIndex: 'carrier' },
      { title: t('review.shipping.tracking_number'), dataIndex: 'tracking_number' },
      {
        title: t('review.shipping.shipped_at'),
        dataIndex: 'shipped_at',
        render: (v: string | null) => formatTime(v),
      },
    );
  } else {
    columns.push({
      title: t('review.queue.actions'),
      key: 'actions',
      render: (_, r) => (
        <Button
          type="primary"
          size="small"
          onClick={() => setShipping(r)}
          data-testid={`ship-${r.application_id}`}
        >
          {t('review.shipping.mark_shipped')}
        </Button>
      ),
    });
  }
  const error = list.isError ? mapApiError(list.error, []).global : null;
  return (
    <>
      {error && (
        <Typography.Paragraph type="danger" data-testid="backdrops-error">
          {globalErrorText(t, error)}
        </Typography.Paragraph>
      )}
      <Table<BackdropEntry>
        rowKey="application_id"
        columns={columns}
        dataSource={items}
        loading={list.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid={`backdrops-${status}`}
        locale={{ emptyText: t(`review.shipping.empty_${status}`) }}
      />
      {list.hasNextPage && (
        <div className="queue-load-more">
          <Button
            onClick={() => void list.fetchNextPage()}
            loading={list.isFetchingNextPage}
            data-testid="load-more"
          >
            {t('review.load_more')}
          </Button>
        </div>
      )}
      {shipping && <ShipDialog entry={shipping} onClose={() => setShipping(null)} />}
    </>
  );
}

export default function ShippingPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<BackdropStatus>('requested');
  return (
    <div data-testid="shipping-page">
      <Typography.Title level={3}>{t('review.shipping.title')}</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as BackdropStatus)}
        destroyOnHidden
        items={(['requested', 'shipped'] as const).map((s) => ({
          key: s,
          label: <span data-testid={`tab-${s}`}>{t(`review.shipping.tab_${s}`)}</span>,
          children: <BackdropTable status={s} />,
        }))}
      />
    </div>
  );
}
