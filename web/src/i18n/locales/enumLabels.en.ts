// The names of the closed lists in English, shared by the applicant's pages (apps.*) and the
// reviewers' (review.enum.*); the same keys as enumLabels.zh-CN.ts.
import type enumLabelsZhCN from './enumLabels.zh-CN';

type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };

const idTypes: DeepStrings<typeof enumLabelsZhCN>['id_type'] = {
  resident_id_card: 'Resident identity card',
  hk_macao_permit: 'Mainland travel permit for Hong Kong and Macao residents',
  taiwan_permit: 'Mainland travel permit for Taiwan residents',
  hk_macao_taiwan_residence_permit: 'Residence permit for Hong Kong, Macao and Taiwan residents',
  passport: 'Passport',
  foreign_permanent_resident_card: 'Foreign permanent resident ID card',
  military_officer_certificate: 'Military officer certificate',
};

// Service content that needs a pre-approval (checked by the type of enumLabelsEn, into which it
// spreads).
const licensed = {
  news: 'News',
  publishing: 'Publishing',
  education: 'Education',
  healthcare: 'Healthcare',
  drugs_devices: 'Drugs and medical devices',
  e_bulletin: 'Electronic bulletin services',
  culture: 'Culture',
  radio_film_tv: 'Radio, film and TV programmes',
  ride_hailing: 'Online ride-hailing',
};

const enumLabelsEn: DeepStrings<typeof enumLabelsZhCN> = {
  organizer_type: {
    enterprise: 'Enterprise',
    individual: 'Individual',
    government: 'Government agency',
    public_institution: 'Public institution',
    social_organization: 'Social organization',
    private_non_enterprise: 'Private non-enterprise unit',
    foundation: 'Foundation',
    law_firm: 'Law firm',
    military: 'Military unit',
  },
  id_type: idTypes,
  // Certificates of an organizer, or an identity document for an individual.
  certificate_type: {
    business_license: 'Business licence',
    organization_code_certificate: 'Organization code / USCC certificate',
    public_institution_certificate: 'Public-institution legal person certificate',
    social_organization_certificate: 'Social-organization registration certificate',
    private_non_enterprise_certificate: 'Private non-enterprise unit registration certificate',
    foundation_certificate: 'Foundation registration certificate',
    law_firm_license: 'Law firm practice licence',
    military_unit_code: 'Military unit code',
    ...idTypes,
  },
  province: {
    '11': 'Beijing',
    '12': 'Tianjin',
    '13': 'Hebei',
    '14': 'Shanxi',
    '15': 'Inner Mongolia',
    '21': 'Liaoning',
    '22': 'Jilin',
    '23': 'Heilongjiang',
    '31': 'Shanghai',
    '32': 'Jiangsu',
    '33': 'Zhejiang',
    '34': 'Anhui',
    '35': 'Fujian',
    '36': 'Jiangxi',
    '37': 'Shandong',
    '41': 'Henan',
    '42': 'Hubei',
    '43': 'Hunan',
    '44': 'Guangdong',
    '45': 'Guangxi',
    '46': 'Hainan',
    '50': 'Chongqing',
    '51': 'Sichuan',
    '52': 'Guizhou',
    '53': 'Yunnan',
    '54': 'Tibet',
    '61': 'Shaanxi',
    '62': 'Gansu',
    '63': 'Qinghai',
    '64': 'Ningxia',
    '65': 'Xinjiang',
  },
  service_content: {
    blog: 'Blog / personal space',
    other: 'Other',
    enterprise_portal: 'Company website',
    e_commerce: 'E-commerce',
    government_affairs: 'Government services',
    search: 'Search engine',
    tools: 'Tools and software',
    ...licensed,
    finance: 'Internet finance',
    forum: 'Forum / community / BBS',
    off_campus_training: 'Off-campus training',
    games: 'Online games',
    religion: 'Religion',
  },
  pre_approval: {
    ...licensed,
    internet_finance: 'Internet finance',
    off_campus_training: 'Off-campus training',
    online_games: 'Online games',
    religion: 'Religion',
  },
  document_kind: {
    organizer_certificate: 'Organizer certificate',
    id_front: 'Identity document (front)',
    id_back: 'Identity document (back)',
    authenticity_checklist: 'Authenticity check list',
    verified_photo: 'Verified photo',
    domain_certificate: 'Domain certificate',
    residence_permit: 'Residence permit',
    commitment_letter: 'Commitment letter',
    authorization_letter: 'Legal-representative authorisation letter',
    pre_approval: 'Pre-approval document',
    other: 'Other document',
  },
};

export default enumLabelsEn;
