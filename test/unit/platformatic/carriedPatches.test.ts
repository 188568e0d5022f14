// The patches we carry on @platformatic/kafka (nodes/shared/kafka/platformatic/load.ts), each proven
// against the library's own classes: without the patch these assertions fail.
import { loadPlatformatic, stopRetryingAuthenticationFailures } from '../../../nodes/shared/kafka/platformatic/load';

describe('carried patches on @platformatic/kafka', () => {
  const lib = loadPlatformatic();

  it('a connection failure caused by SASL authentication is not retriable (the library retried it 5 times)', () => {
    const authFailure = new lib.AuthenticationError('SASL authentication failed.');
    const connectionFailure = new lib.NetworkError('Connection to 127.0.0.1:9094 failed.', { cause: authFailure });
    // The library's retry check: retry unless some error in the chain says canRetry: false.
    expect(connectionFailure.findBy('canRetry', false)).toBe(authFailure);
  });

  it('other connection failures stay retriable', () => {
    const refused = new lib.NetworkError('Connection to 127.0.0.1:9094 failed.', { cause: new Error('connect ECONNREFUSED') });
    expect(refused.findBy('canRetry', false)).toBeNull();
    expect(new lib.NetworkError('Connection closed').findBy('canRetry', false)).toBeNull();
    // Lookups by other properties are the library's own.
    expect(refused.findBy('code', lib.NetworkError.code)).toBe(refused);
  });

  it('is applied once, however often the library is loaded', () => {
    const before = lib.NetworkError.prototype.findBy;
    stopRetryingAuthenticationFailures(lib);
    expect(lib.NetworkError.prototype.findBy).toBe(before);
  });
});
