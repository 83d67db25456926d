import { useSyncExternalStore } from 'react';

/**
 * Whether the browser says it is online (navigator.onLine and its online/offline events).
 * "Online" only means a network interface is up; "offline" is reliable, which is what the
 * indicator needs: everything here runs locally, but a model not yet cached cannot be fetched.
 */
function subscribe(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

export function useOnline(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => navigator.onLine,
    () => true,
  );
}
