// The Live page's and /api/live's data: lib/records' read.
export * from '../records/getLiveRun';
