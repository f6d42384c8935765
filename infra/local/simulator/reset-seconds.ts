/**
 * `minute_reset` and `day_reset` as the simulator reports them: the seconds until `at`, rounded
 * up to the provider's whole second, never 0 while the window lasts. A scaled clock (`timeScale`
 * 10: a minute lasts 6 s) scales that second too (to a tenth of a real second), so rounding costs
 * a client the same share of a window as the provider's whole seconds do of a real minute; in
 * whole real seconds it would cost up to a sixth of each 6-second minute. Still real seconds, so
 * a client waits the real time the scaled window has left.
 */
export const resetSeconds = (at: number, now: number, timeScale = 1): number => {
  const tickMs = 1000 / timeScale;
  return Math.max(1, Math.ceil((at - now) / tickMs)) / timeScale;
};
