/**
 * Sample data for showing every email template: one set of variables that covers what the
 * templates use (a template takes what it needs and ignores the rest). Made up for the console:
 * a Seoul customer, an order, a cart, an offer, a support request.
 */
const ITEMS = [
  { productId: 'p-chair-01', name: 'Oak chair', quantity: 2, price: 89.5 },
  { productId: 'p-lamp-02', name: 'Desk lamp', quantity: 1, price: 39 },
];

export const TEMPLATE_SAMPLE: Readonly<Record<string, unknown>> = {
  brand: { name: 'Oak & Co', url: 'https://shop.example.com' },
  customer: { firstName: 'Mina', name: 'Mina Kim' },
  unsubscribeUrl: 'https://shop.example.com/unsubscribe?token=sample',
  preferencesUrl: 'https://shop.example.com/preferences?token=sample',
  order: { orderId: 'o-9001', items: ITEMS, total: 218, currency: 'EUR' },
  lastOrder: { orderId: 'o-9001' },
  cart: { cartId: 'cart-5521', items: ITEMS, total: 218, currency: 'EUR' },
  abandoned: 'cart.updated',
  offer: { code: 'COMEBACK15', percent: 15, expiresAt: '2027-12-31' },
  recommendations: [
    { productId: 'p-table-07', name: 'Oak side table', price: 129, currency: 'EUR' },
    { productId: 'p-cushion-03', name: 'Linen cushion', price: 24.9, currency: 'EUR' },
  ],
  payment: { orderId: 'o-9001', reason: 'card declined' },
  retryUrl: 'https://shop.example.com/checkout/retry?order=o-9001',
  shipment: { orderId: 'o-9001', carrier: 'DHL', trackingUrl: 'https://tracking.example.com/o-9001', estimatedDelivery: '2027-03-05' },
  delay: { orderId: 'o-9001', newEstimatedDelivery: '2027-03-09', reason: 'a storm held the ship' },
  product: { productId: 'p-chair-01', name: 'Oak chair' },
  request: { requestId: 'r-3141', subject: 'Where is my order?', late: false },
  sla: { dueAt: '2027-03-02T09:00:00Z' },
  answer: { title: 'Tracking your order', body: 'Every shipped order has a tracking link in its shipping email.' },
  surveyLinks: [1, 2, 3, 4, 5].map((score) => ({ score, url: `https://surveys.example.com/csat-r-3141?score=${score}` })),
  loyalty: { tier: 'gold' },
  variant: 'A',
};
