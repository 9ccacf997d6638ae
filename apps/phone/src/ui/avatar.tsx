// A person's round picture: their photo, else their initials, else a question mark (a caller
// who is not a contact). The yellow badge counts their notes.
import { initialsOf } from '../model/contacts.ts';
import { useI18n } from '../i18n/i18n.tsx';

export interface AvatarProps {
  readonly name: string;
  readonly picture?: string | undefined;
  readonly unknown?: boolean;
  readonly size?: number;
  readonly notes?: number;
}

function hue(name: string): number {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

export function Avatar({ name, picture, unknown, size = 56, notes = 0 }: AvatarProps) {
  const { t } = useI18n();
  return (
    <span
      className="avatar"
      style={{ width: size, height: size, fontSize: size * 0.38 }}
      aria-hidden={notes ? undefined : true}
    >
      {picture ? (
        <img src={picture} alt="" width={size} height={size} />
      ) : (
        <span
          className={unknown ? 'avatar-initials unknown' : 'avatar-initials'}
          style={unknown ? undefined : { background: `hsl(${hue(name)} 45% 38%)` }}
        >
          {unknown ? '?' : initialsOf(name)}
        </span>
      )}
      {notes > 0 && (
        <span className="avatar-badge" role="img" aria-label={t('notes.count', { count: notes })}>
          {notes}
        </span>
      )}
    </span>
  );
}
