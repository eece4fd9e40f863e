// English texts of the notification pages, spread into en.ts under `mailbox`; the shape must
// match mailbox.zh-CN.ts key for key (i18n.test.ts checks the merged catalogues).
import type mailboxZhCN from './mailbox.zh-CN';

type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };

const mailboxEn: DeepStrings<typeof mailboxZhCN> = {
  mailbox: {
    nav: {
      mailbox: 'Mailbox',
      mailbox_description:
        'The e-mails and SMS texts the system sends: without an SMTP server and SMS gateway they land here',
      mine: 'My notifications',
      mine_description: 'The e-mails and SMS texts sent to you and whether they were delivered',
      outbox: 'Notification queue',
      outbox_description: 'Failed and pending notifications: retry or cancel them',
    },
    channel: {
      email: 'E-mail',
      sms: 'SMS',
    },
    state: {
      pending: 'Pending',
      sending: 'Sending',
      sent: 'Sent',
      failed: 'Failed',
      cancelled: 'Cancelled',
    },
    common: {
      load_more: 'Load more',
      retry: 'Retry',
      refresh: 'Refresh',
      empty: 'No messages',
      to: 'To',
      time: 'Time',
      channel: 'Channel',
      state: 'State',
      attempts: 'Attempts',
      content: 'Content',
      no_subject: '(no subject)',
    },
    box: {
      title: 'Development mailbox',
      intro:
        'This deployment has no SMTP server and no SMS gateway, so every e-mail and SMS text the system sends is kept here. A real deployment sends them to the users\u2019 mailboxes and phones.',
      tab_html: 'Message (HTML)',
      tab_text: 'Plain text',
      html_frame: 'E-mail HTML preview',
      show: 'Open',
      hide: 'Close',
    },
    mine: {
      title: 'My notifications',
      intro: 'Review results and other notices reach you by e-mail and SMS; this is their record.',
    },
    outbox: {
      title: 'Notification queue',
      filter: 'State',
      all: 'All',
      last_error: 'Last error',
      next_attempt: 'Next attempt',
      retry: 'Retry',
      cancel: 'Cancel sending',
      retried: 'Queued again',
      cancelled: 'Cancelled',
    },
  },
};

export default mailboxEn;
