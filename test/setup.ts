// One place for the test environment: handlers log through Powertools, which stays quiet here.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_DEV = 'false';
