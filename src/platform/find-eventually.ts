// Moved to src/client (the phone's logic uses it); kept here for tests/helpers/phone-client.ts and
// tests/relay/sanctuary-replication.test.ts until they import it from there.
export { findEventually } from '../client/find-eventually.ts';
