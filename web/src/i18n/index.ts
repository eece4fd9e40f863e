// i18next set-up: zh-CN by default, English on request, the choice remembered per browser.
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './locales/zh-CN';
import en from './locales/en';

export type Language = 'zh-CN' | 'en';
export const kLanguages: Language[] = ['zh-CN', 'en'];
export const kDefaultLanguage: Language = 'zh-CN';
export const kLanguageStorageKey = 'beian.language';

export const resources = {
  'zh-CN': { translation: zhCN },
  en: { translation: en },
} as const;

export function isLanguage(value: unknown): value is Language {
  return value === 'zh-CN' || value === 'en';
}

// The remembered choice, or the default. Storage may be unavailable (private modes, tests).
export function storedLanguage(): Language {
  try {
    const v = window.localStorage.getItem(kLanguageStorageKey);
    return isLanguage(v) ? v : kDefaultLanguage;
  } catch {
    return kDefaultLanguage;
  }
}

export function rememberLanguage(lang: Language): void {
  try {
    window.localStorage.setItem(kLanguageStorageKey, lang);
  } catch {
    // Not remembered then; the switch still works for this page.
  }
}

// Creates and initialises an i18next instance (a fresh one per call, so tests stay isolated).
export function createI18n(lang: Language = storedLanguage()): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: lang,
    fallbackLng: kDefaultLanguage,
    supportedLngs: kLanguages,
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
  instance.on('languageChanged', (lng) => {
    if (typeof document !== 'undefined') document.documentElement.lang = lng;
  });
  return instance;
}

export async function switchLanguage(instance: I18n, lang: Language): Promise<void> {
  rememberLanguage(lang);
  await instance.changeLanguage(lang);
}
