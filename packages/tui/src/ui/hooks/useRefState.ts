import { useCallback, useRef, useState } from 'react';

/**
 * State that key handlers read through a ref. Several keys can arrive in one chunk (fast typing,
 * a burst of ↓, a test writing "text\r"): each handler must see what the previous key left,
 * not the value of the last render.
 */
export function useRefState<T>(initial: T): [T, { readonly current: T }, (next: T | ((prev: T) => T)) => void] {
  const [value, setValue] = useState(initial);
  const ref = useRef(initial);
  const set = useCallback((next: T | ((prev: T) => T)) => {
    ref.current = typeof next === 'function' ? (next as (prev: T) => T)(ref.current) : next;
    setValue(ref.current);
  }, []);
  return [value, ref, set];
}
