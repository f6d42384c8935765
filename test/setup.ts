// One place for the test environment: handlers log through Powertools, which stays quiet here.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_DEV = 'false';
// See infra/local/main.ts: the SDK's notice about Node 22 is noise on this Node 20 machine.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
