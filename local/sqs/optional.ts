/** `{ [key]: value }` when the value is defined, else `{}`: keeps absent members absent from outputs, as AWS does. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
