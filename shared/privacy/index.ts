/** People's data rights: everything held about a customer, and forgetting them. */
export { eraseCustomer, type EraseDeps, type ErasureReport, type ErasureRequest } from './erase-customer.ts';
export { exportCustomer, type CustomerExport } from './export-customer.ts';
