// The upload endpoint's limits: body size (checked while reading, before parsing) and uploads per client address.
export const UPLOAD_MAX_BYTES = 4 * 1024 * 1024;
export const UPLOADS_PER_MINUTE = 30;
/** Progress reports are small and frequent: their own, larger allowance. */
export const PROGRESS_MAX_BYTES = 16 * 1024;
export const PROGRESS_PER_MINUTE = 240;
