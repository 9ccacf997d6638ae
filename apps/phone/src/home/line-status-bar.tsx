// Top left of the Home screen: the selected line's name and status (Not Connected /
// Connecting / Connected); with several lines, a menu to choose the line for outgoing calls.
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { useApp, usePhone, useStore } from '../ui/app-context.tsx';

export function LineStatusBar({ onPasswordNeeded }: { readonly onPasswordNeeded: () => void }) {
  const { t } = useI18n();
  const { stores } = useApp();
  const phone = usePhone();
  const settings = useStore(stores.settings);
  const selected = phone.lines.find((l) => l.id === settings.selectedLineId) ?? phone.lines[0];
  if (!selected) return <p className="line-status">{t('lines.noLines')}</p>;
  const status = t(`lines.status.${selected.status}` as MessageKey);
  return (
    <div className="line-status">
      <span className={`status-dot ${selected.status}`} aria-hidden="true" />
      {phone.lines.length > 1 ? (
        <label className="line-select">
          <span className="visually-hidden">{t('lines.label')}</span>
          <select
            value={selected.id}
            onChange={(e) => stores.settings.set((s) => ({ ...s, selectedLineId: e.target.value }))}
          >
            {phone.lines.map((line) => (
              <option key={line.id} value={line.id}>
                {line.name} — {t(`lines.status.${line.status}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <span className="line-name">{selected.name}</span>
      )}
      <span className="line-state" role="status" aria-label={`${selected.name}: ${status}`}>
        {status}
      </span>
      {phone.lines.some((l) => l.needsPassword) && (
        <button type="button" className="link-button" onClick={onPasswordNeeded}>
          {t('lines.passwordNeeded')}
        </button>
      )}
    </div>
  );
}
