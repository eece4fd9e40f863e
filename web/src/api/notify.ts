// The notification API (agent service, issue 9): the development mailbox (admins; everyone in
// demo mode), the caller's own notification history, and the operators' outbox view with retry
// and cancel. Shapes follow docs/openapi.yaml.
import type { ApiClient } from './client';

export type Channel = 'email' | 'sms';
export type NotificationState = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

export interface MailboxMessage {
  id: string;
  notification_id: string;
  channel: Channel;
  to: string;
  subject: string;
  text: string;
  html: string;
  template: string;
  locale: string;
  created_at: string;
}

export interface MyNotification {
  id: string;
  channel: Channel;
  to: string;
  template: string;
  locale: string;
  state: NotificationState;
  attempts: number;
  subject: string;
  text: string;
  created_at: string;
  sent_at: string | null;
}

export interface OutboxEntry {
  id: string;
  recipient_id: string;
  channel: Channel;
  to: string;
  template: string;
  locale: string;
  state: NotificationState;
  attempts: number;
  last_error: string;
  next_attempt_at: string;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export interface NotifyPage<T> {
  items: T[];
  next_cursor: string | null;
}

function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function listMailbox(
  client: ApiClient,
  options: { limit?: number; cursor?: string | null } = {},
): Promise<NotifyPage<MailboxMessage>> {
  return client.get(`/admin/mailbox${query({ limit: options.limit, cursor: options.cursor })}`);
}

export function listMyNotifications(
  client: ApiClient,
  options: { limit?: number; cursor?: string | null } = {},
): Promise<NotifyPage<MyNotification>> {
  return client.get(`/me/notifications${query({ limit: options.limit, cursor: options.cursor })}`);
}

export function listOutbox(
  client: ApiClient,
  options: { state?: string; limit?: number; cursor?: string | null } = {},
): Promise<NotifyPage<OutboxEntry>> {
  return client.get(
    `/admin/notifications${query({ state: options.state, limit: options.limit, cursor: options.cursor })}`,
  );
}

export function retryNotification(client: ApiClient, id: string): Promise<OutboxEntry> {
  return client.post(`/admin/notifications/${encodeURIComponent(id)}/retry`);
}

export function cancelNotification(client: ApiClient, id: string): Promise<OutboxEntry> {
  return client.post(`/admin/notifications/${encodeURIComponent(id)}/cancel`);
}
