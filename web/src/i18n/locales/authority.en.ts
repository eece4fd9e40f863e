// English texts of the authority's pages (spread into en.ts); the same keys as
// authority.zh-CN.ts: the public filing query.
import type authorityZhCN from './authority.zh-CN';

type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };

const authorityEn: DeepStrings<typeof authorityZhCN> = {
  authority: {
    query: {
      title: 'ICP filing query',
      intro: 'Look up filed websites by domain, Beian number or organizer name. No sign-in needed.',
      kind: {
        domain: 'Domain',
        sn: 'Beian number',
        organizer: 'Organizer name',
      },
      kind_label: 'Search by',
      placeholder: {
        domain: 'e.g. example.com.cn',
        sn: 'e.g. 粤ICP备2026000001号',
        organizer: 'The organizer’s full name',
      },
      prefix: 'Names starting with this',
      search: 'Search',
      required: 'Enter what to look for',
      none: 'No filing found',
      more: 'Load more',
      column: {
        website_sn: 'Website Beian number',
        subject_sn: 'Subject Beian number',
        organizer_name: 'Organizer',
        organizer_type: 'Organizer type',
        website_name: 'Website name',
        domains: 'Domains',
        approved_at: 'Approved on',
      },
      link: 'Public filing query',
    },
  },
};

export default authorityEn;
