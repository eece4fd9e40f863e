// The provider console's "is it filed?" page in jsdom against a fake /public/filings: no
// sign-in, the domain sent as typed, a filed answer with its numbers, a not-filed answer, a
// malformed domain and an empty box said plainly, in Chinese and in English; not on 8090.
import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../app/App';
import { ApiClient } from '../../api/client';
import type { AppConfig } from '../../api/config';
import type { PublicFilingAnswer } from '../../api/publicFilings';
import { createI18n, type Language } from '../../i18n';
import { FakeServer, json } from '../../test/fakeServer';

const kAgent: AppConfig = { service: 'agent', api_base: '/api/v1', version: 'test' };

function answer(query: string, filed: boolean): PublicFilingAnswer {
  return {
    query,
    domain: 'xn--fsqu00a.xn--fiqs8s',
    domain_unicode: '例子.中国',
    filed,
    subject_sn: filed ? '粤ICP备2026000001号' : null,
    website_sn: filed ? '粤ICP备2026000001号-1' : null,
    organizer_name: filed ? '张**' : null,
    organizer_type: filed ? 'individual' : null,
    website_name: filed ? '例子博客' : null,
    approved_at: filed ? '2026-06-01T04:00:00.000Z' : null,
  };
}

function start(lang: Language = 'zh-CN', config: AppConfig = kAgent) {
  const server = new FakeServer(config);
  const asked: string[] = [];
  server.handlers.push((req) => {
    if (req.method !== 'GET' || req.path !== '/public/filings') return null;
    const domain = req.query.get('domain') ?? '';
    asked.push(domain);
    if (domain === 'bad domain') {
      return json(400, {
        error: {
          code: 'validation_failed',
          message: 'not a domain name',
          details: [{ field: 'domain', code: 'domain_invalid', message: 'not a domain name' }],
        },
      });
    }
    return json(200, answer(domain, domain.includes('例子')));
  });
  const client = new ApiClient(config.api_base, server.fetch);
  render(<App services={{ config, client }} i18n={createI18n(lang)} initialPath="/filed" />);
  return { asked, user: userEvent.setup() };
}

describe('is it filed?', () => {
  it('shows the filing of a www. IDN form without signing in (zh-CN)', async () => {
    const { asked, user } = start();
    await screen.findByText('域名备案查询');
    await user.type(screen.getByPlaceholderText('例如 www.example.com.cn'), 'www.例子.中国');
    await user.click(screen.getByRole('button', { name: /查\s*询/ }));
    const box = await screen.findByTestId('filed-answer');
    await within(box).findByText('例子.中国 已备案');
    expect(within(box).getByText('粤ICP备2026000001号-1')).toBeTruthy();
    expect(within(box).getByText('张**')).toBeTruthy();
    expect(within(box).getByText('个人')).toBeTruthy();
    expect(within(box).getByText('2026-06-01')).toBeTruthy();
    expect(asked).toEqual(['www.例子.中国']);
  });

  it('says not filed, invalid and empty input (en)', async () => {
    const { user } = start('en');
    const input = await screen.findByPlaceholderText('e.g. www.example.com.cn');
    await user.type(input, 'nothing.cn');
    await user.click(screen.getByRole('button', { name: /Check/ }));
    await screen.findByText('No filing found for 例子.中国');
    await user.clear(input);
    await user.type(input, 'bad domain');
    await user.click(screen.getByRole('button', { name: /Check/ }));
    await waitFor(() =>
      expect(screen.getByTestId('filed-error').textContent).toBe(
        'That is not a valid domain name. Please check it and try again',
      ),
    );
    expect(screen.queryByTestId('filed-answer')).toBeNull();
    await user.clear(input);
    await user.click(screen.getByRole('button', { name: /Check/ }));
    await waitFor(() => expect(screen.getByTestId('filed-error').textContent).toBe('Enter a domain'));
  });

  it('is not a page of the authority console', async () => {
    start('zh-CN', { service: 'authority', api_base: '/authority/v1', version: 'test' });
    await waitFor(() => expect(screen.queryByText('域名备案查询')).toBeNull());
  });
});
