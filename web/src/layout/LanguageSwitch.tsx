// The header's language menu. The choice is stored per browser and antd's locale follows it
// (see App.tsx).
import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isLanguage, kLanguages, switchLanguage, type Language } from '../i18n';

const kLabelKey: Record<Language, string> = { 'zh-CN': 'lang.zh', en: 'lang.en' };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current: Language = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [current],
        items: kLanguages.map((lang) => ({
          key: lang,
          label: <span data-testid={`lang-option-${lang}`}>{t(kLabelKey[lang])}</span>,
        })),
        onClick: ({ key }) => {
          if (isLanguage(key)) void switchLanguage(i18n, key);
        },
      }}
    >
      <Button
        type="text"
        className="console-header-button"
        icon={<GlobalOutlined />}
        aria-label={t('lang.switch_label')}
        data-testid="lang-switch"
      >
        <span className="lang-switch-label">{t(kLabelKey[current])}</span>
      </Button>
    </Dropdown>
  );
}
