// One face check as the components run it: the SDK's `state` events go to a listener only while
// the check runs, and whatever it throws comes out as an `EntrySDKError`. `<entry-login>` and
// `useEntry` share it so that both report states, success and failure the same way.
import type { EntryUser } from './core-types.js';
import { EntrySDKError } from './errors.js';
import type { EntrySDK, EntryState } from './sdk.js';

/** `identifyUser` or `verifyUser` on `sdk`, stopped by `signal`. */
export type Check = (sdk: EntrySDK, signal: AbortSignal) => Promise<EntryUser>;

/**
 * Runs `check` on the SDK `sdk()` returns (called inside, so a configuration error is a failure like
 * any other), passing every state to `onState`. Resolves with the user; rejects with an `EntrySDKError`.
 */
export async function runCheck(
  sdk: () => EntrySDK,
  check: Check,
  signal: AbortSignal,
  onState: (state: EntryState) => void,
): Promise<EntryUser> {
  const listener = (e: Event) => onState((e as CustomEvent<{ state: EntryState }>).detail.state);
  let target: EntrySDK | undefined;
  try {
    target = sdk();
    target.addEventListener('state', listener);
    return await check(target, signal);
  } catch (e) {
    throw EntrySDKError.from(e);
  } finally {
    target?.removeEventListener('state', listener);
  }
}
