/** Makes a value on first use and returns that one thereafter: one SDK client per process. */
export function singleton<T>(create: () => T): () => T {
  let instance: T | undefined;
  return () => {
    instance ??= create();
    return instance;
  };
}
