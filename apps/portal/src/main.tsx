// Entry point of the management portal.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { AuthProvider } from './auth.tsx';
import { I18nProvider } from './i18n/i18n.tsx';
import { ThemeProvider } from './theme/theme.tsx';
import { AnnouncerProvider } from './components/announcer.tsx';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <ThemeProvider>
        <AnnouncerProvider>
          <AuthProvider>
            <App />
          </AuthProvider>
        </AnnouncerProvider>
      </ThemeProvider>
    </I18nProvider>
  </StrictMode>,
);
