// The step form's model: the server's application JSON into form values and back (empty
// members, the one-domain select, a website's own person in charge), where findings and
// rejection reasons show, and when a reason counts as dealt with.
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n';
import type { Application } from '../../api/applications';
import { fieldLabel, formPath, hasPerson, notesByPath, openFlags, stepOf, toInput, toValues } from './formModel';

const kEmptyPerson = { name: '', id_type: '', id_number: '', mobile: '', email: '' };

// What the agent answers for a fresh draft with a name and one website (every member written).
const kServed = {
  id: 'a1',
  version: 2,
  state: 'returned',
  filing_type: null,
  created_at: '',
  updated_at: '',
  state_entered_at: '',
  sla_deadline: null,
  organizer: {
    type: 'enterprise',
    name: '北京示例科技有限公司',
    certificate: { type: '', number: '' },
    province: '',
    address: '',
    person_in_charge: kEmptyPerson,
  },
  websites: [
    {
      name: '官网',
      domains: ['beian-demo.cn'],
      homepage: '',
      service_content: '',
      languages: [],
      pre_approvals: [],
      instance_id: 'i-demo-bj-001',
      person_in_charge: kEmptyPerson,
    },
  ],
} as Application;

describe('form values', () => {
  it('read the served JSON: empty members unset, defaults for the selects, no own person', () => {
    const v = toValues(kServed);
    expect(v.organizer.province).toBeUndefined();
    expect(v.organizer.certificate?.type).toBe('business_license');
    expect(v.organizer.person_in_charge?.id_type).toBe('resident_id_card');
    expect(v.websites[0].domain).toBe('beian-demo.cn');
    expect(v.websites[0].same_person).toBe(true);
    expect(hasPerson(kEmptyPerson)).toBe(false);
    expect(hasPerson({ ...kEmptyPerson, name: '李四' })).toBe(true);
  });

  it('write a draft without empty members and a patch with nulls that clear them', () => {
    const v = toValues(kServed);
    v.websites[0].same_person = false;
    v.websites[0].person_in_charge = { name: '李四', id_type: 'resident_id_card' };
    const draft = toInput(v, false);
    expect(draft.organizer).toEqual({
      type: 'enterprise',
      name: '北京示例科技有限公司',
      certificate: { type: 'business_license' },
      person_in_charge: { id_type: 'resident_id_card' },
    });
    expect(draft.websites?.[0]).toEqual({
      name: '官网',
      domains: ['beian-demo.cn'],
      languages: [],
      pre_approvals: [],
      instance_id: 'i-demo-bj-001',
      person_in_charge: { name: '李四', id_type: 'resident_id_card' },
    });
    v.organizer.address = '';
    const patch = toInput(v, true) as { organizer: Record<string, unknown> };
    expect(patch.organizer.address).toBeNull();
    v.websites[0].same_person = true;
    expect(toInput(v, true).websites?.[0].person_in_charge).toBeUndefined();
  });
});

describe('paths', () => {
  const i18n = createI18n('zh-CN');
  it('map findings onto the form and its steps, and name them', () => {
    expect(formPath('websites[1].domains[0]')).toBe('websites[1].domain');
    expect(formPath('websites[0].domains')).toBe('websites[0].domain');
    expect(formPath('organizer.name')).toBe('organizer.name');
    expect(stepOf('organizer.person_in_charge.mobile')).toBe(0);
    expect(stepOf('websites[2].name')).toBe(1);
    expect(stepOf('documents.id_front:organizer')).toBe(2);
    expect(fieldLabel(i18n.t, 'websites[1].domains[0]')).toBe('网站 2 · 域名');
    expect(fieldLabel(i18n.t, 'organizer.person_in_charge.id_number')).toBe('负责人证件号码');
    const notes = notesByPath(
      [
        { severity: 'error', field: 'websites[0].domains[0]', code: 'x', message: { 'zh-CN': '错' } },
        { severity: 'warning', field: 'websites[0].domains[0]', code: 'y', message: { 'zh-CN': '提醒' } },
      ],
      [{ field: 'websites[0].name', code: 'name_unrelated', message: '', changed: false }],
      (f) => f.message['zh-CN'] ?? '',
      (f) => f.code,
    );
    expect(notes.get('websites[0].domain')).toEqual({ errors: ['错'], warnings: ['提醒'], flagged: [] });
    expect(notes.get('websites[0].name')?.flagged).toEqual(['name_unrelated']);
  });

  it('keep a rejection reason until the server or the form says the value changed', () => {
    const flagged = [
      { field: 'organizer.address', code: 'info_mismatch', message: '', changed: false },
      { field: 'websites[0].name', code: 'name_unrelated', message: '', changed: false },
      { field: 'websites[0].domains[0]', code: 'domain_holder_mismatch', message: '', changed: true },
      { field: 'documents.id_front:organizer.person_in_charge', code: 'document_unclear', message: '', changed: false },
    ];
    const v = toValues(kServed);
    expect(openFlags(flagged, kServed, toInput(v, false)).map((f) => f.field)).toEqual([
      'organizer.address',
      'websites[0].name',
      'documents.id_front:organizer.person_in_charge',
    ]);
    v.websites[0].name = '北京示例科技官网';
    v.organizer.address = '北京市海淀区';
    expect(openFlags(flagged, kServed, toInput(v, false)).map((f) => f.field)).toEqual([
      'documents.id_front:organizer.person_in_charge',
    ]);
  });
});
