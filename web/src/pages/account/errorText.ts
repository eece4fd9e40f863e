// The banner text of an API error for the account pages (confirmation, password reset).
import { useTranslation } from 'react-i18next';
import { globalErrorText, mapApiError } from '../../lib/errors';

export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error: unknown) => {
    const mapped = mapApiError(error, []);
    if (mapped.global) return globalErrorText(t, mapped.global);
    return Object.values(mapped.fields)
      .map((f) => f.message)
      .join(' ');
  };
}
