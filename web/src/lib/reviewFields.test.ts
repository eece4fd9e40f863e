// Field paths of the review contract: names in both languages, values at a path, the list a
// rejection picks from.
import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n';
import type { Application, ApplicationDocument } from '../api/applications';
import { displayValue, fieldLabel, isSecretPath, reasonFields, valueAt } from './reviewFields';

const app = {
  id: 'a1',
  version: 1,
  state: 'preliminary_review',
  filing_type: 'first_filing',
  created_at: '',
  updated_at: '',
  state_entered_at: '',
  sla_deadline: null,
  province: '11',
  organizer: {
    type: 'enterprise',
    name: '北京示例科技有限公司',
    certificate: { type: 'business_license', number: '91110108MA01ABCD5T' },
    province: '11',
    address: '北京市海淀区',
    person_in_charge: { name: '张三', id_type: 'resident_id_card', id_number: '1101**', mobile: '138****8000', email: 'z@example.com' },
    legal_representative: { name: '', id_type: '', id_number: '' },
  },
  websites: [
    {
      name: '示例官网',
      domains: ['beian-demo.cn', 'beian-demo.com'],
      homepage: 'https://www.beian-demo.cn',
      service_content: 'enterprise_portal',
      languages: ['zh-CN'],
      pre_approvals: [],
      instance_id: 'i-1',
      person_in_charge: { name: '', id_type: '', id_number: '', mobile: '', email: '' },
    },
  ],
} as Application;

const doc = (kind: string, subject: string) =>
  ({ id: kind, kind, subject, content_type: 'image/png' }) as ApplicationDocument;

describe('review field paths', () => {
  it('names paths in both languages', () => {
    const zh = createI18n('zh-CN').t;
    const en = createI18n('en').t;
    expect(fieldLabel(zh, 'websites[0].domains[1]')).toBe('网站 1 · 域名 2');
    expect(fieldLabel(en, 'websites[0].domains[1]')).toBe('Website 1 · Domain 2');
    expect(fieldLabel(zh, 'organizer.certificate.number')).toBe('主办者 · 证件号码');
    expect(fieldLabel(en, 'organizer.person_in_charge.mobile')).toBe(
      'Organizer · Person in charge · Mobile number',
    );
    expect(fieldLabel(zh, 'documents.id_front:organizer.person_in_charge')).toBe(
      '材料：证件正面（主办者 · 负责人）',
    );
    expect(fieldLabel(en, 'photo')).toBe('Verified photo');
  });

  it('reads values at paths and shows enumerations by name', () => {
    const zh = createI18n('zh-CN').t;
    expect(valueAt(app, 'websites[0].domains[1]')).toBe('beian-demo.com');
    expect(valueAt(app, 'websites[3].name')).toBeUndefined();
    expect(valueAt(app, 'organizer.certificate.type')).toBe('business_license');
    expect(displayValue(zh, 'organizer.certificate.type', 'business_license')).toBe('营业执照');
    expect(displayValue(zh, 'organizer.province', '11')).toBe('北京');
    expect(displayValue(zh, 'websites[0].pre_approvals', [])).toBe('—');
  });

  it('lists the fields a rejection may name: present ones, then the documents', () => {
    const fields = reasonFields(
      app,
      [doc('organizer_certificate', 'organizer'), doc('verified_photo', 'organizer')],
      'preliminary',
    );
    expect(fields).toContain('organizer.person_in_charge.id_number');
    expect(fields).toContain('websites[0].domains[1]');
    // An empty legal representative or website person is not offered.
    expect(fields.some((f) => f.startsWith('organizer.legal_representative'))).toBe(false);
    expect(fields.some((f) => f.startsWith('websites[0].person_in_charge'))).toBe(false);
    expect(fields.at(-1)).toBe('documents.organizer_certificate:organizer');
    expect(fields).not.toContain('documents.verified_photo:organizer');
    expect(reasonFields(app, [], 'photo')).toEqual(['photo']);
  });

  it('knows which values are personal numbers', () => {
    expect(isSecretPath('websites[0].person_in_charge.id_number')).toBe(true);
    expect(isSecretPath('backdrop.mobile')).toBe(true);
    expect(isSecretPath('organizer.name')).toBe(false);
  });
});
