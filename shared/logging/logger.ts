import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';

/**
 * The keys Powertools writes on every line itself. An attribute named `level`, `message`,
 * `sampling_rate`, `service` or `timestamp` is dropped (with a "reserved key" warning), and one
 * named like the Lambda context fields overwrites them, so either way what the caller meant is
 * lost: name it `reason`, `error_message`, ... instead.
 */
export const RESERVED_LOG_KEYS = [
  'level',
  'message',
  'timestamp',
  'service',
  'sampling_rate',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'xray_trace_id',
  'tenant_id',
] as const;
type ReservedLogKey = (typeof RESERVED_LOG_KEYS)[number];

/** What a log line may carry besides its message: anything but a reserved key. */
export type LogAttributes = { [key: string]: unknown } & { [K in ReservedLogKey]?: never };

type LogMethod = (message: string, ...extra: [Error | string] | LogAttributes[]) => void;
type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'critical';

/**
 * The Powertools logger, its log methods typed so that a reserved key in an attribute object is
 * a compile error rather than a reason silently missing from the line.
 */
export type Logger = Omit<PowertoolsLogger, Level> & Record<Level, LogMethod>;

/**
 * One logger per function. Level comes from POWERTOOLS_LOG_LEVEL. Callers never pass raw phone
 * numbers or secrets: they pass `maskPhone(...)` and secret *names*.
 */
export const createLogger = (serviceName: string): Logger => new PowertoolsLogger({ serviceName });
