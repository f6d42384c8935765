import * as z from 'zod';

/** Fields several schemes' `auth` settings share (config schema: classic zod). */
export const HeaderName = z.string().regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name');

export const Tolerance = z.number().int().min(1).max(86_400).default(300);
