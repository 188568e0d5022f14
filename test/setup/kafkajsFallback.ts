// The "kafkajs" Jest project: the same test files as the integration project, every credential
// served by the fallback client library (nodes/shared/kafka/index.ts clientLibraryFor), which stays
// selectable until KAFKAJS_FALLBACK_UNTIL. Jest gives each test file its own copy of process.env.
process.env.KAFKA_SUITE_CLIENT = 'kafkajs';
