// The overview page: who is logged in, and links to what the console lets them do. The links
// come from the feature table (app/features.tsx), so only pages that exist are offered.
import { Card, Descriptions, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useServices } from '../app/services';
import { featuresFor, useFeatures } from '../app/features';
import { useSession } from '../auth/session';
import { roleLabel } from '../lib/roles';

export default function HomePage() {
  const { t } = useTranslation();
  const { config } = useServices();
  const session = useSession().data;
  const features = useFeatures();
  if (!session) return null;
  const { user } = session;
  const links = featuresFor(user.role, config.service, features, config.demo).filter(
    (f) => f.overview,
  );

  return (
    <div className="home-page" data-testid="home-page">
      <Typography.Title level={3} data-testid="welcome">
        {t('home.welcome', { name: user.display_name })}
      </Typography.Title>
      <Card title={t('home.profile')} className="home-card" data-testid="account-card">
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
      <Card title={t('home.features')} className="home-card">
        {links.length === 0 ? (
          <Typography.Text type="secondary" data-testid="features-none">
            {t('home.features_none')}
          </Typography.Text>
        ) : (
          <ul className="home-links" data-testid="features">
            {links.map((f) => (
              <li key={f.key}>
                <Link to={f.path} data-testid={`feature-${f.key}`}>
                  {f.icon} {t(f.titleKey)}
                </Link>
                {f.descriptionKey && (
                  <span className="home-link-description">{t(f.descriptionKey)}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
