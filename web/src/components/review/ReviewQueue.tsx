// The queue screen both reviewers work from (the provider's /review and the authority's
// /submissions): tabs kept in the URL, a filter bar, the table of claimable items with "load more"
// on the server's cursor, and the claim that opens the review screen. The pages bring their own
// columns and filters; the cells both queues show (domains, the deadline with its overdue tag, who
// holds the claim, claim-or-view) are here. Texts come from the page's locale module under one
// prefix (`review.queue`, `authorityReview.queue`): title, <tabParam>.<tab>, empty.<tab>,
// province_filter, overdue, claim_until, claimed_by_me, claim_action, continue, view.
import type { ReactNode } from 'react';
import { App, Button, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useInfiniteQuery, useMutation, type QueryKey } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { globalErrorText, mapApiError } from '../../lib/errors';
import { kProvinces } from '../../api/applications';
import { claimHolderText, formatTime } from '../../pages/review/format';
import './review.css';

interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

// The queue's pages (refetched while the page is open: others claim and decide meanwhile) and the
// claim, which opens the item on success and says who holds it on a claimed_by_other refusal.
export function useClaimingQueue<T>(opts: {
  queryKey: QueryKey;
  fetchPage: (cursor: string | null) => Promise<Page<T>>;
  refetchInterval: number;
  claim: (id: string) => Promise<unknown>;
  open: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queue = useInfiniteQuery({
    queryKey: opts.queryKey,
    queryFn: ({ pageParam }) => opts.fetchPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchOnWindowFocus: true,
    refetchInterval: opts.refetchInterval,
  });
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  const claim = useMutation({
    mutationFn: (id: string) => opts.claim(id),
    onSuccess: (_answer, id) => opts.open(id),
    onError: (e) => {
      const g = mapApiError(e, []).global;
      const holder = claimHolderText(t, e);
      if (g) void message.error(holder ? `${globalErrorText(t, g)} ${holder}` : globalErrorText(t, g));
      void queue.refetch();
    },
  });
  const errorText = queue.isError
    ? (() => {
        const g = mapApiError(queue.error, []).global;
        return g ? globalErrorText(t, g) : null;
      })()
    : null;
  return { queue, items, claim, errorText };
}

type ClaimingQueue<T> = ReturnType<typeof useClaimingQueue<T>>;

// The queue's tab, kept in the URL (?stage=… on /review, ?tab=… on /submissions) so that a link
// or a reload opens the same list; `fallback` for a missing or unknown one.
export function useQueueTab<T extends string>(param: string, tabs: readonly T[], fallback: T): T {
  const [params] = useSearchParams();
  const value = params.get(param);
  return value !== null && (tabs as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function QueueLayout<T extends { id: string }>({
  testId,
  tabParam,
  tab,
  tabs,
  textPrefix,
  refreshText,
  loadMoreText,
  filters,
  state,
  columns,
  rowClassName,
}: {
  testId: string;
  // The URL parameter of the tab (useQueueTab); each tab's test id is `${tabParam}-${tab}`.
  tabParam: string;
  tab: string;
  tabs: readonly string[];
  textPrefix: string;
  refreshText: string;
  loadMoreText: string;
  filters: ReactNode;
  state: ClaimingQueue<T>;
  columns: ColumnsType<T>;
  rowClassName: (row: T) => string;
}) {
  const { t } = useTranslation();
  const [, setParams] = useSearchParams();
  const { queue, items, errorText } = state;
  return (
    <div data-testid={testId} data-tab={tab}>
      <Typography.Title level={3}>{t(`${textPrefix}.title`)}</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ [tabParam]: key }, { replace: true })}
        items={tabs.map((s) => ({
          key: s,
          label: <span data-testid={`${tabParam}-${s}`}>{t(`${textPrefix}.${tabParam}.${s}`)}</span>,
        }))}
      />
      <Space wrap className="queue-filters" data-testid="queue-filters">
        {filters}
        <Button onClick={() => void queue.refetch()} data-testid="queue-refresh">
          {refreshText}
        </Button>
      </Space>
      {errorText && (
        <Typography.Paragraph type="danger" data-testid="queue-error">
          {errorText}
        </Typography.Paragraph>
      )}
      <Table<T>
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={queue.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="queue-table"
        rowClassName={rowClassName}
        locale={{ emptyText: t(`${textPrefix}.empty.${tab}`) }}
      />
      {queue.hasNextPage && (
        <div className="queue-load-more">
          <Button
            onClick={() => void queue.fetchNextPage()}
            loading={queue.isFetchingNextPage}
            data-testid="load-more"
          >
            {loadMoreText}
          </Button>
        </div>
      )}
    </div>
  );
}

// The province filter (GB/T 2260 codes, named in the console's language; type to search).
export function ProvinceFilter({
  textPrefix,
  width,
  value,
  onChange,
}: {
  textPrefix: string;
  width: number;
  value: string | undefined;
  onChange: (province: string | undefined) => void;
}) {
  const { t } = useTranslation();
  return (
    <Select
      allowClear
      showSearch
      optionFilterProp="label"
      placeholder={t(`${textPrefix}.province_filter`)}
      style={{ width }}
      value={value}
      onChange={onChange}
      data-testid="filter-province"
      options={kProvinces.map((p) => ({ value: p, label: t(`review.enum.province.${p}`) }))}
    />
  );
}

// The item's domains, one a line.
export function DomainsCell({ domains }: { domains: string[] }) {
  return (
    <Space direction="vertical" size={0}>
      {domains.map((d) => (
        <span key={d}>{d}</span>
      ))}
    </Space>
  );
}

// The review deadline, red with a tag once overdue; a dash when there is none.
export function DeadlineCell({
  deadline,
  overdue,
  testId,
  textPrefix,
}: {
  deadline: string | null | undefined;
  overdue: boolean;
  testId: string;
  textPrefix: string;
}) {
  const { t } = useTranslation();
  if (!deadline) return <>—</>;
  return (
    <Typography.Text type={overdue ? 'danger' : undefined} data-testid={testId}>
      {formatTime(deadline)}
      {overdue && (
        <Tag color="red" className="queue-overdue" data-testid="overdue-tag">
          {t(`${textPrefix}.overdue`)}
        </Tag>
      )}
    </Typography.Text>
  );
}

export interface ClaimHolding {
  holder: string;
  until: string | null;
  mine: boolean;
}

// Who holds the claim (green when it is the signed-in reviewer), until when on hover.
export function ClaimTag({ claim, textPrefix }: { claim: ClaimHolding | null; textPrefix: string }) {
  const { t } = useTranslation();
  if (!claim) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tooltip title={t(`${textPrefix}.claim_until`, { time: formatTime(claim.until) })}>
      <Tag color={claim.mine ? 'green' : 'orange'} data-testid="claim-holder">
        {claim.mine ? t(`${textPrefix}.claimed_by_me`) : claim.holder}
      </Tag>
    </Tooltip>
  );
}

// "Claim" (or "continue" on one's own claim) where the reviewer may claim; "view" elsewhere.
export function ClaimOrOpen({
  id,
  canClaim,
  mine,
  state,
  open,
  textPrefix,
}: {
  id: string;
  canClaim: boolean;
  mine: boolean;
  state: { claim: ClaimingQueue<unknown>['claim'] };
  open: (id: string) => void;
  textPrefix: string;
}) {
  const { t } = useTranslation();
  const { claim } = state;
  if (!canClaim) {
    return (
      <Button size="small" data-testid={`open-${id}`} onClick={() => open(id)}>
        {t(`${textPrefix}.view`)}
      </Button>
    );
  }
  return (
    <Button
      size="small"
      type="primary"
      loading={claim.isPending && claim.variables === id}
      data-testid={`claim-${id}`}
      onClick={() => claim.mutate(id)}
    >
      {t(mine ? `${textPrefix}.continue` : `${textPrefix}.claim_action`)}
    </Button>
  );
}
