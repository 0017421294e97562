// Parameter schemas several staff route files share.
import { z } from 'zod';
import { isIsoDate } from '../../casework/time.ts';

export const Id = z.object({ id: z.uuid() });
export const Version = z.number().int().min(0);
export const DateParam = z.string().refine(isIsoDate, 'a date YYYY-MM-DD');
export const bool = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');
