import { guardrail } from './guardrail.ts';

/** A sender's own test delivery (the route's `test_event`), unless the route calls them. */
export const testEvent = guardrail({
  refuses: {
    test_event:
      'the sender marked the delivery as a test (the route\'s `test_event`: Shopify\'s *Send test notification* and test orders, `"test": true`; Stripe\'s test mode, `"livemode": false`), and the route does not say `"test_events": "call"` (which lets a merchant ring their own phone from a test order)',
  },
  skipped: 'always',
  check: async ({ route, event }, refuse) => {
    if (route.test_events === 'call' || route.test_event === undefined) return undefined;
    if (!(await event.holds(route.test_event))) return undefined;
    return refuse(
      'test_event',
      'The sender marked this delivery as a test; the route places test deliveries only with "test_events": "call".',
    );
  },
});
