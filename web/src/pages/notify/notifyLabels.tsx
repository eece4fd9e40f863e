// Shared bits of the notification pages: channel and state tags.
import { Tag } from 'antd';
import { MailOutlined, MessageOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Channel, NotificationState } from '../../api/notify';

const kStateColors: Record<NotificationState, string> = {
  pending: 'gold',
  sending: 'blue',
  sent: 'green',
  failed: 'red',
  cancelled: 'default',
};

export function ChannelTag({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  return (
    <Tag icon={channel === 'sms' ? <MessageOutlined /> : <MailOutlined />} data-channel={channel}>
      {t(`mailbox.channel.${channel}`)}
    </Tag>
  );
}

export function NotificationStateTag({ state }: { state: NotificationState }) {
  const { t } = useTranslation();
  return (
    <Tag color={kStateColors[state] ?? 'default'} data-state={state}>
      {t(`mailbox.state.${state}`, { defaultValue: state })}
    </Tag>
  );
}
