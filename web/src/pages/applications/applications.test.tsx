// The applicant's filing pages in jsdom against the fake agent (test/fakeApplications.ts): the
// list (state tags, filter, paging), the step form (draft creation, saving with If-Match, the
// debounced precheck beside the fields, a stale version, documents with progress, submit with
// its 422s and the Beian credentials, a returned application's flagged fields), and the detail
// page (timeline, withdraw, backdrop request, verified photo), in zh-CN and en.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within, render, fireEvent } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../app/App';
import { ApiClient } from '../../api/client';
import type { AppConfig } from '../../api/config';
import { createI18n, kLanguageStorageKey } from '../../i18n';
import { FakeServer } from '../../test/fakeServer';
import { FakeApplications } from '../../test/fakeApplications';
import { setViewportWidth } from '../../test/browser';

const kAgent: AppConfig = { service: 'agent', api_base: '/api/v1', version: 'test' };
const kApplicant = {
  email: 'applicant@demo.beian.test',
  phone: '13800000001',
  password: 'zh-lantern-river-7',
  display_name: '示例申请人',
  role: 'applicant',
};

const kOrganizer = {
  type: 'enterprise',
  name: '北京示例科技有限公司',
  certificate: { type: 'business_license', number: '91110108MA01ABCD5T' },
  province: '11',
  address: '北京市海淀区中关村大街1号',
  person_in_charge: {
    name: '张三',
    id_type: 'resident_id_card',
    id_number: '110105199003071239',
    mobile: '13800138000',
    email: 'zhang@example.com',
  },
};
const kWebsite = {
  name: '示例科技官网',
  domains: ['beian-demo.cn'],
  homepage: 'https://www.beian-demo.cn',
  service_content: 'enterprise_portal',
  languages: ['zh-CN'],
  pre_approvals: [],
  instance_id: 'i-demo-bj-001',
};

type User = ReturnType<typeof userEvent.setup>;

function start(
  path: string,
  setup?: (fake: FakeApplications, server: FakeServer) => void,
  config: AppConfig = kAgent,
) {
  const server = new FakeServer(config);
  server.addAccount(kApplicant);
  server.session = server.accounts[0];
  const fake = new FakeApplications(server);
  setup?.(fake, server);
  const i18n = createI18n();
  const client = new ApiClient(kAgent.api_base, server.fetch, server.upload);
  const user = userEvent.setup();
  render(<App services={{ config, client }} i18n={i18n} initialPath={path} />);
  return { server, fake, user, i18n };
}

// Picks `option` in the antd Select labelled `label` (or found by test id).
async function pick(user: User, select: HTMLElement, option: string) {
  const box = select.getAttribute('role') === 'combobox' ? select : within(select).getByRole('combobox');
  await user.click(box);
  const items = await screen.findAllByTitle(option);
  const visible = items.find((el) => el.classList.contains('ant-select-item-option')) ?? items[items.length - 1];
  await user.click(visible);
}

// The notes (findings, rejection reasons) the form shows under the field with test id `path`.
function notes(path: string): string | null {
  return screen.queryByTestId(`notes-${path}`)?.textContent ?? null;
}

function itemOf(testId: string): HTMLElement {
  return screen.getByTestId(testId).closest('.ant-form-item') as HTMLElement;
}

const calls = (server: FakeServer, method: string, suffix: RegExp) =>
  server.requests.filter((r) => r.method === method && suffix.test(r.path));

describe('my filings', () => {
  it('lists filings with coloured state tags, filters by state and pages with load more', async () => {
    const { server, user } = start('/applications', (fake) => {
      for (let i = 0; i < 21; i++) fake.seed({ organizer: { name: `主体${i}` } });
      fake.seed({ organizer: { name: '被退回的主体' }, state: 'returned' });
    });
    await screen.findByTestId('applications-page');
    await waitFor(() => expect(screen.getAllByTestId('application-link')).toHaveLength(20));
    const first = screen.getAllByTestId('state-tag')[0];
    expect(first.textContent).toBe('已退回');
    expect(first.className).toContain('ant-tag-warning');
    expect(screen.getAllByText('草稿').length).toBeGreaterThan(0);
    // The returned one offers its correction, a draft its continuation.
    expect(screen.getAllByTestId('application-edit')[0].textContent).toBe('修改后重新提交');
    expect(screen.getAllByTestId('application-edit')[1].textContent).toBe('继续填写');

    await user.click(screen.getByTestId('load-more'));
    await waitFor(() => expect(screen.getAllByTestId('application-link')).toHaveLength(22));
    expect(screen.queryByTestId('load-more')).toBeNull();
    expect(server.requests.some((r) => r.path === '/api/v1/applications?limit=20&cursor=20')).toBe(true);

    await pick(user, screen.getByTestId('state-filter'), '已退回');
    await waitFor(() => expect(screen.getAllByTestId('application-link')).toHaveLength(1));
    expect(screen.getByTestId('application-link').textContent).toBe('被退回的主体');
    expect(server.requests.some((r) => r.path === '/api/v1/applications?state=returned&limit=20')).toBe(true);
  });

  it('is in the menu and the overview, and opens the form from "New filing"', async () => {
    const { user } = start('/');
    const home = await screen.findByTestId('home-page');
    expect(within(home).getByTestId('feature-applications').textContent).toContain('我的备案');
    await user.click(screen.getByTestId('nav-applications'));
    await screen.findByTestId('applications-page');
    expect(await screen.findByText('还没有备案申请')).toBeTruthy();
    await user.click(screen.getByTestId('new-application'));
    expect(await screen.findByTestId('application-form')).toBeTruthy();
    expect(screen.getByText('主办者信息')).toBeTruthy();
  });

  it('works on a narrow screen through the drawer, in English', async () => {
    window.localStorage.setItem(kLanguageStorageKey, 'en');
    setViewportWidth(375);
    const { user } = start('/', (fake) => fake.seed({ organizer: { name: 'Acme' }, state: 'preliminary_review' }));
    await screen.findByTestId('home-page');
    expect(screen.queryByTestId('nav-sider')).toBeNull();
    await user.click(screen.getByTestId('menu-button'));
    await user.click(await screen.findByTestId('nav-applications'));
    await screen.findByTestId('applications-page');
    expect(screen.getByRole('heading', { name: 'My filings' })).toBeTruthy();
    expect((await screen.findByTestId('state-tag')).textContent).toBe('In preliminary review');
  });
});

describe('the step form', () => {
  it('creates the draft on the first save with an Idempotency-Key and continues at its address', async () => {
    const { server, fake, user } = start('/applications/new');
    await screen.findByTestId('application-form');
    expect(screen.getByTestId('precheck-panel').textContent).toContain('保存后将自动进行预检');
    await user.type(screen.getByLabelText('主办者名称'), '北京示例科技有限公司');
    await user.type(screen.getByLabelText('证件号码'), '91110108MA01ABCD5T');
    // Nothing is created while the user types.
    await new Promise((r) => setTimeout(r, 1000));
    expect(fake.apps.size).toBe(0);

    await user.click(screen.getByTestId('step-next'));
    await screen.findByTestId('step-websites');
    await waitFor(() => expect(screen.getByTestId('step-websites').hidden).toBe(false));
    expect(fake.apps.size).toBe(1);
    const [app] = [...fake.apps.values()];
    expect(app.organizer?.name).toBe('北京示例科技有限公司');
    expect(app.organizer?.certificate).toEqual({ type: 'business_license', number: '91110108MA01ABCD5T' });
    const create = calls(server, 'POST', /\/applications$/);
    expect(create).toHaveLength(1);
    expect(create[0].headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);

    // The precheck ran on the new draft and its findings are beside the fields.
    await waitFor(() => expect(notes('websites[0].name')).toContain('此项为必填项'));
    await user.click(screen.getByTestId('step-prev'));
    await waitFor(() => expect(notes('organizer.address')).toContain('此项为必填项'));
    expect(itemOf('organizer.address').className).toContain('ant-form-item-has-error');
    expect(screen.getByTestId('filing-type').textContent).toBe('首次备案');
    expect(screen.getByTestId('filing-explanation').textContent).toBe('首次备案：主体尚未备案。');
  });

  it('saves changes with If-Match and runs the precheck once, ~600 ms after the last save', async () => {
    const { server, fake, user } = start('/applications/app-1/edit', (f) => {
      f.seed({ organizer: { ...kOrganizer, address: '' }, websites: [kWebsite] });
    });
    await screen.findByTestId('application-form');
    await waitFor(() => expect(notes('organizer.address')).toContain('此项为必填项'));
    const before = fake.prechecks;
    await user.type(screen.getByLabelText('通信地址'), '北京市海淀区1号');
    await waitFor(() => expect(screen.getByTestId('save-state').dataset.state).toBe('saved'), { timeout: 5000 });
    await waitFor(() => expect(notes('organizer.address')).toBeNull(), { timeout: 5000 });
    const patches = calls(server, 'PATCH', /\/applications\/app-1$/);
    expect(patches.length).toBeGreaterThanOrEqual(1);
    expect(patches[0].headers['If-Match']).toBe('"1"');
    expect(fake.apps.get('app-1')!.organizer?.address).toBe('北京市海淀区1号');
    // Typing a whole address (8 keys) saved and prechecked once per pause, not once per key.
    expect(patches.length).toBeLessThan(8);
    expect(fake.prechecks - before).toBeGreaterThanOrEqual(1);
    expect(fake.prechecks - before).toBeLessThanOrEqual(patches.length);
    expect(screen.getByTestId('precheck-counts').dataset.errors).toBe('0');
  });

  it('saves a change made just before leaving the page', async () => {
    const { fake, user } = start('/applications/app-1/edit', (f) => {
      f.seed({ organizer: { ...kOrganizer, address: '' }, websites: [kWebsite] });
    });
    await screen.findByTestId('application-form');
    await user.type(screen.getByLabelText('通信地址'), '北京');
    await user.click(screen.getByTestId('nav-applications'));
    await screen.findByTestId('applications-page');
    await waitFor(() => expect(fake.apps.get('app-1')!.organizer?.address).toBe('北京'));
  });

  it('takes an optional legal representative for an organization, not for an individual', async () => {
    const { fake, user } = start('/applications/app-1/edit', (f) => {
      f.seed({ organizer: kOrganizer, websites: [kWebsite] });
    });
    await screen.findByTestId('application-form');
    expect(screen.getByTestId('legal-representative').textContent).toContain('法定代表人（选填）');
    await user.type(screen.getByLabelText('法定代表人姓名'), '王五');
    await waitFor(() =>
      expect(fake.apps.get('app-1')!.organizer?.legal_representative).toEqual({ name: '王五' }),
    );
    await pick(user, screen.getByTestId('organizer.type'), '个人');
    expect(screen.queryByTestId('legal-representative')).toBeNull();
    expect(screen.getByLabelText('姓名')).toBeTruthy();
    await waitFor(() => expect(fake.apps.get('app-1')!.organizer?.certificate?.type).toBe('resident_id_card'));
    expect(fake.apps.get('app-1')!.organizer?.legal_representative?.name).toBeUndefined();
  });

  it('reloads and says so when the application changed elsewhere (412)', async () => {
    const { fake, user } = start('/applications/app-1/edit', (f) => {
      f.seed({ organizer: kOrganizer, websites: [kWebsite] });
    });
    await screen.findByTestId('application-form');
    // Another tab saves first.
    const stored = fake.apps.get('app-1')!;
    stored.version = 5;
    stored.organizer = { ...kOrganizer, name: '另一个标签页里的名称' };
    await user.type(screen.getByLabelText('通信地址'), '2号');
    expect(await screen.findByTestId('stale-alert', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByTestId('stale-alert').textContent).toContain('已在别处被修改');
    expect((screen.getByLabelText('主办者名称') as HTMLInputElement).value).toBe('另一个标签页里的名称');
    // The next change saves on the new version.
    await user.type(screen.getByLabelText('通信地址'), '楼');
    await waitFor(() => expect(fake.apps.get('app-1')!.version).toBe(6), { timeout: 5000 });
  });

  it('uploads the required documents with progress and ticks them off; deletes one', async () => {
    const { server, fake, user } = start('/applications/app-1/edit', (f) => {
      f.seed({ organizer: kOrganizer, websites: [kWebsite] });
    });
    await screen.findByTestId('application-form');
    await user.click(screen.getByText('上传材料'));
    const row = await screen.findByTestId('required-id_front-organizer.person_in_charge');
    expect(row.dataset.satisfied).toBe('false');
    expect(within(row).getByText('证件正面（主体负责人）')).toBeTruthy();
    let release = () => {};
    server.holdUploads = new Promise<void>((r) => (release = r));
    const input = row.querySelector('input[type=file]') as HTMLInputElement;
    expect(input.accept).toBe('image/jpeg,image/png');
    await user.upload(input, new File([new Uint8Array(4000)], 'front.png', { type: 'image/png' }));
    const progress = await screen.findByTestId('upload-id_front-organizer.person_in_charge-progress');
    await waitFor(() => expect(progress.querySelector('.ant-progress')?.getAttribute('aria-valuenow')).toBe('50'));
    release();
    await waitFor(() =>
      expect(screen.getByTestId('required-id_front-organizer.person_in_charge').dataset.satisfied).toBe('true'),
      { timeout: 5000 },
    );
    const thumb = within(screen.getByTestId('required-id_front-organizer.person_in_charge')).getByTestId('document-thumb');
    expect(thumb.getAttribute('src')).toMatch(/^\/api\/v1\/applications\/app-1\/documents\/doc-\d+$/);

    // A PDF shows as a file icon.
    const cert = screen.getByTestId('required-organizer_certificate-organizer');
    server.holdUploads = null;
    await user.upload(
      cert.querySelector('input[type=file]') as HTMLInputElement,
      new File([new Uint8Array(300)], 'licence.pdf', { type: 'application/pdf' }),
    );
    await waitFor(() => expect(within(screen.getByTestId('required-organizer_certificate-organizer')).getByTestId('document-icon')).toBeTruthy());

    // Delete after confirming.
    const doc = fake.documents.get('app-1')![0];
    await user.click(screen.getByTestId(`document-delete-${doc.id}`));
    await user.click(await screen.findByTestId('document-delete-ok'));
    await waitFor(() =>
      expect(screen.getByTestId('required-id_front-organizer.person_in_charge').dataset.satisfied).toBe('false'),
      { timeout: 5000 },
    );
    expect(fake.documents.get('app-1')!.map((d) => d.kind)).toEqual(['organizer_certificate']);
  });

  it('shows the server error for a refused upload', async () => {
    const { user } = start('/applications/app-1/edit', (f) => {
      f.seed({ organizer: kOrganizer, websites: [kWebsite] });
    });
    await screen.findByTestId('application-form');
    await user.click(screen.getByText('上传材料'));
    const row = await screen.findByTestId('required-id_back-organizer.person_in_charge');
    const input = row.querySelector('input[type=file]') as HTMLInputElement;
    // The accept attribute is only a hint; a PDF that gets through is refused by the server.
    fireEvent.change(input, { target: { files: [new File([new Uint8Array(10)], 'x.pdf', { type: 'application/pdf' })] } });
    expect((await screen.findByTestId('upload-id_back-organizer.person_in_charge-error')).textContent).toContain(
      '不能是 PDF',
    );
  });

  it('submits with an Idempotency-Key after showing the 422 findings, then opens the detail', async () => {
    const { server, fake, user } = start('/applications/app-1/edit', (f) => {
      f.seed({ organizer: kOrganizer, websites: [kWebsite] });
    });
    await screen.findByTestId('application-form');
    await user.click(screen.getByText('检查并提交'));
    await screen.findByTestId('step-check');
    await waitFor(() => expect(screen.getByTestId('check-not-ready').textContent).toContain('还缺少 3 份材料'));
    await user.click(screen.getByTestId('submit-application'));
    const error = await screen.findByTestId('submit-error');
    expect(error.textContent).toContain('申请暂不能提交');
    const details = within(error).getByTestId('submit-error-details').textContent;
    expect(details).toContain('缺少材料：主办单位证件（主办者）');
    expect(details).toContain('缺少材料：证件正面（主体负责人）');
    expect(details).toContain('缺少材料：证件反面（主体负责人）');
    expect(fake.apps.get('app-1')!.state).toBe('draft');

    // Upload what is missing behind the page's back, then submit.
    const docs = fake.documents.get('app-1')!;
    for (const [kind, subject] of [
      ['organizer_certificate', 'organizer'],
      ['id_front', 'organizer.person_in_charge'],
      ['id_back', 'organizer.person_in_charge'],
    ]) {
      docs.push({ id: `d-${kind}`, kind, subject, size: 1, content_type: 'image/png', sha256: '', file_name: `${kind}.png`, width: 800, height: 600, uploader_id: 'u', created_at: 0 });
    }
    await user.click(screen.getByTestId('submit-application'));
    const detail = await screen.findByTestId('application-detail', {}, { timeout: 5000 });
    expect(detail.dataset.state).toBe('preliminary_review');
    const submits = calls(server, 'POST', /\/submit$/);
    expect(submits).toHaveLength(2);
    // A refused attempt is over: the second is a new one, with its own key.
    expect(submits[1].headers['Idempotency-Key']).not.toBe(submits[0].headers['Idempotency-Key']);
    expect(await screen.findByText('提交初审')).toBeTruthy();
  });

  it('asks for the Beian SN and ICP password when the filing type needs them', async () => {
    const { fake, user } = start('/applications/app-1/edit', (f) => {
      const a = f.seed({ organizer: { ...kOrganizer, name: '已备案主体' }, websites: [kWebsite] });
      for (const [kind, subject] of [
        ['organizer_certificate', 'organizer'],
        ['id_front', 'organizer.person_in_charge'],
        ['id_back', 'organizer.person_in_charge'],
      ]) {
        f.documents.get(a.id)!.push({ id: `d-${kind}`, kind, subject, size: 1, content_type: 'image/png', sha256: '', file_name: 'x.png', width: 1, height: 1, uploader_id: 'u', created_at: 0 });
      }
    });
    await screen.findByTestId('application-form');
    await waitFor(() => expect(screen.getByTestId('filing-type').textContent).toBe('新增网站'));
    await user.click(screen.getByText('检查并提交'));
    await screen.findByTestId('credentials');
    expect(screen.getByTestId('check-ready')).toBeTruthy();
    await user.click(screen.getByTestId('submit-application'));
    await waitFor(() => expect(itemOf('beian_sn').textContent).toContain('此项为必填项'));
    expect(fake.apps.get('app-1')!.state).toBe('draft');
    await user.type(screen.getByLabelText('主体备案号'), '京ICP备12345678号');
    await user.type(screen.getByLabelText('备案密码'), 'wrong-lantern-9');
    await user.click(screen.getByTestId('submit-application'));
    await waitFor(() => expect(itemOf('icp_password').textContent).toContain('备案号或 ICP 密码不正确'));
    expect(fake.apps.get('app-1')!.state).toBe('draft');
    await user.clear(screen.getByLabelText('备案密码'));
    await user.type(screen.getByLabelText('备案密码'), 'zh-lantern-river-7');
    await user.click(screen.getByTestId('submit-application'));
    await screen.findByTestId('application-detail', {}, { timeout: 5000 });
    expect(fake.writes.at(-1)?.body).toEqual({ beian_sn: '京ICP备12345678号', icp_password: 'zh-lantern-river-7' });
  });

  it('highlights a returned application\u2019s flagged fields until they change, and resubmits', async () => {
    const { fake, user } = start('/applications/app-1/edit', (f) => {
      const a = f.seed({ organizer: kOrganizer, websites: [{ ...kWebsite, name: '随便什么网站' }] });
      for (const [kind, subject] of [
        ['organizer_certificate', 'organizer'],
        ['id_front', 'organizer.person_in_charge'],
        ['id_back', 'organizer.person_in_charge'],
      ]) {
        f.documents.get(a.id)!.push({ id: `d-${kind}`, kind, subject, size: 1, content_type: 'image/png', sha256: '', file_name: 'x.png', width: 1, height: 1, uploader_id: 'u', created_at: 0 });
      }
      f.transition(a.id, 'preliminary_review', 'submit', [], 'applicant');
      f.transition(a.id, 'returned', 'reject', [
        { field: 'websites[0].name', code: 'name_unrelated', message: '请使用与主办者相关的名称' },
        { field: 'documents.id_front:organizer.person_in_charge', code: 'document_unclear', message: '' },
      ]);
    });
    await screen.findByTestId('application-form');
    expect(screen.getByRole('heading', { name: /修改被退回的备案/ })).toBeTruthy();
    expect(screen.getByTestId('returned-banner').textContent).toContain('网站名称与主办单位无关联 — 请使用与主办者相关的名称');
    await user.click(screen.getByText('网站信息'));
    await waitFor(() => expect(notes('websites[0].name')).toContain('退回原因：网站名称与主办单位无关联 — 请使用与主办者相关的名称'));
    expect(itemOf('websites[0].name').className).toContain('ant-form-item-has-warning');

    await user.clear(screen.getByLabelText('网站名称'));
    await user.type(screen.getByLabelText('网站名称'), '北京示例科技官网');
    await waitFor(() => expect(notes('websites[0].name')).toBeNull());
    await user.click(screen.getByText('上传材料'));
    expect((await screen.findAllByTestId('doc-flagged'))[0].textContent).toContain('证件图片不清晰或不完整');
    await user.click(screen.getByText('检查并提交'));
    const button = await screen.findByTestId('submit-application');
    expect(button.textContent).toBe('重新提交');
    await waitFor(() => expect(fake.apps.get('app-1')!.websites?.[0].name).toBe('北京示例科技官网'), { timeout: 5000 });
    await user.click(button);
    await screen.findByTestId('application-detail', {}, { timeout: 5000 });
    expect(fake.events.get('app-1')!.at(-1)?.event).toBe('resubmit');
  });

  it('does not offer the form for an application under review', async () => {
    start('/applications/app-1/edit', (f) => f.seed({ organizer: kOrganizer, state: 'preliminary_review' }));
    expect((await screen.findByTestId('not-editable')).textContent).toContain('初审中');
  });
});

describe('the detail page', () => {
  it('shows the fields, the SLA deadline and the timeline with reasons; withdraws after confirming', async () => {
    const { fake, user } = start('/applications/app-1', (f) => {
      const a = f.seed({ organizer: kOrganizer, websites: [kWebsite] });
      f.transition(a.id, 'preliminary_review', 'submit', [], 'applicant');
      f.transition(a.id, 'returned', 'reject', [{ field: 'organizer.name', code: 'info_mismatch', message: '与执照不一致' }]);
      f.transition(a.id, 'preliminary_review', 'resubmit', [], 'applicant');
    });
    const detail = await screen.findByTestId('application-detail');
    expect(detail.dataset.state).toBe('preliminary_review');
    expect(screen.getByTestId('detail-organizer').textContent).toContain('北京示例科技有限公司');
    expect(screen.getByTestId('sla-deadline').textContent).not.toBe('—');
    await waitFor(() => expect(screen.getAllByTestId('timeline-event')).toHaveLength(4));
    const events = screen.getAllByTestId('timeline-event');
    expect(events.map((e) => e.dataset.event)).toEqual(['create', 'submit', 'reject', 'resubmit']);
    expect(events[2].textContent).toContain('初审退回');
    expect(events[2].textContent).toContain('初审员');
    expect(events[2].textContent).toContain('主办者名称：填写信息与证件不一致 — 与执照不一致');

    await user.click(screen.getByTestId('withdraw'));
    expect(fake.apps.get('app-1')!.state).toBe('preliminary_review');
    await user.click(await screen.findByTestId('withdraw-ok'));
    await waitFor(() => expect(screen.getByTestId('application-detail').dataset.state).toBe('withdrawn'));
    expect(fake.apps.get('app-1')!.state).toBe('withdrawn');
    expect(screen.queryByTestId('withdraw')).toBeNull();
  });

  it('requests the backdrop with the fields checked like the server does', async () => {
    const { server, fake, user } = start('/applications/app-1', (f) => {
      f.seed({ organizer: kOrganizer, websites: [kWebsite], state: 'verification' });
    });
    await screen.findByTestId('backdrop-form');
    // Filled in from the organizer's person in charge.
    expect((screen.getByLabelText('收件人') as HTMLInputElement).value).toBe('张三');
    await user.clear(screen.getByLabelText('收件人'));
    await user.type(screen.getByLabelText('收件人'), '张');
    await user.clear(screen.getByLabelText('收件人手机号码'));
    await user.type(screen.getByLabelText('收件人手机号码'), '12345');
    await user.clear(screen.getByLabelText('收件地址'));
    await user.type(screen.getByLabelText('收件地址'), '北京');
    await user.click(screen.getByTestId('backdrop-submit'));
    await waitFor(() => expect(itemOf('backdrop-recipient').textContent).toContain('收件人为 2–30 个字符'));
    expect(itemOf('backdrop-mobile').textContent).toContain('请输入有效的中国大陆手机号码');
    expect(itemOf('backdrop-address').textContent).toContain('地址为 8–200 个字符');
    expect(calls(server, 'POST', /\/backdrop$/)).toHaveLength(0);

    await user.type(screen.getByLabelText('收件人'), '三');
    await user.clear(screen.getByLabelText('收件人手机号码'));
    await user.type(screen.getByLabelText('收件人手机号码'), '+86 138 0013 8000');
    await user.type(screen.getByLabelText('收件地址'), '市海淀区中关村大街1号');
    await user.click(screen.getByTestId('backdrop-submit'));
    await waitFor(() => expect(screen.getByTestId('application-detail').dataset.state).toBe('backdrop_requested'));
    expect(fake.apps.get('app-1')!.backdrop).toMatchObject({
      recipient: '张三',
      mobile: '13800138000',
      address: '北京市海淀区中关村大街1号',
    });
    expect(screen.getByTestId('backdrop-waiting')).toBeTruthy();
  });

  it('puts a server refusal of the backdrop beside its field', async () => {
    const { server, user } = start('/applications/app-1', (f) => {
      f.seed({ organizer: kOrganizer, websites: [kWebsite], state: 'verification' });
    });
    await screen.findByTestId('backdrop-form');
    // The server has the last word (here: a number the client accepts but the server does not).
    server.handlers.unshift((req) =>
      req.path.endsWith('/backdrop')
        ? new Response(
            JSON.stringify({
              error: {
                code: 'validation_failed',
                message: 'invalid',
                details: [{ field: 'mobile', code: 'invalid_mobile', message: 'not a mobile' }],
              },
            }),
            { status: 422, headers: { 'Content-Type': 'application/json' } },
          )
        : null,
    );
    await user.click(screen.getByTestId('backdrop-submit'));
    await waitFor(() => expect(itemOf('backdrop-mobile').textContent).toContain('请输入有效的中国大陆手机号码'));
  });

  it('shows the shipment, takes the verified photo and hands it in; shows a rejected photo\u2019s reasons', async () => {
    const { fake, user } = start('/applications/app-1', (f) => {
      const a = f.seed({
        organizer: kOrganizer,
        websites: [kWebsite],
        state: 'backdrop_shipped',
        backdrop: {
          recipient: '张三',
          mobile: '13800138000',
          address: '北京市海淀区中关村大街1号',
          requested_at: '2026-12-02T08:00:00.000Z',
          carrier: '顺丰速运',
          tracking_number: 'SF1234567890',
          shipped_at: '2026-12-03T08:00:00.000Z',
        },
      });
      f.events.get(a.id)!.push({
        seq: 2,
        event: 'reject_photo',
        actor_id: 'r',
        role: 'reviewer',
        from: 'photo_uploaded',
        to: 'backdrop_shipped',
        reasons: [{ field: 'photo', code: 'photo_nonconforming', message: '背景不是幕布' }],
        sla: null,
        sla_deadline: null,
        at: '2026-12-04T08:00:00.000Z',
      });
    });
    await screen.findByTestId('photo-step');
    expect(screen.getByTestId('backdrop-carrier').textContent).toBe('顺丰速运');
    expect(screen.getByTestId('backdrop-tracking').textContent).toBe('SF1234567890');
    expect((await screen.findByTestId('photo-rejected')).textContent).toContain('核验照片不符合要求（须使用幕布、本人正面免冠、背景完整） — 背景不是幕布');
    expect((screen.getByTestId('photo-submit') as HTMLButtonElement).disabled).toBe(true);
    const input = screen.getByTestId('photo-step').querySelector('input[type=file]') as HTMLInputElement;
    await user.upload(input, new File([new Uint8Array(2000)], 'photo.jpg', { type: 'image/jpeg' }));
    await waitFor(() => expect(screen.getByTestId('photo-preview')).toBeTruthy(), { timeout: 5000 });
    await waitFor(() => expect((screen.getByTestId('photo-submit') as HTMLButtonElement).disabled).toBe(false));
    await user.click(screen.getByTestId('photo-submit'));
    await waitFor(() => expect(screen.getByTestId('application-detail').dataset.state).toBe('photo_uploaded'));
    expect(fake.apps.get('app-1')!.state).toBe('photo_uploaded');
    expect(screen.getByTestId('photo-waiting')).toBeTruthy();
  });

  it('says when the application is ready for the authority, in English too', async () => {
    window.localStorage.setItem(kLanguageStorageKey, 'en');
    start('/applications/app-1', (f) => f.seed({ organizer: kOrganizer, state: 'photo_accepted' }));
    expect((await screen.findByTestId('photo-accepted')).textContent).toContain('ready for the authority');
    expect(screen.getByTestId('state-tag').textContent).toBe('Ready for the authority');
  });

  it('shows the hand-over to the authority while it is under way', async () => {
    start('/applications/app-1', (f) =>
      f.seed({
        organizer: kOrganizer,
        state: 'photo_accepted',
        authority: {
          submission_id: 'app-1.1',
          authority_submission_id: null,
          state: 'handing_over',
          updated_at: '2026-12-06T08:00:00.000Z',
        },
      }),
    );
    const status = await screen.findByTestId('authority-status');
    expect(status.dataset.authorityState).toBe('handing_over');
    expect(status.textContent).toContain('正在提交管局');
    expect(status.textContent).toContain('自动重试');
  });

  it('sends the persons in charge to the authority\u2019s SMS verification page, in both languages', async () => {
    const seed = (f: FakeApplications) =>
      f.seed({
        organizer: kOrganizer,
        websites: [kWebsite],
        state: 'authority_review',
        authority: {
          submission_id: 'app-1.1',
          authority_submission_id: 'sub-7',
          state: 'sms_verification',
          updated_at: '2026-12-06T08:00:00.000Z',
        },
      });
    const config: AppConfig = { ...kAgent, authority_public_url: 'http://127.0.0.1:8090' };
    const { i18n } = start('/applications/app-1', seed, config);
    const status = await screen.findByTestId('authority-status');
    expect(status.dataset.authorityState).toBe('sms_verification');
    expect(status.textContent).toContain('管局已向负责人的手机发送短信验证码');
    expect(status.textContent).toContain('24 小时');
    const link = screen.getByTestId('authority-verify-link') as HTMLAnchorElement;
    expect(link.href).toBe('http://127.0.0.1:8090/verify');
    expect(link.textContent).toBe('打开管局短信核验页面');
    expect(screen.getByTestId('authority-reference').textContent).toContain('sub-7');
    expect(screen.getByTestId('state-tag').textContent).toBe('管局审核中');
    await i18n.changeLanguage('en');
    await waitFor(() =>
      expect(screen.getByTestId('authority-status').textContent).toContain(
        'The authority has sent verification codes by SMS to the persons in charge',
      ),
    );
    expect(screen.getByTestId('authority-verify-link').textContent).toBe(
      'Open the authority\'s SMS verification page',
    );
  });

  it('leaves the link out when the server names no authority, and shows the review stage', async () => {
    start('/applications/app-1', (f) =>
      f.seed({
        organizer: kOrganizer,
        state: 'authority_review',
        authority: {
          submission_id: 'app-1.1',
          authority_submission_id: 'sub-7',
          state: 'sms_verification',
          updated_at: '2026-12-06T08:00:00.000Z',
        },
      }),
    );
    await screen.findByTestId('authority-status');
    expect(screen.queryByTestId('authority-verify-link')).toBeNull();
  });

  it('says when the authority is reviewing', async () => {
    window.localStorage.setItem(kLanguageStorageKey, 'en');
    start('/applications/app-1', (f) =>
      f.seed({
        organizer: kOrganizer,
        state: 'authority_review',
        authority: {
          submission_id: 'app-1.1',
          authority_submission_id: 'sub-7',
          state: 'under_review',
          updated_at: '2026-12-06T08:00:00.000Z',
        },
      }),
    );
    const status = await screen.findByTestId('authority-status');
    expect(status.dataset.authorityState).toBe('under_review');
    expect(status.textContent).toContain('Under review by the authority');
    expect(status.textContent).toContain('20 working days');
  });

  it('shows the subject SN and each website\u2019s SN once approved', async () => {
    const second = { ...kWebsite, name: '示例商城', domains: ['beian-shop.cn'] };
    start('/applications/app-1', (f) =>
      f.seed({
        organizer: kOrganizer,
        websites: [kWebsite, second],
        state: 'approved',
        beian: {
          subject_sn: '京ICP备2026000123号',
          // By name (the first) and by domain (the second): the agent stores both keys.
          website_sns: { 示例科技官网: '京ICP备2026000123号-1', 'beian-shop.cn': '京ICP备2026000123号-2' },
        },
        authority: {
          submission_id: 'app-1.1',
          authority_submission_id: 'sub-7',
          state: 'approved',
          updated_at: '2026-12-06T08:00:00.000Z',
        },
      }),
    );
    const approved = await screen.findByTestId('approved');
    expect(approved.textContent).toContain('备案已通过');
    expect(screen.getByTestId('subject-sn').textContent).toBe('京ICP备2026000123号');
    expect(screen.getAllByTestId('website-sn').map((e) => e.textContent)).toEqual([
      '京ICP备2026000123号-1',
      '京ICP备2026000123号-2',
    ]);
    expect(approved.textContent).toContain('网站备案号 · 示例商城');
  });

  it('shows the authority\u2019s reasons on a returned application, with their texts', async () => {
    start('/applications/app-1', (f) => {
      const a = f.seed({
        organizer: kOrganizer,
        websites: [kWebsite],
        state: 'authority_review',
        authority: {
          submission_id: 'app-1.1',
          authority_submission_id: 'sub-7',
          state: 'rejected',
          updated_at: '2026-12-06T08:00:00.000Z',
        },
      });
      f.transition(
        a.id,
        'returned',
        'authority_reject',
        [
          { field: 'websites[0].name', code: 'website_name_noncompliant', message: '名称含“中国”' },
          { field: 'organizer.person_in_charge.name', code: 'person_mismatch', message: '' },
        ],
        'system',
      );
    });
    const alert = await screen.findByTestId('returned-reasons');
    await waitFor(() => expect(alert.textContent).toContain('申请被管局退回'));
    expect(alert.textContent).toContain('网站名称不符合要求 — 名称含“中国”');
    expect(alert.textContent).toContain('负责人信息与证件或核验照片不一致');
    await waitFor(() => expect(screen.getAllByTestId('timeline-event').at(-1)!.textContent).toContain('管局退回'));
  });

  it('shows a reason about the whole filing without a field label (SMS verification expired)', async () => {
    window.localStorage.setItem(kLanguageStorageKey, 'en');
    start('/applications/app-1', (f) =>
      f.seed({
        organizer: kOrganizer,
        websites: [kWebsite],
        state: 'returned',
        flagged_fields: [{ field: '', code: 'sms_not_verified', message: '', changed: false }],
        authority: {
          submission_id: 'app-1.1',
          authority_submission_id: 'sub-7',
          state: 'expired',
          updated_at: '2026-12-06T08:00:00.000Z',
        },
      }),
    );
    const alert = await screen.findByTestId('returned-reasons');
    expect(alert.querySelector('li')!.textContent).toBe('The SMS verification was not completed within 24 hours');
  });

  it('answers another applicant\u2019s application with not found', async () => {
    start('/applications/app-1', (f) => f.seed({ organizer: kOrganizer }, 'someone@else.test'));
    expect((await screen.findByTestId('detail-error')).textContent).toContain('请求的内容不存在');
  });
});
