// The overview page: who is logged in and what their role lets them do.
import { Card, Descriptions, Tag, Typography } from 'antd';
import { CheckCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useServices } from '../app/services';
import { useSession } from '../auth/session';
import { abilityKeys, roleLabel } from '../lib/roles';

export default function HomePage() {
  const { t } = useTranslation();
  const { config } = useServices();
  const session = useSession().data;
  if (!session) return null;
  const { user } = session;
  const abilities = abilityKeys(user.role);

  return (
    <div className="home-page" data-testid="home-page">
      <Typography.Title level={3} data-testid="welcome">
        {t('home.welcome', { name: user.display_name })}
      </Typography.Title>
      <Card title={t('home.profile')} className="home-card">
        <Descriptions column={{ xs: 1, sm: 1, md: 2 }} bordered size="middle">
          <Descriptions.Item label={t('home.display_name')}>
            <span data-testid="user-name">{user.display_name}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('home.email')}>
            <span data-testid="user-email">{user.email}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('home.role')}>
            <Tag color="blue" data-testid="user-role" data-role={user.role}>
              {roleLabel(t, user.role)}
            </Tag>
          </Descriptions.Item>
          {user.phone ? (
            <Descriptions.Item label={t('home.phone')}>{user.phone}</Descriptions.Item>
          ) : (
            <Descriptions.Item label={t('home.service')}>
              {t(config.service === 'authority' ? 'app.console_authority' : 'app.console_agent')}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card title={t('home.abilities')} className="home-card">
        {abilities.length === 0 ? (
          <Typography.Text type="secondary">{t('home.abilities_none')}</Typography.Text>
        ) : (
          <ul className="ability-list" data-testid="abilities">
            {abilities.map((key) => (
              <li key={key}>
                <CheckCircleOutlined className="ability-icon" />
                {t(key)}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
