// Module resolve hooks for a function's worker (function-worker.mjs): lend the AWS SDK to a bundle
// that leaves it out and finds none above its code directory, as Lambda's Node.js runtimes provide
// theirs. Only `@aws-sdk/*` and `@smithy/*`, and only where Node's own resolution finds nothing, so
// a bundle's own copy still wins, as it does in Lambda.
let lender;

/** `data.parentURL`: a module whose node_modules hold the SDK to lend. */
export function initialize(data) {
  lender = data.parentURL;
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !/^@(?:aws-sdk|smithy)\//.test(specifier)) throw error;
    return nextResolve(specifier, { ...context, parentURL: lender });
  }
}
