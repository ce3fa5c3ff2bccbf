// The environment a test hands to the processes it starts (servers, workers):
// a clean one, so the developer's own settings cannot leak into a test, except
// for the clock. Under Debian's `faketime` (README, Tests) the moved clock
// lives in LD_PRELOAD and FAKETIME*; a server on the real clock would see the
// test's surveys as not yet open.
export function childEnv(vars: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const clock = Object.fromEntries(Object.entries(process.env).filter(([name]) => name === "LD_PRELOAD" || name.startsWith("FAKETIME")));
  const given = Object.fromEntries(Object.entries(vars).filter(([, value]) => value !== undefined));
  return { PATH: process.env.PATH ?? "", ...clock, ...given } as unknown as NodeJS.ProcessEnv;
}
