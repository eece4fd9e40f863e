// The reviewer's pages in jsdom against the fake review API (test/fakeReview.ts): the queue
// (stages, filters, SLA, load more, claim), the review screen (fields grouped with their
// documents, reveal, changes since the rejection, reasons, decisions in both languages, the
// photo check) and the shipping list. The browser journeys (tests/e2e/journey.*) repeat them
// against the real server.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../app/App';
import { ApiClient } from '../../api/client';
import type { AppConfig } from '../../api/config';
import { createI18n, type Language } from '../../i18n';
import { FakeServer } from '../../test/fakeServer';
import { pick, requestsTo } from '../../test/select';
import { FakeReview, makeFiling } from '../../test/fakeReview';
import { formatTime } from './format';

const kAgent: AppConfig = { service: 'agent', api_base: '/api/v1', version: 'test' };

const kReviewer = {
  email: 'reviewer@example.com',
  phone: '13800000002',
  password: 'reviewer-password-1',
  display_name: '审核员甲',
  role: 'reviewer',
};

function start(path: string, setup: (r: FakeReview) => void, lang: Language = 'zh-CN') {
  const server = new FakeServer(kAgent);
  server.addAccount(kReviewer);
  server.addAccount({ ...kReviewer, email: 'other@example.com', display_name: '审核员乙' });
  server.session = server.accounts[0];
  const review = new FakeReview(server);
  setup(review);
  const fetchImpl = review.wrap(server.fetch);
  // Images are fetched outside the JSON client (attachments → data: URLs).
  vi.stubGlobal('fetch', fetchImpl);
  const client = new ApiClient(kAgent.api_base, fetchImpl);
  const user = userEvent.setup();
  render(<App services={{ config: kAgent, client }} i18n={createI18n(lang)} initialPath={path} />);
  return { server, review, user };
}

// The console's text for an error code in Chinese (the server's message when it has none).
const codeText = (code: string, serverMessage: string) =>
  createI18n('zh-CN').t(`errors.code.${code}`, { defaultValue: serverMessage });

beforeEach(() => {
  vi.unstubAllGlobals();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('review queue', () => {
  it('lists the preliminary queue with SLA, resubmission and claim holder, and filters', async () => {
    const { server } = start('/review', (r) => {
      r.filings.push(makeFiling('alpha', { overdue: true }));
      r.filings.push(makeFiling('beta', { resubmission: true }));
      const gamma = makeFiling('gamma');
      gamma.application.province = '11';
      gamma.claim = {
        reviewer_id: 3,
        reviewer_name: '审核员乙',
        expires_at: '2026-12-02T04:00:00.000Z',
        mine: false,
        holder: 'other@example.com',
      };
      r.filings.push(gamma);
      // Filters stay when the tab changes: this one passes them.
      const photo = makeFiling('photo1', { overdue: true }, 'photo_uploaded');
      photo.application.province = '11';
      r.filings.push(photo);
    });
    const page = await screen.findByTestId('review-queue-page');
    const table = within(page).getByTestId('queue-table');
    await within(table).findByText('杭州alpha科技有限公司');
    const rows = table.querySelectorAll('tbody tr.ant-table-row');
    expect(rows).toHaveLength(3);
    // Overdue: the deadline is red with a tag; the resubmission is tagged; the holder named.
    expect(within(rows[0] as HTMLElement).getByTestId('overdue-tag').textContent).toBe('已超时');
    expect(within(rows[0] as HTMLElement).getByTestId('sla-deadline').className).toContain('danger');
    expect(within(rows[1] as HTMLElement).getByTestId('resubmission-tag').textContent).toBe('重新提交');
    expect(within(rows[2] as HTMLElement).getByTestId('claim-holder').textContent).toBe('审核员乙');
    // Another reviewer's claim: only "view".
    expect(within(rows[2] as HTMLElement).getByTestId('open-gamma')).toBeTruthy();
    expect(within(rows[0] as HTMLElement).getByText('浙江')).toBeTruthy();

    await pick('filter-province', '北京');
    await waitFor(() => expect(table.querySelectorAll('tbody tr.ant-table-row')).toHaveLength(1));
    expect(requestsTo(server, 'province=11').length).toBeGreaterThan(0);

    const overdue = screen.getByTestId('filter-overdue');
    fireEvent.click(overdue.tagName === 'INPUT' ? overdue : overdue.querySelector('input')!);
    await waitFor(() => expect(requestsTo(server, 'overdue=true').length).toBeGreaterThan(0));

    // The photo tab lists what waits for the photo check.
    fireEvent.click(screen.getByTestId('stage-photo'));
    await screen.findByText('杭州photo1科技有限公司');
    expect(requestsTo(server, 'stage=photo').length).toBeGreaterThan(0);
  });

  it('pages with "load more" and claims into the review screen', async () => {
    const { server, user, review } = start('/review', (r) => {
      r.pageSize = 2;
      for (const id of ['a1', 'a2', 'a3']) r.filings.push(makeFiling(id));
    });
    const table = await screen.findByTestId('queue-table');
    await within(table).findByText('杭州a1科技有限公司');
    expect(table.querySelectorAll('tbody tr.ant-table-row')).toHaveLength(2);
    await user.click(screen.getByTestId('load-more'));
    await within(table).findByText('杭州a3科技有限公司');
    expect(requestsTo(server, 'cursor=2')).toHaveLength(1);
    expect(screen.queryByTestId('load-more')).toBeNull();

    await user.click(screen.getByTestId('claim-a2'));
    expect(await screen.findByTestId('review-page')).toBeTruthy();
    expect(review.filings[1].claim?.holder).toBe(kReviewer.email);
    expect((await screen.findByTestId('claim-mine')).textContent).toContain('您已领取此申请');
  });

  it('says so when another reviewer claimed first', async () => {
    const { user, review } = start('/review', (r) => r.filings.push(makeFiling('race')));
    await screen.findByText('杭州race科技有限公司');
    review.filings[0].claim = {
      reviewer_id: 3,
      reviewer_name: '审核员乙',
      expires_at: '2026-12-02T04:00:00.000Z',
      mine: false,
      holder: 'other@example.com',
    };
    await user.click(screen.getByTestId('claim-race'));
    // The refusal names who holds the claim.
    expect(
      await screen.findByText(
        `${codeText('claimed_by_other', 'claimed by another reviewer')} 审核员乙 正在审核（领取至 ${formatTime('2026-12-02T04:00:00.000Z')}）`,
      ),
    ).toBeTruthy();
    expect(screen.queryByTestId('review-page')).toBeNull();
  });
});

describe('review screen', () => {
  function resubmitted() {
    const f = makeFiling('again', { resubmission: true });
    f.claim = {
      reviewer_id: 2,
      reviewer_name: '审核员甲',
      expires_at: '2026-12-02T04:00:00.000Z',
      mine: true,
      holder: kReviewer.email,
    };
    f.last_rejection = {
      at: '2026-12-01T05:00:00.000Z',
      reasons: [{ field: 'websites[0].name', code: 'name_unrelated', message: '请使用与公司相关的名称' }],
    };
    f.changes_since_rejection = [{ field: 'websites[0].name', before: '随便看看', after: 'again 官网' }];
    return f;
  }

  it('shows fields grouped with their documents, reveals numbers, the rejection and the changes', async () => {
    const { review, user } = start('/review/applications/again', (r) => {
      const f = resubmitted();
      // An upload for a subject no group covers.
      f.documents.push({ ...f.documents[1], id: 'again-d3', kind: 'other', subject: 'extra' });
      r.filings.push(f);
    });
    const page = await screen.findByTestId('review-page');
    expect(within(page).getByTestId('submitted-at').textContent).toBe(
      `提交于 ${formatTime('2026-12-01T02:00:00.000Z')}`,
    );
    expect(within(page).getByTestId('other-documents').textContent).toContain('其他材料');
    expect(within(within(page).getByTestId('other-documents')).getByTestId('document-other')).toBeTruthy();
    const organizer = within(page).getByTestId('group-organizer');
    expect(within(organizer).getByText('杭州again科技有限公司')).toBeTruthy();
    expect(within(organizer).getByText('企业')).toBeTruthy();
    // The organizer's certificate sits beside the organizer's fields, as an image.
    const cert = within(organizer).getByTestId('document-organizer_certificate');
    await waitFor(() =>
      expect(within(cert).getByTestId('document-image').querySelector('img')?.getAttribute('src')).toMatch(
        /^data:image\/png;base64,/,
      ),
    );
    // The website person's identity document (a PDF) sits with website 1.
    const site = within(page).getByTestId('group-website-0');
    expect(within(site).getByTestId('document-id_front')).toBeTruthy();
    expect(within(site).getByTestId('document-download')).toBeTruthy();

    // Masked until asked; the reveal is one call.
    const idField = within(organizer).getByTestId('field-organizer.person_in_charge.id_number');
    expect(within(idField).getByTestId('field-value').textContent).toBe('3301**********1234');
    await user.click(within(organizer).getByTestId('reveal-organizer.person_in_charge.id_number'));
    await waitFor(() =>
      expect(within(idField).getByTestId('field-value').textContent).toBe('330106199001011234'),
    );
    expect(review.reveals).toEqual(['again']);
    // Only the number asked for is shown; the next one needs its own click (no second call).
    const mobile = within(organizer).getByTestId('field-organizer.person_in_charge.mobile');
    expect(within(mobile).getByTestId('field-value').textContent).toBe('139****0001');
    await user.click(within(organizer).getByTestId('reveal-organizer.person_in_charge.mobile'));
    await waitFor(() =>
      expect(within(mobile).getByTestId('field-value').textContent).toBe('13900000001'),
    );
    expect(review.reveals).toEqual(['again']);

    // The last rejection's reasons, in the console's language, and what changed since.
    const last = within(page).getByTestId('last-rejection');
    expect(last.textContent).toContain('网站 1 · 名称：');
    // Inside its group a field is named without the group: "名称", not "网站 1 · 名称".
    expect(within(site).getByText('名称')).toBeTruthy();
    expect(last.textContent).toContain('网站名称与主办者无关');
    expect(last.textContent).toContain('请使用与公司相关的名称');
    const change = within(page).getByTestId('change-websites[0].name');
    expect(change.querySelector('del')?.textContent).toBe('随便看看');
    expect(change.querySelector('ins')?.textContent).toBe('again 官网');
    // The changed field itself says what it was.
    expect(within(site).getByTestId('field-change').textContent).toBe('修改前：随便看看');
    // Precheck findings and the timeline.
    expect(within(page).getByTestId('findings').textContent).toContain('网站名称过于宽泛');
    expect(within(page).getByTestId('timeline').textContent).toContain('提交初审');
  });

  it('rejects with a field, a reason and the note `other` requires', async () => {
    const { review, user } = start('/review/applications/again', (r) => r.filings.push(resubmitted()));
    await screen.findByTestId('decision-panel');
    await pick('reason-field-0', '网站 1 · 域名 1');
    await pick('reason-code-0', '其他');
    await user.click(screen.getByTestId('reject'));
    expect(await screen.findByText('此原因需要填写说明')).toBeTruthy();
    expect(review.decisions).toHaveLength(0);
    await user.type(screen.getByTestId('reason-note-0'), '域名未实名认证');
    await user.click(screen.getByTestId('reject'));
    await screen.findByTestId('review-queue-page');
    expect(review.decisions).toEqual([
      {
        id: 'again',
        path: '/decision',
        body: {
          decision: 'reject',
          reasons: [{ field: 'websites[0].domains[0]', code: 'other', message: '域名未实名认证' }],
        },
      },
    ]);
    expect(review.filings[0].application.state).toBe('returned');
  });

  it('marks a reason the server refuses on its own row', async () => {
    const { review, user } = start('/review/applications/again', (r) => {
      r.filings.push(resubmitted());
      r.refusedCodes.add('info_mismatch');
    });
    await screen.findByTestId('decision-panel');
    await pick('reason-field-0', '网站 1 · 名称');
    await pick('reason-code-0', '信息与证件不一致');
    await user.click(screen.getByTestId('reject'));
    const row = screen.getByTestId('reason-0');
    await waitFor(() =>
      expect(row.querySelector('.ant-form-item-explain-error')?.textContent).toBe(
        '该原因不适用于本审核环节',
      ),
    );
    expect(screen.queryByTestId('form-error')).toBeNull();
    expect(review.filings[0].application.state).toBe('preliminary_review');
  });

  it('claims from the screen and approves, in English', async () => {
    const { review, user } = start(
      '/review/applications/fresh',
      (r) => r.filings.push(makeFiling('fresh')),
      'en',
    );
    await screen.findByTestId('decision-panel');
    expect(screen.getByText('Claim the application to decide on it; while you hold the claim no other reviewer can.')).toBeTruthy();
    await user.click(screen.getByTestId('claim'));
    await user.click(await screen.findByTestId('approve'));
    await user.click(await screen.findByTestId('approve-ok'));
    await screen.findByTestId('review-queue-page');
    expect(review.decisions[0].body).toEqual({ decision: 'approve', reasons: [] });
    expect(review.filings[0].application.state).toBe('verification');
    expect(screen.getByText('No application is waiting for the preliminary review')).toBeTruthy();
  });

  it('shows the server refusal when the claim ran out meanwhile', async () => {
    const { review, user } = start('/review/applications/lost', (r) => {
      const f = makeFiling('lost');
      f.claim = {
        reviewer_id: 2,
        reviewer_name: '审核员甲',
        expires_at: '2026-12-02T04:00:00.000Z',
        mine: true,
        holder: kReviewer.email,
      };
      r.filings.push(f);
    });
    await screen.findByTestId('claim-mine');
    review.filings[0].claim = null;
    await user.click(screen.getByTestId('approve'));
    await user.click(await screen.findByTestId('approve-ok'));
    expect((await screen.findByTestId('form-error')).textContent).toContain(
      codeText('claim_required', 'claim it first'),
    );
    // The panel learns that the claim is gone.
    expect(await screen.findByTestId('claim')).toBeTruthy();
  });

  it('checks the verified photo: shown large, rejected with a photo reason, or accepted', async () => {
    const { review, user } = start('/review/applications/pic', (r) => {
      const f = makeFiling('pic', {}, 'photo_uploaded');
      f.documents.push({
        id: 'pic-photo',
        kind: 'verified_photo',
        subject: 'organizer',
        size: 100_000,
        content_type: 'image/png',
        sha256: 'z',
        file_name: 'photo.png',
        width: 1200,
        height: 1600,
        uploader_id: '1',
        created_at: 9,
      });
      // Rejected once in the preliminary review, long settled: not this review's business.
      f.last_rejection = {
        at: '2026-12-01T05:00:00.000Z',
        reasons: [{ field: 'websites[0].name', code: 'name_unrelated', message: '' }],
      };
      r.filings.push(f);
    });
    const photoCard = await screen.findByTestId('photo-card');
    expect(screen.queryByTestId('last-rejection')).toBeNull();
    expect(screen.queryByTestId('no-changes')).toBeNull();
    await waitFor(() =>
      expect(within(photoCard).getByTestId('document-image').querySelector('img')?.getAttribute('width')).toBe('480'),
    );
    await user.click(screen.getByTestId('claim'));
    expect(await screen.findByText('照片合格')).toBeTruthy();
    // Photo reasons only, and no field to pick: the field is the photo.
    expect(screen.queryByTestId('reason-field-0')).toBeNull();
    await pick('reason-code-0', '核验照片不合格');
    await user.click(screen.getByTestId('reject'));
    await screen.findByTestId('review-queue-page');
    expect(review.decisions[0]).toEqual({
      id: 'pic',
      path: '/photo-decision',
      body: { decision: 'reject', reasons: [{ field: 'photo', code: 'photo_nonconforming', message: '' }] },
    });
    expect(review.filings[0].application.state).toBe('backdrop_shipped');
  });

  it('is not offered to an applicant', async () => {
    const server = new FakeServer(kAgent);
    server.addAccount({ ...kReviewer, role: 'applicant' });
    server.session = server.accounts[0];
    const client = new ApiClient(kAgent.api_base, server.fetch);
    render(<App services={{ config: kAgent, client }} i18n={createI18n('zh-CN')} initialPath="/review" />);
    expect(await screen.findByText('页面不存在')).toBeTruthy();
    expect(screen.queryByTestId('nav-review-queue')).toBeNull();
  });
});

describe('shipping list', () => {
  const entry = (id: string) => ({
    application_id: id,
    organizer_name: `杭州${id}科技有限公司`,
    recipient: '张三',
    mobile: '139****0001',
    address: '浙江省杭州市西湖区文三路 1 号',
    requested_at: '2026-12-02T01:00:00.000Z',
    carrier: null,
    tracking_number: null,
    shipped_at: null,
  });

  it('marks a backdrop shipped with carrier and tracking number', async () => {
    const { review, user } = start('/review/backdrops', (r) => {
      r.backdrops.push(entry('b1'), entry('b2'));
      r.filings.push(makeFiling('b1', { secrets: { 'backdrop.mobile': '13900000001' } }, 'backdrop_requested'));
    });
    const table = await screen.findByTestId('backdrops-requested');
    await within(table).findByText('杭州b1科技有限公司');
    expect(within(table).getAllByText('张三')).toHaveLength(2);
    await user.click(screen.getByTestId('ship-b1'));
    const dialog = await screen.findByTestId('ship-dialog');
    // The courier needs the whole mobile: one reveal.
    expect(within(dialog).getByTestId('ship-mobile').textContent).toBe('139****0001');
    await user.click(within(dialog).getByTestId('ship-reveal'));
    await waitFor(() =>
      expect(within(dialog).getByTestId('ship-mobile').textContent).toBe('13900000001'),
    );
    expect(review.reveals).toEqual(['b1']);
    // Client checks first.
    await user.type(within(dialog).getByTestId('ship-tracking'), 'no spaces');
    await user.click(screen.getByTestId('ship-ok'));
    expect(await screen.findByText('请填写此项')).toBeTruthy();
    expect(await screen.findByText('快递单号应为 4–40 位字母、数字或连字符')).toBeTruthy();
    expect(review.shipped).toHaveLength(0);
    // A common carrier from the list, and a server refusal beside its field.
    const carrier = within(dialog).getByTestId('ship-carrier').querySelector('input') ??
      within(dialog).getByTestId('ship-carrier');
    await user.type(carrier, '顺丰');
    await user.clear(within(dialog).getByTestId('ship-tracking'));
    await user.type(within(dialog).getByTestId('ship-tracking'), 'SF-TAKEN');
    await user.click(screen.getByTestId('ship-ok'));
    expect(await screen.findByText('tracking number refused')).toBeTruthy();
    await user.clear(within(dialog).getByTestId('ship-tracking'));
    await user.type(within(dialog).getByTestId('ship-tracking'), 'SF1234567890');
    await user.click(screen.getByTestId('ship-ok'));
    await waitFor(() => expect(within(table).queryByText('杭州b1科技有限公司')).toBeNull());
    expect(review.shipped.at(-1)).toEqual({
      id: 'b1',
      body: { carrier: '顺丰', tracking_number: 'SF1234567890' },
    });
    await user.click(screen.getByTestId('tab-shipped'));
    const shipped = await screen.findByTestId('backdrops-shipped');
    expect(await within(shipped).findByText('SF1234567890')).toBeTruthy();
  });
});
