// The authority reviewer's pages on 8090 in jsdom against the fake authority (test/fakeAuthority.ts):
// the queue (tabs, province filter, working days, overdue deadline in red, claim holder, load
// more, claim), the review screen (fields grouped with their documents, masked numbers, image
// preview and PDF link, the verified photo, SMS status per person, the history), the decision
// (approve → the subject SN and website SNs; reject with reasons from the catalogue, a note where
// required; another reviewer's claim), the mailbox on 8090 and the overview — zh-CN and en.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../app/App';
import { ApiClient } from '../../api/client';
import type { AppConfig } from '../../api/config';
import { createI18n, type Language } from '../../i18n';
import { FakeServer } from '../../test/fakeServer';
import { pick, requestsTo } from '../../test/select';
import { FakeAuthority, makeSubmission } from '../../test/fakeAuthority';
import { claimOf, websiteSnsOf } from '../../api/authorityReview';
import { setViewportWidth } from '../../test/browser';

const kAuthority: AppConfig = { service: 'authority', api_base: '/authority/v1', version: 'test' };

const kReviewer = {
  email: 'authority@demo.beian.test',
  phone: '13800000004',
  password: 'zh-lantern-river-7',
  display_name: '管局审核员',
  role: 'authority_reviewer',
};

function start(path: string, setup: (a: FakeAuthority) => void, lang: Language = 'zh-CN') {
  const server = new FakeServer(kAuthority);
  server.addAccount(kReviewer);
  server.addAccount({ ...kReviewer, email: 'other@example.cn', display_name: '审核员乙' });
  server.session = server.accounts[0];
  const authority = new FakeAuthority(server);
  setup(authority);
  // Images are fetched outside the JSON client (attachments → data: URLs).
  vi.stubGlobal('fetch', server.fetch);
  const client = new ApiClient(kAuthority.api_base, server.fetch);
  const user = userEvent.setup();
  render(<App services={{ config: kAuthority, client }} i18n={createI18n(lang)} initialPath={path} />);
  return { server, authority, user };
}

const rowsOf = (table: HTMLElement) => [...table.querySelectorAll('tbody tr.ant-table-row')] as HTMLElement[];

beforeEach(() => vi.unstubAllGlobals());
afterEach(() => vi.unstubAllGlobals());

describe('authority queue', () => {
  it('lists submissions under review with working days, overdue deadline, claim holder; filters by province', async () => {
    const { server } = start('/submissions', (a) => {
      a.submissions.push(
        makeSubmission('alpha', 'under_review', { overdue: true, business_days_waiting: 23, province: '33' }),
      );
      a.submissions.push(
        makeSubmission('beta', 'under_review', {
          claimed_by: '2',
          claimed_by_name: '审核员乙',
          claim_until: new Date(Date.now() + 600_000).toISOString(),
        }),
      );
      a.submissions.push(makeSubmission('gamma', 'sms_verification'));
      a.submissions.push(makeSubmission('delta', 'approved'));
    });
    const page = await screen.findByTestId('authority-queue-page');
    const table = within(page).getByTestId('queue-table');
    await within(table).findByText('北京alpha科技有限公司');
    const rows = rowsOf(table);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByTestId('queue-waiting').textContent).toBe('23');
    expect(within(rows[0]).getByTestId('overdue-tag').textContent).toBe('已超期');
    expect(within(rows[0]).getByTestId('queue-deadline').className).toContain('danger');
    expect(rows[0].className).toContain('authority-row-overdue');
    expect(within(rows[0]).getByText('本地服务商')).toBeTruthy();
    expect(within(rows[0]).getByText('首次备案')).toBeTruthy();
    // Another reviewer holds beta: named, and only "view" is offered.
    expect(within(rows[1]).getByTestId('claim-holder').textContent).toBe('审核员乙');
    expect(within(rows[1]).getByTestId('open-beta')).toBeTruthy();
    expect(within(rows[0]).getByTestId('claim-alpha')).toBeTruthy();
    expect(requestsTo(server, 'state=under_review').length).toBeGreaterThan(0);

    expect(within(rows[0]).getByText('浙江')).toBeTruthy();
    await pick('filter-province', '北京');
    await waitFor(() => expect(rowsOf(table)).toHaveLength(1));
    expect(within(table).getByText('北京beta科技有限公司')).toBeTruthy();
    expect(requestsTo(server, 'province=11').length).toBeGreaterThan(0);

    const overdue = screen.getByTestId('filter-overdue');
    fireEvent.click(overdue.tagName === 'INPUT' ? overdue : overdue.querySelector('input')!);
    await waitFor(() => expect(requestsTo(server, 'overdue=true').length).toBeGreaterThan(0));
  });

  it('shows the SMS verification and decided tabs', async () => {
    const { server, user } = start('/submissions', (a) => {
      a.submissions.push(makeSubmission('gamma', 'sms_verification'));
      a.submissions.push(makeSubmission('delta', 'approved'));
      a.submissions.push(makeSubmission('eps', 'expired'));
    });
    const table = await screen.findByTestId('queue-table');
    await within(table).findByText('没有待审核的备案申请');
    await user.click(screen.getByTestId('tab-sms_verification'));
    await within(table).findByText('北京gamma科技有限公司');
    expect(requestsTo(server, 'state=sms_verification').length).toBeGreaterThan(0);
    // No claim while the codes are outstanding: open to look only; the SMS clock is shown.
    expect(screen.getByTestId('open-gamma')).toBeTruthy();
    expect(screen.getAllByText('核验截止时间').length).toBeGreaterThan(0);
    expect(screen.getByTestId('queue-sms-deadline').textContent).toMatch(/^2026-12-02 \d\d:00$/);
    await user.click(screen.getByTestId('tab-decided'));
    await within(table).findByText('北京delta科技有限公司');
    const states = within(table).getAllByTestId('submission-state').map((e) => e.textContent);
    expect(states).toEqual(['已通过', '核验超时']);
  });

  it('pages with "load more" and claims into the review screen', async () => {
    const { server, user, authority } = start('/submissions', (a) => {
      a.pageSize = 2;
      for (const id of ['a1', 'a2', 'a3']) a.submissions.push(makeSubmission(id));
    });
    const table = await screen.findByTestId('queue-table');
    await within(table).findByText('北京a1科技有限公司');
    expect(rowsOf(table)).toHaveLength(2);
    await user.click(screen.getByTestId('load-more'));
    await within(table).findByText('北京a3科技有限公司');
    expect(requestsTo(server, 'cursor=2')).toHaveLength(1);
    await user.click(screen.getByTestId('claim-a2'));
    expect(await screen.findByTestId('submission-page')).toBeTruthy();
    expect(authority.submissions[1].claimed_by).toBe('1');
    expect((await screen.findByTestId('claim-mine')).textContent).toContain('您已领取此申请');
  });

  it('speaks English', async () => {
    start(
      '/submissions',
      (a) => a.submissions.push(makeSubmission('alpha', 'under_review', { overdue: true })),
      'en',
    );
    const table = await screen.findByTestId('queue-table');
    await within(table).findByText('北京alpha科技有限公司');
    expect(screen.getByText('Filing review queue')).toBeTruthy();
    expect(within(table).getByTestId('overdue-tag').textContent).toBe('Overdue');
    expect(within(table).getByText('First filing')).toBeTruthy();
    expect(screen.getByTestId('tab-decided').textContent).toBe('Decided');
  });
});

describe('submission review', () => {
  it('shows every field grouped with its documents, masked numbers, the photo, SMS status and history', async () => {
    start('/submissions/s1', (a) => a.submissions.push(makeSubmission('s1')));
    const page = await screen.findByTestId('submission-page');
    expect(within(page).getByTestId('submission-title').textContent).toBe('北京s1科技有限公司');
    expect(within(page).getByTestId('submission-provider').textContent).toBe('本地服务商');
    const organizer = within(page).getByTestId('group-organizer');
    expect(within(organizer).getByTestId('field-organizer.person_in_charge.id_number').textContent).toBe(
      '110101**********12',
    );
    expect(within(organizer).getByTestId('field-organizer.certificate.number').textContent).toContain('*');
    expect(within(organizer).getByTestId('field-organizer.province').textContent).toBe('北京');
    // The certificate image is shown beside the organizer's fields.
    await within(organizer).findByTestId('document-image');
    expect(organizer.querySelector('img')?.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // The website's person's ID card (a PDF) is a download link.
    const site = within(page).getByTestId('group-website-0');
    expect(within(site).getByTestId('field-websites[0].domains[0]').textContent).toBe('s1.example.cn');
    const link = within(site).getByTestId('document-download');
    expect(link.getAttribute('href')).toBe('/authority/v1/review/submissions/s1/documents/s1-d2');
    // The verified photo, large.
    await within(within(page).getByTestId('photo-card')).findByTestId('document-image');
    // SMS status per person.
    const sms = within(page).getByTestId('sms-status');
    expect(within(within(sms).getByTestId('sms-organizer')).getByText('主办者负责人')).toBeTruthy();
    expect(within(within(sms).getByTestId('sms-website:0')).getByText('网站 1 负责人')).toBeTruthy();
    expect(within(sms).getAllByTestId('sms-verified').map((e) => e.textContent)).toEqual(['已核验', '已核验']);
    // History.
    const events = within(page)
      .getAllByTestId('timeline-event')
      .map((e) => e.getAttribute('data-event'));
    expect(events).toEqual(['receive', 'sms_verified']);
    expect(within(page).getByTestId('claim')).toBeTruthy();
  });

  it('claims and approves: the subject SN and website SNs are shown', async () => {
    const { user, authority } = start('/submissions/s1', (a) => a.submissions.push(makeSubmission('s1')));
    await user.click(await screen.findByTestId('claim'));
    await screen.findByTestId('claim-mine');
    await user.click(screen.getByTestId('approve'));
    await user.click(await screen.findByTestId('approve-ok'));
    const outcome = await screen.findByTestId('outcome-approved');
    expect(within(outcome).getByTestId('subject-sn').textContent).toBe('京ICP备2026000001号');
    expect(within(outcome).getByTestId('website-sn').textContent).toBe('京ICP备2026000001号-1');
    expect(within(outcome).getByText('s1.example.cn')).toBeTruthy();
    // The ICP password is never shown; the reviewer is told where it went.
    expect(within(outcome).getByTestId('password-note').textContent).toContain('任何人（包括审核员）都无法查看');
    expect(screen.getByTestId('submission-page').getAttribute('data-state')).toBe('approved');
    expect(authority.decisions[0].body).toEqual({ decision: 'approve', reasons: [] });
    expect(screen.getByTestId('read-only')).toBeTruthy();
  });

  it('rejects with a reason from the catalogue, asking for the note the reason requires', async () => {
    const { user, authority } = start('/submissions/s1', (a) => a.submissions.push(makeSubmission('s1')));
    await user.click(await screen.findByTestId('claim'));
    await screen.findByTestId('claim-mine');
    // Nothing picked: the form says what is missing and sends nothing.
    await user.click(screen.getByTestId('reject'));
    await screen.findByText('选择问题所在的字段或材料');
    expect(authority.decisions).toHaveLength(0);
    await pick('reason-field-0', '网站 1 · 名称');
    await pick('reason-code-0', '其他');
    await user.click(screen.getByTestId('reject'));
    await screen.findByText('请填写说明');
    expect(authority.decisions).toHaveLength(0);
    await user.type(screen.getByTestId('reason-note-0'), '网站名称与主办者无关');
    await user.click(screen.getByTestId('reject'));
    const outcome = await screen.findByTestId('outcome-rejected');
    expect(within(outcome).getByTestId('outcome-reasons').textContent).toContain('网站 1 · 名称');
    expect(within(outcome).getByTestId('outcome-reasons').textContent).toContain('其他 — 网站名称与主办者无关');
    expect(authority.decisions[0].body).toEqual({
      decision: 'reject',
      reasons: [{ field: 'websites[0].name', code: 'other', message: '网站名称与主办者无关' }],
    });
  });

  it('says who holds the claim when another reviewer was first', async () => {
    const { user, authority } = start('/submissions/s1', (a) => a.submissions.push(makeSubmission('s1')));
    await screen.findByTestId('claim');
    // Meanwhile another reviewer claims it.
    Object.assign(authority.submissions[0], {
      claimed_by: '2',
      claimed_by_name: '审核员乙',
      claim_until: new Date(Date.now() + 600_000).toISOString(),
    });
    await user.click(screen.getByTestId('claim'));
    const alert = await screen.findByTestId('form-error');
    expect(alert.textContent).toContain('审核员乙 正在审核');
    expect((await screen.findByTestId('claimed-by-other')).textContent).toContain('审核员乙');
    expect(screen.queryByTestId('approve')).toBeNull();
  });

  it('has nothing to decide while the SMS verification runs', async () => {
    start('/submissions/s2', (a) => a.submissions.push(makeSubmission('s2', 'sms_verification')));
    expect(await screen.findByTestId('waiting-sms')).toBeTruthy();
    expect(screen.queryByTestId('claim')).toBeNull();
    const sms = screen.getByTestId('sms-status');
    expect(within(sms).getAllByTestId('sms-verified').map((e) => e.textContent)).toEqual(['待核验', '待核验']);
  });

  it('shows an expired submission with its reason, and a missing one as not found', async () => {
    start('/submissions/s3', (a) => {
      const s = makeSubmission('s3', 'expired');
      s.events.push({
        seq: 3,
        from_state: 'sms_verification',
        to_state: 'expired',
        event: 'sms_timeout',
        actor: 'system',
        reasons: JSON.stringify([{ field: '', code: 'sms_not_verified', message: '24 小时内未完成短信核验' }]),
        at: '2026-12-02T02:00:00.000Z',
      });
      a.submissions.push(s);
    });
    const outcome = await screen.findByTestId('outcome-expired');
    expect(within(outcome).getByTestId('outcome-reasons').textContent).toContain('24 小时内未完成短信核验');
  });

  it('says when a submission does not exist', async () => {
    start('/submissions/nope', () => undefined);
    expect((await screen.findByTestId('submission-error')).textContent).toContain('该备案申请不存在');
  });

  it('approves in English', async () => {
    const { user } = start('/submissions/s1', (a) => a.submissions.push(makeSubmission('s1')), 'en');
    await user.click(await screen.findByTestId('claim'));
    await user.click(await screen.findByTestId('approve'));
    await user.click(await screen.findByTestId('approve-ok'));
    const outcome = await screen.findByTestId('outcome-approved');
    expect(within(outcome).getByText('Approved: Beian numbers issued')).toBeTruthy();
    expect(within(outcome).getByText('Subject Beian number')).toBeTruthy();
    expect(within(outcome).getByTestId('password-note').textContent).toContain('nobody, reviewers included');
  });
});

describe('authority console frame', () => {
  it('works at phone width: the menu in a drawer, the queue and the review screen', async () => {
    setViewportWidth(375);
    const { user } = start('/submissions', (a) => a.submissions.push(makeSubmission('s1')));
    const table = await screen.findByTestId('queue-table');
    await within(table).findByText('北京s1科技有限公司');
    expect(screen.queryByTestId('nav-sider')).toBeNull();
    await user.click(screen.getByTestId('menu-button'));
    expect(await screen.findByTestId('nav-authority-queue')).toBeTruthy();
    expect(screen.getByTestId('nav-mailbox')).toBeTruthy();
    await user.click(screen.getByTestId('claim-s1'));
    expect(await screen.findByTestId('claim-mine')).toBeTruthy();
    expect(screen.getByTestId('group-organizer')).toBeTruthy();
  });

  it('offers the queue and the mailbox on the overview and lists the authority mailbox', async () => {
    const { user } = start('/', (a) => {
      a.mailbox.push({
        id: 'm1',
        notification_id: 'n1',
        channel: 'sms',
        to: '13900000001',
        subject: '',
        text: '【ICP备案】您的备案核验码为 123456，24 小时内有效。',
        html: '',
        template: 'authority_sms_code',
        locale: 'zh-CN',
        created_at: '2026-12-06T16:00:00.000Z',
      });
    });
    await screen.findByTestId('home-page');
    expect(screen.getByTestId('feature-authority-queue')).toBeTruthy();
    await user.click(screen.getByTestId('feature-mailbox'));
    const box = await screen.findByTestId('mailbox-page');
    expect(await within(box).findByText(/您的备案核验码为 123456/)).toBeTruthy();
  });
});

describe('reading the contract’s open fields', () => {
  const me = { id: 7, email: 'me@example.cn', display_name: '我' };
  const later = new Date(Date.now() + 60_000).toISOString();
  it('tells whose claim it is', () => {
    expect(claimOf({ claimed_by: null, claim_until: null }, me)).toBeNull();
    expect(claimOf({ claimed_by: '7', claim_until: later }, me)?.mine).toBe(true);
    expect(claimOf({ claimed_by: 'me@example.cn', claim_until: later }, me)?.mine).toBe(true);
    expect(claimOf({ claimed_by: '8', claim_until: later, claimed_by_name: '乙' }, me)).toEqual({
      holder: '乙',
      until: later,
      mine: false,
    });
    expect(claimOf({ claimed_by: '8', claim_until: later, claimed_by_me: true }, me)?.mine).toBe(true);
    // An expired claim holds nothing.
    expect(claimOf({ claimed_by: '8', claim_until: '2020-01-01T00:00:00Z' }, me)).toBeNull();
  });

  it('reads website SNs as a list or a map', () => {
    const websites = [{ name: 'A', domains: ['a.cn'] }];
    expect(websiteSnsOf({ websites, website_sns: { A: '京ICP备1号-1' } })).toEqual([
      { name: 'A', domains: ['a.cn'], sn: '京ICP备1号-1' },
    ]);
    expect(
      websiteSnsOf({ websites, website_sns: [{ name: 'A', domains: ['a.cn', 'b.cn'], website_sn: 'X-1' }] }),
    ).toEqual([{ name: 'A', domains: ['a.cn', 'b.cn'], sn: 'X-1' }]);
    expect(websiteSnsOf({ websites, website_sns: null })).toEqual([]);
  });
});
