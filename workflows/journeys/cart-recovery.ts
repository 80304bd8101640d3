/**
 * Cart and checkout recovery: a customer who filled a cart, or started checking out, and placed
 * no order gets one reminder after an hour and, unless they went on to check out, a last call
 * after a day. Ends when they order. Both events start the same journey, so that one abandoned
 * purchase never gets two reminders: the cart that led to the checkout started the run, the
 * checkout is refused re-entry (counted), and the reminder speaks of the checkout when one
 * followed. Written as a TypeScript module to show that form: it goes through the same schema as
 * the YAML journeys.
 */
/** What others bought with the cart's products, filled in when each email goes out. */
const recommendations = { recommendations: { basedOn: '$.trigger.data.items[*].productId', limit: 3 } };
const reminder = (abandoned: string) => ({
  template: 'cart-reminder',
  kind: 'marketing',
  topic: 'offers',
  variables: { cart: '$.trigger.data', abandoned },
  personalize: recommendations,
});

export default {
  name: 'cart-recovery',
  version: 3,
  description: 'One reminder an hour after a cart or a checkout is left, a last call after a day; ends on order.placed.',
  trigger: {
    event: ['cart.updated', 'checkout.started'],
    // Only carts with something in them (an EventBridge pattern on the event's data).
    filter: { total: [{ numeric: ['>', 0] }] },
  },
  entry: { reentry: { after: '1d' } },
  exit: { goals: ['order.placed'] },
  steps: [
    { id: 'first-hour', wait: { for: '1h' } },
    {
      id: 'checked-out',
      branch: {
        if: { event: 'checkout.started' },
        then: [{ id: 'checkout-reminder', send: reminder('checkout.started') }],
        // Started by the cart, or by the checkout itself: the trigger says which.
        else: [{ id: 'reminder', send: reminder('$.trigger.detailType') }],
      },
    },
    {
      id: 'rest-of-day',
      waitForEvent: {
        event: 'checkout.started',
        timeout: '23h',
        else: [
          {
            id: 'last-call',
            send: { template: 'cart-last-call', kind: 'marketing', topic: 'offers', variables: { cart: '$.trigger.data' }, personalize: recommendations },
          },
        ],
      },
    },
  ],
};
