// The "Which model" page's data: lib/records' read (the same as `wattbench advise`).
export { getModelAdvice, type ModelAdvice } from '../records/machineProfiles';
