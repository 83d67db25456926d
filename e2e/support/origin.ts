/**
 * Where the browser tests reach the app. One port per checkout lets two working copies run
 * their browser suites side by side (DRX_E2E_PORT); CI and a plain `npm test` use 4173.
 */
export const E2E_PORT = Number(process.env.DRX_E2E_PORT ?? 4173);
export const ORIGIN = `http://127.0.0.1:${E2E_PORT}`;
