// Loads data for a page: { data, error, reload, setData }. A reload keeps the current data on
// screen until the new answer arrives; answers to stale requests are dropped.
import { useCallback, useEffect, useRef, useState } from 'react';
import { RequestError } from './client.ts';

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: RequestError | undefined;
  readonly reload: () => void;
  readonly setData: (update: (current: T | undefined) => T | undefined) => void;
}

export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<RequestError | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const sequence = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const mine = ++sequence.current;
    loadRef.current().then(
      (value) => {
        if (mine !== sequence.current) return;
        setDataState(value);
        setError(undefined);
      },
      (e: unknown) => {
        if (mine !== sequence.current) return;
        setError(e instanceof RequestError ? e : new RequestError(0, 'internal_error', String(e)));
      },
    );
  }, [...deps, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const setData = useCallback(
    (update: (current: T | undefined) => T | undefined) => setDataState(update),
    [],
  );
  return { data, error, reload, setData };
}
