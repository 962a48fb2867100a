// The one place where the dashboard meets the footprint estimator (lib/footprint/compareLocalToCloud.ts).
// It is not in this branch yet: the page then shows local figures and a "not available" notice.
// To wire it: import compareLocalToCloud (and its country list) here and return an adapter, e.g.
//   export const footprintEstimator: FootprintEstimator | null = {
//     compare: (input) => compareLocalToCloud({ ...map input... }),
//     countries: () => COUNTRIES.map((c) => ({ code: c.code, name: c.name })),
//   };
import type { FootprintEstimator } from './footprintTypes';

export const footprintEstimator: FootprintEstimator | null = null;
