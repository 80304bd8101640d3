import 'aws-sdk-client-mock-vitest/extend';

// Tests never reach AWS: clients get fixed dummy credentials and a region, and the local
// services they talk to are started by the tests themselves.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_DEV ??= 'false';
