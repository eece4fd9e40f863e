// Simplified Chinese texts of account confirmation and password reset (issue 9 item 8): the
// banner for unconfirmed accounts, /confirm-email, /forgot-password and /reset-password (spread
// into zh-CN.ts).
const confirmZhCN = {
  confirm: {
    banner_title: '请完成账号验证',
    banner_text: '验证邮箱和手机号之前，您可以填写和保存备案申请，但不能提交。',
    banner_email_pending: '请打开我们发到 {{email}} 的邮件中的链接，验证邮箱地址。',
    banner_email_done: '邮箱已验证。',
    banner_mobile_pending: '请输入发送到您手机的 6 位验证码。',
    banner_mobile_done: '手机号已验证。',
    code_label: '短信验证码',
    code_placeholder: '6 位数字',
    code_invalid: '请输入 6 位数字验证码',
    code_submit: '验证手机号',
    resend: '重新发送验证码和邮件',
    resent: '已重新发送，请查收短信和邮件。',
    mobile_done: '手机号验证成功。',
    email_title: '验证邮箱地址',
    email_working: '正在验证…',
    email_done: '邮箱地址已验证。',
    email_failed: '无法验证邮箱地址',
    email_missing: '链接不完整：请从邮件中完整复制链接，或登录后重新发送。',
    to_console: '进入控制台',
    to_login: '返回登录',
    forgot_link: '忘记密码？',
    forgot_title: '找回密码',
    forgot_intro: '输入注册时使用的邮箱地址。如果该地址有账号，我们会发送一封含重置链接的邮件（30 分钟内有效，仅可使用一次）。',
    forgot_submit: '发送重置邮件',
    forgot_sent: '如果该地址有账号，重置邮件已发送，请查收。',
    reset_title: '设置新密码',
    reset_intro: '设置新密码后，所有已登录的设备都将退出，请用新密码重新登录。',
    reset_password: '新密码',
    reset_submit: '设置新密码',
    reset_done: '密码已更新，请用新密码登录。',
    reset_missing: '链接不完整：请从邮件中完整复制链接，或重新申请重置。',
    registered: '注册成功。我们已向您的邮箱发送验证链接，并向手机发送验证码。',
  },
};

export default confirmZhCN;
