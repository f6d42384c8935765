import { describe, expect, it } from 'vitest';
import { measureRequestsPerCall, PATH_STEPS } from '../../bench/requests-per-call.ts';

describe("The bench's DynamoDB requests per placed call", () => {
  it('lists one call’s requests in the order of its path, and counts each call’s', async () => {
    const measured = await measureRequestsPerCall(3);

    const steps = measured.path.map((request) => PATH_STEPS.indexOf(request.step));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    // Stored before it is acknowledged, whatever else the path does.
    expect(measured.path).toContainEqual(
      expect.objectContaining({ step: 'ingest', kind: 'PutItem', table: 'calls', refused: false }),
    );
    // The event's payload, kept beside the call while its message is queued, is counted: one
    // put of one write unit, no index's.
    expect(
      measured.path.filter((request) => request.step === 'ingest, beside the enqueue'),
    ).toEqual([
      expect.objectContaining({
        kind: 'PutItem',
        table: 'calls',
        writeUnits: 1,
        indexWriteUnits: 0,
        key: expect.stringMatching(/^c_[0-9a-f]{32}#event$/),
      }),
    ]);
    expect(measured.path.some((request) => request.step === 'dispatch')).toBe(true);
    // Dispatch decides on the record its message carries, and the reply's limits on the budget
    // its reservation returned: no read on the way.
    expect(measured.path.map((request) => request.kind)).not.toContain('GetItem');
    expect(measured.calls_on_path).toBeGreaterThanOrEqual(1);
    expect(measured.to_call_api).toBeLessThanOrEqual(measured.per_call);
    // The calls that took the common path count it exactly; the others count what they made.
    expect(measured.per_call).toBeGreaterThanOrEqual(
      (measured.path.length * measured.calls_on_path) / measured.calls,
    );
  });

  it('makes no kept event’s put on a route with keep_event false', async () => {
    const measured = await measureRequestsPerCall(2, { keepEvent: false });

    expect(measured.path.map((request) => request.step)).not.toContain(
      'ingest, beside the enqueue',
    );
    expect(measured.path.some((request) => /#event$/.test(request.key ?? ''))).toBe(false);
    expect(measured.path).toContainEqual(
      expect.objectContaining({ step: 'ingest', kind: 'PutItem', table: 'calls', refused: false }),
    );
  });
});
