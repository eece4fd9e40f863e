// Simplified Chinese texts of the provider console's public "is it filed?" page (spread into
// zh-CN.ts).
const filedZhCN = {
  filed: {
    title: '域名备案查询',
    intro: '输入域名（可带 www. 或子域名，中文域名或 punycode 均可），查询其主域名是否已备案。无需登录。',
    label: '域名',
    placeholder: '例如 www.example.com.cn',
    search: '查询',
    required: '请输入域名',
    invalid: '这不是有效的域名，请检查后重试',
    filed: '{{domain}} 已备案',
    not_filed: '{{domain}} 未查询到备案信息',
    field: {
      website_sn: '网站备案号',
      subject_sn: '主体备案号',
      organizer_name: '主办单位',
      organizer_type: '主办单位性质',
      website_name: '网站名称',
      approved_at: '审核通过日期',
    },
  },
};

export default filedZhCN;
