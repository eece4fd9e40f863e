// The step form's model: form values <-> the application JSON, where a finding's or a
// rejection's field path shows in the form (`websites[0].domains[0]` is the website's domain
// select), which step holds it, and what the field is called.
import type { TFunction } from 'i18next';
import type {
  Application,
  ApplicationInput,
  FlaggedField,
  Finding,
  Organizer,
  Person,
  Website,
} from '../../api/applications';

export interface WebsiteValues {
  name?: string;
  // One domain per website (the rules' one_domain_per_website); the JSON keeps an array.
  domain?: string;
  homepage?: string;
  service_content?: string;
  languages?: string[];
  pre_approvals?: string[];
  instance_id?: string;
  // The website's person in charge is the organizer's (the JSON then has none of its own).
  same_person?: boolean;
  person_in_charge?: Person;
}

export interface FormValues {
  organizer: Organizer;
  websites: WebsiteValues[];
}

// Certificate types per organizer type (data/rules/organizer_types.tsv).
export const kCertificatesFor: Record<string, string[]> = {
  enterprise: ['business_license'],
  individual: [
    'resident_id_card',
    'hk_macao_permit',
    'taiwan_permit',
    'hk_macao_taiwan_residence_permit',
    'passport',
    'foreign_permanent_resident_card',
    'military_officer_certificate',
  ],
  government: ['organization_code_certificate'],
  public_institution: ['public_institution_certificate', 'organization_code_certificate'],
  social_organization: ['social_organization_certificate', 'organization_code_certificate'],
  private_non_enterprise: ['private_non_enterprise_certificate', 'organization_code_certificate'],
  foundation: ['foundation_certificate', 'organization_code_certificate'],
  law_firm: ['law_firm_license', 'organization_code_certificate'],
  military: ['military_unit_code'],
};

// Website languages, named in their own language (the same in both console languages).
export const kLanguages: Array<{ value: string; label: string }> = [
  { value: 'zh-CN', label: '中文（简体）' },
  { value: 'zh-TW', label: '中文（繁體）' },
  { value: 'en', label: 'English' },
  { value: 'ja', label: '日本語' },
  { value: 'ko', label: '한국어' },
  { value: 'fr', label: 'Français' },
  { value: 'de', label: 'Deutsch' },
  { value: 'es', label: 'Español' },
  { value: 'ru', label: 'Русский' },
];

export const kEmptyWebsite: WebsiteValues = {
  languages: ['zh-CN'],
  pre_approvals: [],
  same_person: true,
};

export function emptyValues(): FormValues {
  return {
    organizer: {
      type: 'enterprise',
      certificate: { type: 'business_license' },
      person_in_charge: { id_type: 'resident_id_card' },
    },
    websites: [{ ...kEmptyWebsite }],
  };
}

// The server writes every member, empty ones as "": the form treats those as not filled in.
function withoutEmpty<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === '' || v === null || v === undefined) continue;
    out[k] = withoutEmpty(v);
  }
  return out as T;
}

// A person is given when anything but the (defaulted) document type is filled in; the server
// answers a website without its own person in charge with an empty one.
export function hasPerson(p: Person | undefined | null): boolean {
  return !!p && [p.name, p.id_number, p.mobile, p.email].some((v) => v !== undefined && v !== null && v !== '');
}

export function toValues(app: Application | ApplicationInput | null): FormValues {
  if (!app) return emptyValues();
  const org = withoutEmpty(app.organizer ?? {});
  const organizer: Organizer = {
    type: 'enterprise',
    ...org,
    certificate: { ...org.certificate },
    person_in_charge: { id_type: 'resident_id_card', ...org.person_in_charge },
  };
  if (!organizer.certificate?.type) {
    organizer.certificate = { ...organizer.certificate, type: kCertificatesFor[organizer.type ?? '']?.[0] };
  }
  const websites = (app.websites ?? []).map((site): WebsiteValues => {
    const w = withoutEmpty(site);
    const own = hasPerson(w.person_in_charge);
    return {
      name: w.name,
      domain: w.domains?.[0],
      homepage: w.homepage,
      service_content: w.service_content,
      languages: w.languages ?? [],
      pre_approvals: w.pre_approvals ?? [],
      instance_id: w.instance_id,
      same_person: !own,
      person_in_charge: own ? { id_type: 'resident_id_card', ...w.person_in_charge } : { id_type: 'resident_id_card' },
    };
  });
  return { organizer, websites: websites.length > 0 ? websites : [{ ...kEmptyWebsite }] };
}

// Strings as typed, except that empty ones are left out (a draft) or null (a merge patch, which
// clears them on the server); objects without members are left out.
function clean(value: unknown, nullEmpty: boolean): unknown {
  if (typeof value === 'string') return value === '' ? (nullEmpty ? null : undefined) : value;
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null && v !== '');
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = clean(v, nullEmpty);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length > 0 ? out : nullEmpty ? null : undefined;
  }
  return value ?? undefined;
}

const kOrganizerMembers = {
  type: '',
  name: '',
  certificate: { type: '', number: '' },
  province: '',
  address: '',
  person_in_charge: { name: '', id_type: '', id_number: '', mobile: '', email: '' },
  legal_representative: { name: '', id_type: '', id_number: '' },
};

function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined || over === null) return base;
  if (typeof base !== 'object' || base === null || typeof over !== 'object' || Array.isArray(over)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = deepMerge(out[k], v);
  return out;
}

// The application JSON of the form's values: for create (`patch` false) without empty members,
// for PATCH with null for each emptied organizer member. Websites are an array, which a merge
// patch replaces whole, so they never need nulls.
export function toInput(values: FormValues, patch: boolean): ApplicationInput {
  const websites: Website[] = (values.websites ?? []).map((w) => {
    const out: Website = {
      name: w.name,
      domains: w.domain ? [w.domain] : [],
      homepage: w.homepage,
      service_content: w.service_content,
      languages: w.languages ?? [],
      pre_approvals: w.pre_approvals ?? [],
      instance_id: w.instance_id,
    };
    if (!w.same_person && w.person_in_charge) out.person_in_charge = w.person_in_charge;
    return (clean(out, false) as Website | undefined) ?? {};
  });
  // A patch names every member the form edits, so that one the form no longer holds (a cleared
  // select, the legal representative of an organizer who became an individual) is cleared.
  const source = patch ? deepMerge(kOrganizerMembers, values.organizer ?? {}) : (values.organizer ?? {});
  const organizer = clean(source, patch) as Organizer | null | undefined;
  const input: ApplicationInput = { websites };
  if (organizer) input.organizer = organizer;
  else if (patch) (input as Record<string, unknown>).organizer = null;
  return input;
}

// ---- paths ----

// The form path a server field path shows at: the domains array is one select per website.
export function formPath(field: string): string {
  return field.replace(/^(websites\[\d+\])\.domains(?:\[\d+\])?$/, '$1.domain');
}

// The step (0 organizer, 1 websites, 2 documents) where a field path is edited.
export function stepOf(field: string): number {
  if (field.startsWith('organizer') || field === 'province') return 0;
  if (field.startsWith('websites')) return 1;
  if (field.startsWith('documents') || field === 'photo') return 2;
  return 3;
}

// The value at a dotted path with [i] indices.
export function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = m[1] !== undefined ? (cur as Record<string, unknown>)[m[1]] : (cur as unknown[])[Number(m[2])];
  }
  return cur;
}

const kOrganizerLabels: Record<string, string> = {
  type: 'org_type',
  name: 'org_name',
  'certificate.type': 'cert_type',
  'certificate.number': 'cert_number',
  province: 'org_province',
  address: 'org_address',
  person_in_charge: 'pic',
  'person_in_charge.name': 'pic_name',
  'person_in_charge.id_type': 'pic_id_type',
  'person_in_charge.id_number': 'pic_id_number',
  'person_in_charge.mobile': 'pic_mobile',
  'person_in_charge.email': 'pic_email',
  legal_representative: 'legal_rep',
  'legal_representative.name': 'legal_rep_name',
  'legal_representative.id_type': 'legal_rep_id_type',
  'legal_representative.id_number': 'legal_rep_id_number',
};

const kWebsiteLabels: Record<string, string> = {
  name: 'site_name',
  domain: 'site_domain',
  homepage: 'site_homepage',
  service_content: 'site_content',
  languages: 'site_languages',
  pre_approvals: 'site_pre_approvals',
  instance_id: 'site_instance',
  person_in_charge: 'site_person',
  'person_in_charge.name': 'pic_name',
  'person_in_charge.id_type': 'pic_id_type',
  'person_in_charge.id_number': 'pic_id_number',
  'person_in_charge.mobile': 'pic_mobile',
  'person_in_charge.email': 'pic_email',
};

// What a field path is called in the form ("网站 1 · 网站名称"); the path itself when unknown.
export function fieldLabel(t: TFunction, field: string): string {
  const path = formPath(field);
  if (path.startsWith('organizer.')) {
    const key = kOrganizerLabels[path.slice('organizer.'.length)];
    if (key) return t(`apps.form.${key}`);
  }
  const m = /^websites\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (m) {
    const site = t('apps.form.website', { n: Number(m[1]) + 1 });
    const key = m[2] ? kWebsiteLabels[m[2]] : undefined;
    return key ? `${site} · ${t(`apps.form.${key}`)}` : site;
  }
  if (path === 'websites') return t('apps.form.step_websites');
  return path;
}

// ---- what each form item shows ----

export interface FieldNotes {
  errors: string[];
  warnings: string[];
  flagged: string[];
}

// Findings and still-unchanged rejection reasons by form path.
export function notesByPath(
  findings: readonly Finding[],
  flagged: readonly FlaggedField[],
  text: (f: Finding) => string,
  reason: (f: FlaggedField) => string,
): Map<string, FieldNotes> {
  const map = new Map<string, FieldNotes>();
  const at = (path: string) => {
    let n = map.get(path);
    if (!n) {
      n = { errors: [], warnings: [], flagged: [] };
      map.set(path, n);
    }
    return n;
  };
  for (const f of findings) {
    const n = at(formPath(f.field));
    (f.severity === 'error' ? n.errors : n.warnings).push(text(f));
  }
  for (const f of flagged) at(formPath(f.field)).flagged.push(reason(f));
  return map;
}

// Rejection reasons the applicant has not dealt with: not changed on the server, and the form
// still holds the value the application had when it was loaded.
export function openFlags(
  flagged: readonly FlaggedField[] | undefined,
  loaded: ApplicationInput | null,
  current: ApplicationInput,
): FlaggedField[] {
  return (flagged ?? []).filter((f) => {
    if (f.changed) return false;
    if (f.field.startsWith('documents') || f.field === 'photo') return true;
    const norm = (v: unknown) => JSON.stringify(v === '' || v === undefined ? null : v);
    return norm(valueAt(loaded, f.field)) === norm(valueAt(current, f.field));
  });
}
