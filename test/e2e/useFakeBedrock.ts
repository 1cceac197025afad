/**
 * Mocha hooks for a describe block that talks to the fake Bedrock through the real SDK: one fake
 * per block, the process env pointed at it (and nothing else that could steer the SDK), a clean
 * request log before each test. Call it at the top of the describe.
 */
import type { FakeBedrock } from '../fakes/fakeBedrock';
import { startFakeBedrock } from '../fakes/fakeBedrock';
import { isolatedFakeEnv, setEnv } from '../fakes/envScope';

/** Returns a getter for the block's fake (started before its first test). */
export function useFakeBedrock(): () => FakeBedrock {
  let fake: FakeBedrock | undefined;
  let restoreEnv: (() => void) | undefined;
  before(async () => {
    fake = await startFakeBedrock();
    restoreEnv = setEnv(isolatedFakeEnv(fake));
  });
  after(async () => {
    restoreEnv?.();
    await fake?.close();
  });
  beforeEach(() => fake?.reset());
  return () => {
    if (!fake) throw new Error('the fake Bedrock is not started: call useFakeBedrock() inside describe()');
    return fake;
  };
}
