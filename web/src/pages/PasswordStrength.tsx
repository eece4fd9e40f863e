// The strength hint under the register form's password box: one to five bars and a word, from the
// client-side estimate (lib/passwordStrength.ts). Nothing is shown for an empty box.
import { Progress } from 'antd';
import { useTranslation } from 'react-i18next';
import { passwordStrength } from '../lib/passwordStrength';

const kLevels = ['very_weak', 'weak', 'fair', 'strong', 'very_strong'] as const;
const kColors = ['#ff4d4f', '#fa8c16', '#fadb14', '#52c41a', '#389e0d'];

export function PasswordStrength({ password }: { password: string | undefined }) {
  const { t } = useTranslation();
  if (!password) return null;
  const { score } = passwordStrength(password);
  return (
    <div className="password-strength" data-testid="password-strength" data-score={score}>
      <Progress
        steps={5}
        percent={(score + 1) * 20}
        showInfo={false}
        strokeColor={kColors[score]}
        size={[28, 6]}
      />
      <span>{t('register.strength', { level: t(`register.strength_levels.${kLevels[score]}`) })}</span>
    </div>
  );
}
