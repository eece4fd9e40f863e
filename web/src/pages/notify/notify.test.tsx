// The notification pages in jsdom against a fake agent: the mailbox (menu entry for admins and,
// in demo mode, for everyone; e-mails with their HTML in a sandboxed iframe, SMS texts, paging),
// my notifications with their states, and the admins' outbox with retry — in zh-CN and en.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, render, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../app/App';
import { ApiClient } from '../../api/client';
import type { AppConfig } from '../../api/config';
import { createI18n, kLanguageStorageKey } from '../../i18n';
import { FakeServer, json } from '../../test/fakeServer';

const kAgent: AppConfig = { service: 'agent', api_base: '/api/v1', version: 'test' };
const kApplicant = {
  email: 'applicant@demo.beian.test',
  phone: '13800000001',
  password: 'zh-lantern-river-7',
  display_name: '示例申请人',
  role: 'applicant',
};
const kAdmin = { ...kApplicant, email: 'admin@demo.beian.test', role: 'admin' };

const kMail = {
  id: 'm2',
  notification_id: 'n2',
  channel: 'email',
  to: 'applicant@demo.beian.test',
  subject: '备案申请未通过初审：北京示例科技有限公司',
  text: '原因如下：\n1. 名称与网站内容不符',
  html: '<html><body><h2>未通过初审</h2><script>parent.alert(1)</script></body></html>',
  template: 'preliminary_rejected',
  locale: 'zh-CN',
  created_at: '2026-12-06T16:00:01.000Z',
};
const kSms = {
  ...kMail,
  id: 'm1',
  notification_id: 'n1',
  channel: 'sms',
  to: '138****0001',
  subject: '',
  text: '【备案服务】备案申请ab12cd34未通过初审（1项问题），详情见邮件或控制台。',
  html: '',
  created_at: '2026-12-06T16:00:00.000Z',
};

function start(path: string, config: AppConfig, account = kApplicant, lang = 'zh-CN') {
  window.localStorage.setItem(kLanguageStorageKey, lang);
  const server = new FakeServer(config);
  server.addAccount(account);
  server.session = server.accounts[0];
  const calls: string[] = [];
  server.handlers.push((req) => {
    calls.push(`${req.method} ${req.path}?${req.query.toString()}`);
    if (req.method === 'GET' && req.path === '/admin/mailbox') {
      return req.query.get('cursor')
        ? json(200, { items: [kSms], next_cursor: null })
        : json(200, { items: [kMail], next_cursor: 'c1' });
    }
    if (req.method === 'GET' && req.path === '/me/notifications') {
      return json(200, {
        items: [
          { ...kMail, state: 'sent', attempts: 1, sent_at: kMail.created_at },
          { ...kSms, state: 'failed', attempts: 8, sent_at: null },
        ],
        next_cursor: null,
      });
    }
    if (req.method === 'GET' && req.path === '/admin/notifications') {
      return json(200, {
        items: [
          {
            id: 'n1',
            recipient_id: 'u1',
            channel: 'sms',
            to: '138****0001',
            template: 'preliminary_rejected',
            locale: 'zh-CN',
            state: 'failed',
            attempts: 8,
            last_error: 'HTTP 503: busy (gave up after 8 attempts)',
            next_attempt_at: kSms.created_at,
            created_at: kSms.created_at,
            updated_at: kSms.created_at,
            sent_at: null,
          },
        ],
        next_cursor: null,
      });
    }
    if (req.method === 'POST' && req.path === '/admin/notifications/n1/retry') {
      return json(200, { id: 'n1', state: 'pending' });
    }
    return null;
  });
  const i18n = createI18n();
  const client = new ApiClient(config.api_base, server.fetch);
  const user = userEvent.setup();
  render(<App services={{ config, client }} i18n={i18n} initialPath={path} />);
  return { server, user, calls };
}

describe('mailbox', () => {
  it('shows e-mails (HTML sandboxed) and SMS texts with paging in demo mode', async () => {
    const { user, calls } = start('/mailbox', { ...kAgent, demo: true });
    const table = await screen.findByTestId('mailbox-table');
    expect(await within(table).findByText(kMail.subject)).toBeTruthy();
    await user.click(within(table).getByText(kMail.subject));
    const frame = (await screen.findByTestId('mailbox-email-html')) as HTMLIFrameElement;
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toBe(kMail.html);
    await user.click(screen.getByTestId('mailbox-more'));
    expect(await within(table).findByText(kSms.text)).toBeTruthy();
    expect(calls.some((c) => c.includes('cursor=c1'))).toBe(true);
  });

  it('is not offered to an applicant outside demo mode', async () => {
    start('/mailbox', kAgent);
    expect(await screen.findByText('页面不存在')).toBeTruthy();
  });

  it('reads in English', async () => {
    start('/mailbox', kAgent, kAdmin, 'en');
    expect(await screen.findByText('Development mailbox')).toBeTruthy();
    expect(await screen.findByText('E-mail')).toBeTruthy();
  });
});

describe('my notifications and the outbox', () => {
  it('lists my notifications with their delivery state', async () => {
    start('/notifications', kAgent);
    const table = await screen.findByTestId('my-notifications-table');
    expect(await within(table).findByText('已发送')).toBeTruthy();
    expect(within(table).getByText('发送失败')).toBeTruthy();
  });

  it('lets an admin retry a failed notification', async () => {
    const { calls } = start('/admin/notifications', kAgent, kAdmin, 'en');
    const table = await screen.findByTestId('outbox-table');
    await waitFor(() =>
      expect(table.textContent).toContain('HTTP 503: busy (gave up after 8 attempts)'),
    );
    fireEvent.click(within(table).getByTestId('outbox-retry-n1'));
    await waitFor(() => expect(calls).toContain('POST /admin/notifications/n1/retry?'));
  });
});
