/**
 * First-touch and last-touch attribution: where a customer first met the brand, and what brought
 * them most recently (channel, campaign, UTM source and medium). Kept by the time of the touch, so
 * touches that arrive late or out of order still end up in the right place.
 */
export interface Touch {
  readonly channel: string;
  readonly campaign?: string;
  readonly source?: string;
  readonly medium?: string;
  readonly at: string;
}

export interface Attribution {
  readonly first: Touch;
  readonly last: Touch;
}

/** The touch an event's data describes (`campaign.touched`, `lead.captured`). */
export function touchFrom(
  data: {
    channel: string;
    campaign?: string | undefined;
    utm?: { source?: string | undefined; medium?: string | undefined; campaign?: string | undefined } | undefined;
  },
  at: string,
): Touch {
  const campaign = data.campaign ?? data.utm?.campaign;
  return {
    channel: data.channel,
    ...(campaign && { campaign }),
    ...(data.utm?.source && { source: data.utm.source }),
    ...(data.utm?.medium && { medium: data.utm.medium }),
    at,
  };
}

const earlier = (a: Touch, b: Touch): Touch => (Date.parse(b.at) < Date.parse(a.at) ? b : a);
const later = (a: Touch, b: Touch): Touch => (Date.parse(b.at) >= Date.parse(a.at) ? b : a);

export function addTouch(attribution: Attribution | undefined, touch: Touch): Attribution {
  if (!attribution) return { first: touch, last: touch };
  return { first: earlier(attribution.first, touch), last: later(attribution.last, touch) };
}

/** Two customers' attribution as one: the earliest first touch and the latest last touch. */
export function mergeAttribution(a: Attribution | undefined, b: Attribution | undefined): Attribution | undefined {
  if (!a || !b) return a ?? b;
  return { first: earlier(a.first, b.first), last: later(a.last, b.last) };
}
