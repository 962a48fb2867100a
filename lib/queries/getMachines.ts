// The Machines page's data: lib/records' read.
export * from '../records/getMachines';
