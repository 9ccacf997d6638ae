// Language and theme pickers, in the header (signed in) and on the sign-in pages.
import { LANGUAGES, useI18n, type Language } from '../i18n/i18n.tsx';
import { useTheme, type ThemeChoice } from '../theme/theme.tsx';
import { SelectField } from '../components/field.tsx';

export function Preferences() {
  const { t, language, setLanguage } = useI18n();
  const { theme, setTheme } = useTheme();
  return (
    <div className="preferences">
      <SelectField
        label={t('app.language')}
        value={language}
        onChange={(v) => setLanguage(v as Language)}
        options={Object.entries(LANGUAGES).map(([value, label]) => ({ value, label }))}
        className="compact"
      />
      <SelectField
        label={t('app.theme')}
        value={theme}
        onChange={(v) => setTheme(v as ThemeChoice)}
        options={(['system', 'light', 'dark'] as const).map((value) => ({
          value,
          label: t(`theme.${value}`),
        }))}
        className="compact"
      />
    </div>
  );
}
