// API tokens: create (the token is shown once, with a copy button), list, revoke.
import { useState } from 'react';
import type { ApiTokenInfo, CreatedApiToken } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { useResource } from '../../api/use-resource.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { TextField } from '../../components/field.tsx';
import { Form } from '../../components/form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { LoadError, Loading } from '../../components/page.tsx';

export function TokensSection() {
  const { t, formatDateTime } = useI18n();
  const announce = useAnnounce();
  const errors = useFormErrors();
  const tokens = useResource(() => api.tokens.list(), []);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenInfo | null>(null);

  const submit = async () => {
    if (!name.trim()) {
      errors.setFields({ name: t('common.fieldRequired', { field: t('settings.tokenName') }) });
      return;
    }
    errors.clear();
    try {
      setCreated(await api.tokens.create(name.trim()));
      setName('');
      tokens.reload();
    } catch (err) {
      errors.fromError(err, ['name'], t('common.saveFailed'));
    }
  };

  return (
    <section aria-labelledby="tokens-title" className="panel">
      <h2 id="tokens-title">{t('settings.tokens')}</h2>
      <p>{t('settings.tokensIntro')}</p>
      {created ? (
        <div className="token-created">
          <p className="warning" role="status">
            {t('settings.tokenCreated', { name: created.name })}
          </p>
          <label htmlFor="new-token" className="field-label">
            {t('settings.tokenValue')}
          </label>
          <div className="copy-row">
            <input
              id="new-token"
              className="mono"
              readOnly
              value={created.token}
              onFocus={(e) => e.target.select()}
            />
            <button
              type="button"
              className="button"
              onClick={() =>
                void navigator.clipboard.writeText(created.token).then(
                  () => announce(t('common.copied')),
                  () => announce(t('common.copyFailed')),
                )
              }
            >
              {t('settings.copyToken')}
            </button>
          </div>
          <button type="button" className="button primary" onClick={() => setCreated(null)}>
            {t('settings.tokenDone')}
          </button>
        </div>
      ) : (
        <Form
          onSubmit={submit}
          errors={errors}
          submitLabel={t('settings.createToken')}
          className="inline-form"
        >
          <TextField
            label={t('settings.tokenName')}
            value={name}
            onChange={setName}
            error={errors.fields.name}
            autoComplete="off"
            required
          />
        </Form>
      )}
      {tokens.error && <LoadError message={tokens.error.message} retry={tokens.reload} />}
      {!tokens.data && !tokens.error && <Loading />}
      {tokens.data && tokens.data.items.length === 0 && <p className="empty">{t('settings.noTokens')}</p>}
      {tokens.data && tokens.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('settings.tokens')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('settings.col.name')}</th>
                <th scope="col">{t('settings.col.prefix')}</th>
                <th scope="col">{t('settings.col.created')}</th>
                <th scope="col">{t('settings.col.lastUsed')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((tok) => (
                <tr key={tok.id}>
                  <th scope="row" data-label={t('settings.col.name')}>
                    {tok.name}
                  </th>
                  <td className="mono" data-label={t('settings.col.prefix')}>
                    {tok.prefix}…
                  </td>
                  <td data-label={t('settings.col.created')}>{formatDateTime(tok.createdAt)}</td>
                  <td data-label={t('settings.col.lastUsed')}>
                    {tok.lastUsedAt ? formatDateTime(tok.lastUsedAt) : t('settings.never')}
                  </td>
                  <td className="actions" data-label={t('common.actions')}>
                    <button
                      type="button"
                      className="button small danger-outline"
                      aria-label={t('settings.revokeToken', { name: tok.name })}
                      onClick={() => setRevoking(tok)}
                    >
                      {t('settings.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking && (
        <ConfirmDialog
          title={t('settings.revokeTitle', { name: revoking.name })}
          confirmLabel={t('settings.revoke')}
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await api.tokens.revoke(revoking.id);
            announce(t('settings.revoked', { name: revoking.name }));
            setRevoking(null);
            tokens.reload();
          }}
        >
          <p>{t('settings.revokeText')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
