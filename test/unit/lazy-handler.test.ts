import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { lazyHandler } from '../../functions/lazy-handler.ts';

describe('lazyHandler', () => {
  it('builds again on the next invocation when a build failed, rather than failing every one', async () => {
    // A build that fails once (an SDK that could not be loaded on first use, a read that timed
    // out) must not leave the warm container failing every invocation until Lambda recycles it.
    let builds = 0;
    const handler = lazyHandler(async () => {
      builds += 1;
      if (builds === 1) throw new Error('could not load @aws-sdk/client-ssm');
      return async (event: string) => `handled ${event}`;
    });
    const context = {} as Context;

    await expect(handler('first', context)).rejects.toThrow('client-ssm');
    await expect(handler('second', context)).resolves.toBe('handled second');
    expect(builds).toBe(2);
  });
});
