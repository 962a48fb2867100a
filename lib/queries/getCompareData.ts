// The Compare page's data: lib/records' read.
export * from '../records/getCompareData';
