// Simplified Chinese texts of the notification pages (development mailbox, my notifications,
// the operators' outbox), spread into zh-CN.ts under `mailbox`.
const mailboxZhCN = {
  mailbox: {
    nav: {
      mailbox: '开发邮箱',
      mailbox_description: '查看系统发出的邮件和短信：未配置 SMTP 与短信网关时都投递到这里',
      mine: '我的通知',
      mine_description: '查看发给您的邮件和短信及其投递状态',
      outbox: '通知队列',
      outbox_description: '查看投递失败或待发送的通知，重试或取消',
    },
    channel: {
      email: '邮件',
      sms: '短信',
    },
    state: {
      pending: '待发送',
      sending: '发送中',
      sent: '已发送',
      failed: '发送失败',
      cancelled: '已取消',
    },
    common: {
      load_more: '加载更多',
      retry: '重试',
      refresh: '刷新',
      empty: '暂无消息',
      to: '收件人',
      time: '时间',
      channel: '渠道',
      state: '状态',
      attempts: '尝试次数',
      content: '内容',
      no_subject: '（无主题）',
    },
    box: {
      title: '开发邮箱',
      intro:
        '当前部署未配置 SMTP 服务器和短信网关，系统发出的邮件和短信都保存在这里。真实部署中它们会发到用户的邮箱和手机。',
      tab_html: '邮件正文（HTML）',
      tab_text: '纯文本',
      html_frame: '邮件 HTML 预览',
      show: '查看',
      hide: '收起',
    },
    mine: {
      title: '我的通知',
      intro: '审核结果等通知会通过邮件和短信发给您，这里是它们的记录。',
    },
    outbox: {
      title: '通知队列',
      filter: '状态',
      all: '全部',
      last_error: '最近一次错误',
      next_attempt: '下次尝试',
      retry: '重试',
      cancel: '取消发送',
      retried: '已重新排队',
      cancelled: '已取消',
    },
  },
};

export default mailboxZhCN;
