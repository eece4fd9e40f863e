// English texts of account confirmation and password reset (spread into en.ts); the same keys
// as confirm.zh-CN.ts.
import type confirmZhCN from './confirm.zh-CN';

type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };

const confirmEn: DeepStrings<typeof confirmZhCN> = {
  confirm: {
    banner_title: 'Please confirm your account',
    banner_text: 'Until your e-mail address and mobile are confirmed you can draft and save filing applications, but not submit them.',
    banner_email_pending: 'Open the link in the e-mail we sent to {{email}} to confirm the address.',
    banner_email_done: 'E-mail address confirmed.',
    banner_mobile_pending: 'Enter the 6-digit code we sent to your mobile.',
    banner_mobile_done: 'Mobile confirmed.',
    code_label: 'SMS code',
    code_placeholder: '6 digits',
    code_invalid: 'Enter the 6-digit code',
    code_submit: 'Confirm mobile',
    resend: 'Send the code and e-mail again',
    resent: 'Sent again: check your SMS and e-mail.',
    mobile_done: 'Your mobile is confirmed.',
    email_title: 'Confirm your e-mail address',
    email_working: 'Confirming…',
    email_done: 'Your e-mail address is confirmed.',
    email_failed: 'The e-mail address could not be confirmed',
    email_missing: 'The link is incomplete: copy the whole link from the e-mail, or sign in and send it again.',
    to_console: 'Go to the console',
    to_login: 'Back to sign-in',
    forgot_link: 'Forgot your password?',
    forgot_title: 'Forgot your password',
    forgot_intro: 'Enter the e-mail address you registered with. If it has an account, we send it a reset link (valid for 30 minutes, once).',
    forgot_submit: 'Send the reset e-mail',
    forgot_sent: 'If the address has an account, the reset e-mail is on its way.',
    reset_title: 'Set a new password',
    reset_intro: 'Every signed-in device is signed out once the new password is set; sign in again with it.',
    reset_password: 'New password',
    reset_submit: 'Set the new password',
    reset_done: 'Your password is changed: sign in with it.',
    reset_missing: 'The link is incomplete: copy the whole link from the e-mail, or ask for a new one.',
    registered: 'Registered. We sent a confirmation link to your e-mail address and a code to your mobile.',
  },
};

export default confirmEn;
