// i18next set-up. The language is the one the user chose in this browser (remembered in
// localStorage); on a first visit, the browser's own preference (zh* → zh-CN, anything else →
// en); zh-CN when the browser says nothing. Logging in applies the account's saved language.
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

// The language a browser asks for, from navigator.languages in order of preference: the
// first entry decides (Chinese of any region or script → zh-CN, any other language → en).
export function browserLanguage(
  languages: readonly string[] | undefined = typeof navigator === 'undefined'
    ? undefined
    : navigator.languages?.length
      ? navigator.languages
      : navigator.language
        ? [navigator.language]
        : undefined,
): Language {
  const first = languages?.find((l) => l.trim() !== '');
  if (!first) return kDefaultLanguage;
  return /^zh(?:$|[-_])/i.test(first.trim()) ? 'zh-CN' : 'en';
}

// The remembered choice, else the browser's preference. Storage may be unavailable (private
// modes, tests).
export function storedLanguage(): Language {
  try {
    const v = window.localStorage.getItem(kLanguageStorageKey);
    return isLanguage(v) ? v : browserLanguage();
  } catch {
    return browserLanguage();
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
