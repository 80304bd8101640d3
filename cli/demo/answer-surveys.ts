/**
 * The demo's customers answer the satisfaction surveys in their inbox as people do: most of them,
 * one click on a score, mostly satisfied. The clicks go to the survey links the emails carry.
 */
import type { LocalCloud } from '#local/local-cloud.ts';
import { Random } from './random.ts';

const SCORES: readonly (readonly [number, number])[] = [
  [5, 45],
  [4, 30],
  [3, 15],
  [2, 6],
  [1, 4],
];

/** Returns how many surveys were answered. */
export async function answerSurveys(cloud: LocalCloud, seed: number, share = 0.7): Promise<number> {
  const random = new Random(seed + 7);
  const { emails = [] } = (await (await fetch(`${cloud.sesEndpoint}/store`)).json()) as {
    emails?: { destination: { to: string[] }; subject: string; body: { text?: string } }[];
  };
  // The inbox lists emails in the order they were sent, which parallel senders vary: each draw
  // goes to the same email on every run of a seed when they are taken in a fixed order.
  const key = (email: (typeof emails)[number]) => `${email.destination.to.join(',')} ${email.subject}`;
  let answered = 0;
  for (const email of [...emails].sort((a, b) => key(a).localeCompare(key(b)))) {
    const links = [...(email.body.text ?? '').matchAll(/https?:\/\/\S+\/survey\?token=\S+&score=(\d+)/g)];
    if (links.length === 0 || !random.chance(share)) continue;
    const score = random.weighted(SCORES);
    const link = links.find((match) => Number(match[1]) === score)?.[0];
    if (!link) continue;
    const response = await fetch(link);
    if (response.ok) answered++;
  }
  await cloud.settle();
  return answered;
}
