// 管局侧页面的中文文案（展开到 zh-CN.ts 的 `authority` 下）：公开备案查询。
const authorityZhCN = {
  authority: {
    query: {
      title: 'ICP 备案信息查询',
      intro: '按域名、备案号或主办单位名称查询已备案的网站。无需登录。',
      kind: {
        domain: '域名',
        sn: '备案号',
        organizer: '主办单位名称',
      },
      kind_label: '查询方式',
      placeholder: {
        domain: '例如 example.com.cn',
        sn: '例如 粤ICP备2026000001号',
        organizer: '主办单位全称',
      },
      prefix: '按名称开头匹配',
      search: '查询',
      required: '请输入查询内容',
      none: '未查询到备案信息',
      more: '加载更多',
      column: {
        website_sn: '网站备案号',
        subject_sn: '主体备案号',
        organizer_name: '主办单位名称',
        organizer_type: '主办单位性质',
        website_name: '网站名称',
        domains: '网站域名',
        approved_at: '审核通过日期',
      },
      link: '公开备案查询',
    },
  },
};

export default authorityZhCN;
