import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, formatPath } from '../../src/errors.js';
import { errorBody, httpStatus } from '../../src/http/app-error.js';

describe('AppError', () => {
  it('names a nested field the way a reader writes it', () => {
    expect(formatPath(['blocks', 3, 'button', 'href'])).toBe('blocks[3].button.href');
    expect(formatPath([])).toBe('');
  });

  it('turns zod issues into 400 invalid_input with one issue per field', () => {
    const schema = z.object({ email: z.email(), tags: z.array(z.string().min(1)) });
    const result = schema.safeParse({ email: 'x', tags: [''] });
    const error = AppError.fromZod(result.error!);
    expect(httpStatus(error.code)).toBe(400);
    expect(errorBody(error).error.issues?.map((i) => i.path)).toEqual(['email', 'tags[0]']);
  });

  it('names an unknown field by its path, and a problem with the value as a whole by where it came from', () => {
    const unknown = z.strictObject({ a: z.strictObject({}) }).safeParse({ a: { surprise: 1 } });
    expect(AppError.fromZod(unknown.error!).issues).toEqual([{ path: 'a.surprise', message: 'is not a known field' }]);
    const whole = z.object({}).safeParse('text');
    expect(AppError.fromZod(whole.error!, 'query').issues?.[0]?.path).toBe('query');
  });
});
