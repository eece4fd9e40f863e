// English texts of the provider console's public "is it filed?" page (spread into en.ts); the
// same keys as filed.zh-CN.ts.
import type filedZhCN from './filed.zh-CN';

type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };

const filedEn: DeepStrings<typeof filedZhCN> = {
  filed: {
    title: 'Is this domain filed?',
    intro:
      'Enter a domain (www. or a subdomain, Chinese or punycode all work) to see whether its registrable domain has an ICP filing. No sign-in needed.',
    label: 'Domain',
    placeholder: 'e.g. www.example.com.cn',
    search: 'Check',
    required: 'Enter a domain',
    invalid: 'That is not a valid domain name. Please check it and try again',
    filed: '{{domain}} is filed',
    not_filed: 'No filing found for {{domain}}',
    field: {
      website_sn: 'Website Beian number',
      subject_sn: 'Subject Beian number',
      organizer_name: 'Organizer',
      organizer_type: 'Organizer type',
      website_name: 'Website name',
      approved_at: 'Approved on',
    },
  },
};

export default filedEn;
