/**
 * Splits a message into the clauses that may each ask something: sentences, lines, and the parts
 * of a list of questions joined by commas or semicolons ("how long delivery takes, whether I can
 * pay by transfer, and if ..."). The answerer searches each clause on its own to notice a message
 * that asks about several topics, which one FAQ answer cannot settle.
 */

const BOUNDARY = /[.?!;？！。…\n]+|,\s*(?:and|or|also|plus)?\s*|(?:\s|^)(?:also|plus|그리고|또한|아울러|그리고요)(?=\s)/giu;

/** The clauses of a text, trimmed, without empty ones. */
export function clausesOf(text: string): string[] {
  return text
    .split(BOUNDARY)
    .map((clause) => clause?.trim() ?? '')
    .filter((clause) => clause.length > 0);
}
