// Who is signed in. Loaded once from /auth/me; a 401 from any signed-in request marks the
// session expired, which opens a sign-in dialog over the current page (nothing is lost).
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Me } from '@switchboard/contracts';
import { onUnauthenticated } from './api/client.ts';
import { api } from './api/endpoints.ts';

interface Auth {
  /** undefined while loading, null when signed out. */
  readonly user: Me | null | undefined;
  readonly expired: boolean;
  readonly signedIn: (user: Me) => void;
  readonly signOut: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { readonly children: ReactNode }) {
  const [user, setUser] = useState<Me | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    api.auth.me().then(setUser, () => setUser(null));
  }, []);

  useEffect(() => onUnauthenticated(() => setExpired(true)), []);

  const signedIn = useCallback((me: Me) => {
    setUser(me);
    setExpired(false);
  }, []);
  const signOut = useCallback(async () => {
    try {
      await api.auth.logout();
    } finally {
      setUser(null);
      setExpired(false);
    }
  }, []);
  return <AuthContext.Provider value={{ user, expired, signedIn, signOut }}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
