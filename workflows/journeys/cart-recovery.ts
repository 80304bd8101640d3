/**
 * Cart recovery: a customer who filled a cart and left gets a reminder after an hour and, unless
 * they went on to check out, a last call after a day. Ends when they order. Written as a
 * TypeScript module to show that form: it goes through the same schema as the YAML journeys.
 */
/** What others bought with the cart's products, filled in when each email goes out. */
const recommendations = { recommendations: { basedOn: '$.trigger.data.items[*].productId', limit: 3 } };

export default {
  name: 'cart-recovery',
  version: 2,
  description: 'Reminders at 1 hour and 24 hours for a cart left behind; ends on order.placed.',
  trigger: {
    event: 'cart.updated',
    // Only carts with something in them (an EventBridge pattern on the event's data).
    filter: { total: [{ numeric: ['>', 0] }] },
  },
  entry: { reentry: { after: '1d' } },
  exit: { goals: ['order.placed'] },
  steps: [
    { id: 'first-hour', wait: { for: '1h' } },
    { id: 'reminder', send: { template: 'cart-reminder', kind: 'marketing', topic: 'offers', variables: { cart: '$.trigger.data' }, personalize: recommendations } },
    {
      id: 'rest-of-day',
      waitForEvent: {
        event: 'checkout.started',
        timeout: '23h',
        else: [{ id: 'last-call', send: { template: 'cart-last-call', kind: 'marketing', topic: 'offers', variables: { cart: '$.trigger.data' }, personalize: recommendations } }],
      },
    },
  ],
};
