// Language of the app: English or French, chosen in Settings (kept with the settings), first
// guessed from the browser. t(key, values) fills `{name}` placeholders; dates follow the language.
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import type { Language } from '../storage/app-stores.ts';
import { en, type MessageKey, type Messages } from './en.ts';
import { fr } from './fr.ts';

export const LANGUAGES: Record<Language, string> = { en: 'English', fr: 'Français' };
const CATALOGS: Record<Language, Messages> = { en, fr };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export interface I18n {
  readonly language: Language;
  readonly t: Translate;
  readonly formatDateTime: (date: string | number) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function browserLanguage(): Language {
  return navigator.language.slice(0, 2) === 'fr' ? 'fr' : 'en';
}

export function makeI18n(language: Language): I18n {
  const catalog = CATALOGS[language];
  const dateFormat = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    language,
    t: (key, values) =>
      (catalog[key] ?? en[key]).replace(/\{(\w+)\}/g, (whole, name: string) =>
        values && name in values ? String(values[name]) : whole,
      ),
    formatDateTime: (date) => dateFormat.format(new Date(date)),
  };
}

export function I18nProvider({
  language,
  children,
}: {
  readonly language: Language;
  readonly children: ReactNode;
}) {
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo(() => makeI18n(language), [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
