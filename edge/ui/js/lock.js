/**
 * Auto-lock: after a while without a touch or key the screen locks and the session token is
 * dropped (the appliance also expires sessions after 10 idle minutes). The crew member logs in
 * again with their PIN and lands back where they were.
 */
const DEFAULT_LOCK_AFTER_MS = 5 * 60_000;
const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel'];

/**
 * @param {() => void} onLock
 * @returns {{ start: () => void, stop: () => void, lockAfterMs: number }}
 */
export function createAutoLock(onLock) {
  // A test or a site policy may shorten it; the appliance's own timeout is the upper bound anyway.
  const configured = Number(/** @type {any} */ (window).HEMA3N_LOCK_AFTER_MS);
  const lockAfterMs = Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_LOCK_AFTER_MS;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onLock, lockAfterMs);
  };
  return {
    lockAfterMs,
    start() {
      for (const type of ACTIVITY) window.addEventListener(type, arm, { passive: true, capture: true });
      arm();
    },
    stop() {
      for (const type of ACTIVITY) window.removeEventListener(type, arm, { capture: true });
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
