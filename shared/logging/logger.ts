import { Logger } from '@aws-lambda-powertools/logger';

export type { Logger };

/**
 * One logger per function. Level comes from POWERTOOLS_LOG_LEVEL. Callers never pass raw phone
 * numbers or secrets: they pass `maskPhone(...)` and secret *names*.
 */
export const createLogger = (serviceName: string): Logger => new Logger({ serviceName });
