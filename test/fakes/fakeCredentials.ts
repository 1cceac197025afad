/**
 * The test credentials the fake Bedrock knows by default. Not secrets: they sign requests to the
 * fake only, and the fake rejects anything else.
 */
import type { SigningCredentials } from './sigv4';

/** Region the fake's env announces; requests are verified against their own credential scope. */
export const FAKE_REGION = 'us-east-1';
/** Long-term test keys, valid by default. */
export const FAKE_ACCESS_KEY_ID = 'AKIAFAKEBEDROCKTEST1';
/** Secret of FAKE_ACCESS_KEY_ID. */
export const FAKE_SECRET_ACCESS_KEY = 'fakeBedrockSecret/ForTestsOnly+0123456789ab';
/** Temporary test keys: valid only with FAKE_SESSION_TOKEN. */
export const FAKE_SESSION_ACCESS_KEY_ID = 'ASIAFAKEBEDROCKTEST2';
/** Secret of FAKE_SESSION_ACCESS_KEY_ID. */
export const FAKE_SESSION_SECRET_ACCESS_KEY = 'fakeBedrockSessionSecret/ForTests+abcdef012';
/** Session token that must accompany FAKE_SESSION_ACCESS_KEY_ID. */
export const FAKE_SESSION_TOKEN = 'FwoGZXIvYXdzEFAKE//fakeBedrockSessionTokenForTestsOnly==';
/** Temporary keys the fake treats as expired (ExpiredTokenException). */
export const FAKE_EXPIRED_ACCESS_KEY_ID = 'ASIAFAKEEXPIREDTEST3';
/** Secret of FAKE_EXPIRED_ACCESS_KEY_ID (correct, so the expiry is what fails). */
export const FAKE_EXPIRED_SECRET_ACCESS_KEY = 'fakeBedrockExpiredSecret/ForTests+abcdef01';
/** Session token of FAKE_EXPIRED_ACCESS_KEY_ID. */
export const FAKE_EXPIRED_SESSION_TOKEN = 'FwoGZXIvYXdzEFAKE//fakeBedrockExpiredTokenForTestsOnly==';
/** A Bedrock API key (bearer token) the fake accepts; real keys also start with ABSK. */
export const FAKE_BEDROCK_API_KEY = 'ABSKZmFrZUJlZHJvY2tBcGlLZXlGb3JUZXN0c09ubHk=';

/** Credentials the fake knows; `expired` ones are answered with ExpiredTokenException. */
export interface FakeCredential extends SigningCredentials {
  expired?: boolean;
}

/** The three default key sets: long-term, session, expired. */
export function defaultFakeCredentials(): FakeCredential[] {
  return [
    { accessKeyId: FAKE_ACCESS_KEY_ID, secretAccessKey: FAKE_SECRET_ACCESS_KEY },
    { accessKeyId: FAKE_SESSION_ACCESS_KEY_ID, secretAccessKey: FAKE_SESSION_SECRET_ACCESS_KEY, sessionToken: FAKE_SESSION_TOKEN },
    {
      accessKeyId: FAKE_EXPIRED_ACCESS_KEY_ID,
      secretAccessKey: FAKE_EXPIRED_SECRET_ACCESS_KEY,
      sessionToken: FAKE_EXPIRED_SESSION_TOKEN,
      expired: true,
    },
  ];
}
