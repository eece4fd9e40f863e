// The authority's public filing query page in jsdom against a fake /public/query: no sign-in,
// each kind of search sends its own parameter, masked names shown as given, "load more" follows
// the cursor, nothing found and refusals are said, in Chinese and in English.
import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../app/App';
import { ApiClient } from '../../api/client';
import type { AppConfig } from '../../api/config';
import type { PublicFilingRecord } from '../../api/publicQuery';
import { createI18n, type Language } from '../../i18n';
import { FakeServer, json } from '../../test/fakeServer';

const kAuthority: AppConfig = { service: 'authority', api_base: '/authority/v1', version: 'test' };

function record(n: number, extra: Partial<PublicFilingRecord> = {}): PublicFilingRecord {
  return {
    website_sn: `粤ICP备2026000001号-${n}`,
    subject_sn: '粤ICP备2026000001号',
    organizer_name: '深圳市示例科技有限公司',
    organizer_type: 'enterprise',
    website_name: `示例网${n}`,
    domains: [`example-${n}.cn`],
    status: 'active',
    approved_at: '2026-06-01T04:00:00.000Z',
    ...extra,
  };
}

function start(lang: Language = 'zh-CN', config: AppConfig = kAuthority) {
  const server = new FakeServer(config);
  const queries: URLSearchParams[] = [];
  server.handlers.push((req) => {
    if (req.method !== 'GET' || req.path !== '/public/query') return null;
    queries.push(req.query);
    if (req.query.get('domain') === 'bad..domain') {
      return json(400, { error: { code: 'validation_failed', message: 'bad', details: [] } });
    }
    if (req.query.get('domain')) {
      return json(200, {
        results: req.query.get('domain') === 'example-1.cn' ? [record(1)] : [],
        next_cursor: null,
      });
    }
    if (req.query.get('organizer')) {
      const page = req.query.get('cursor') ? [record(3)] : [record(1), record(2)];
      return json(200, { results: page, next_cursor: req.query.get('cursor') ? null : 'c1' });
    }
    return json(200, {
      results: [record(1, { organizer_name: '张*', organizer_type: 'individual' })],
      next_cursor: null,
    });
  });
  const client = new ApiClient(config.api_base, server.fetch);
  render(<App services={{ config, client }} i18n={createI18n(lang)} initialPath="/query" />);
  return { server, queries, user: userEvent.setup() };
}

describe('public filing query', () => {
  it('finds a domain without signing in (zh-CN)', async () => {
    const { queries, user } = start();
    await screen.findByText('ICP 备案信息查询');
    await user.type(screen.getByPlaceholderText('例如 example.com.cn'), 'example-1.cn');
    await user.click(screen.getByRole('button', { name: /查询/ }));
    const table = await screen.findByTestId('query-results');
    await within(table).findByText('粤ICP备2026000001号-1');
    expect(within(table).getByText('企业')).toBeTruthy();
    expect(within(table).getByText('2026-06-01')).toBeTruthy();
    expect(queries[0].get('domain')).toBe('example-1.cn');
  });

  it('says when nothing is filed and shows refusals', async () => {
    const { user } = start();
    const input = await screen.findByPlaceholderText('例如 example.com.cn');
    await user.type(input, 'nothing.cn');
    await user.click(screen.getByRole('button', { name: /查询/ }));
    await screen.findByText('未查询到备案信息');
    await user.clear(input);
    await user.type(input, 'bad..domain');
    await user.click(screen.getByRole('button', { name: /查询/ }));
    const alert = await screen.findByTestId('query-error');
    expect(alert.textContent).toBe(createI18n('zh-CN').t('errors.code.validation_failed'));
    await user.clear(input);
    await user.click(screen.getByRole('button', { name: /查询/ }));
    await waitFor(() => expect(screen.getByTestId('query-error').textContent).toBe('请输入查询内容'));
  });

  it('searches organizers by prefix and loads more (en)', async () => {
    const { queries, user } = start('en');
    await screen.findByText('ICP filing query');
    await user.click(screen.getByText('Organizer name'));
    await user.type(screen.getByPlaceholderText('The organizer’s full name'), '深圳市示例');
    await user.click(screen.getByText('Names starting with this'));
    await user.click(screen.getByRole('button', { name: /Search/ }));
    await screen.findByText('粤ICP备2026000001号-2');
    expect(queries[0].get('organizer')).toBe('深圳市示例');
    expect(queries[0].get('match')).toBe('prefix');
    await user.click(screen.getByRole('button', { name: /Load more/ }));
    await screen.findByText('粤ICP备2026000001号-3');
    expect(queries[1].get('cursor')).toBe('c1');
    expect(screen.queryByRole('button', { name: /Load more/ })).toBeNull();
  });

  it('shows an individual masked as the server gives it, searching by Beian number', async () => {
    const { queries, user } = start('en');
    await user.click(await screen.findByText('Beian number'));
    await user.type(screen.getByPlaceholderText('e.g. 粤ICP备2026000001号'), '粤ICP备2026000001号');
    await user.click(screen.getByRole('button', { name: /Search/ }));
    await screen.findByText('张*');
    expect(screen.getByText('Individual')).toBeTruthy();
    expect(queries[0].get('sn')).toBe('粤ICP备2026000001号');
  });

  it('is not a page of the provider console', async () => {
    start('zh-CN', { service: 'agent', api_base: '/api/v1', version: 'test' });
    await waitFor(() => expect(screen.queryByText('ICP 备案信息查询')).toBeNull());
  });
});
