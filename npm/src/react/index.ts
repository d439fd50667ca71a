// `entry-face-sdk/react`: a hook and a component around `EntrySDK` for React 18 and 19 (a peer
// dependency, never bundled). No logic of its own: the hook keeps the SDK's state, result and error
// in React state; the component is a button and the element the overlay draws in.
import { createElement, useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { EntryUser } from '../core-types.js';
import { EntrySDKError, ErrorCode } from '../errors.js';
import type { EntrySDKOptions } from '../options.js';
import { runCheck, type Check } from '../check-runner.js';
import { EntrySDK, type EntryState } from '../sdk.js';

/** What `useEntry` gives a component. */
export interface EntryHook {
  /** The element the camera overlay is drawn in: put it on a sized `<div>`. */
  ref: RefObject<HTMLDivElement | null>;
  /** The state of the running check, or `idle`. */
  state: EntryState | 'idle';
  /** The last check's user, if it succeeded. */
  user: EntryUser | null;
  /** The last check's error, if it failed. */
  error: EntrySDKError | null;
  /** `identifyUser(register, ...)`: resolves with the user, rejects with an `EntrySDKError`. */
  identify(register?: boolean): Promise<EntryUser>;
  /** `verifyUser(entryUserId, ...)`. */
  verify(entryUserId: string): Promise<EntryUser>;
  /** Stops the running check (it fails with USER_CANCELLED). */
  cancel(): void;
}

/**
 * The SDK for `app` with `options` (fixed by the first use of `app`, as `EntrySDK.getInstance`).
 * `onState` hears every state as it happens (React may render several at once). A check still
 * running when the component unmounts is cancelled.
 */
export function useEntry(app: string, options: EntrySDKOptions = {}, onState?: (state: EntryState) => void): EntryHook {
  const ref = useRef<HTMLDivElement | null>(null);
  const running = useRef<AbortController | null>(null);
  const [state, setState] = useState<EntryState | 'idle'>('idle');
  const [user, setUser] = useState<EntryUser | null>(null);
  const [error, setError] = useState<EntrySDKError | null>(null);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const onStateRef = useRef(onState);
  onStateRef.current = onState;

  useEffect(() => () => running.current?.abort(), []);

  const run = useCallback(
    async (check: (sdk: EntrySDK, element: HTMLElement, signal: AbortSignal) => Promise<EntryUser>) => {
      const controller = new AbortController();
      running.current = controller;
      setUser(null);
      setError(null);
      const onState = (next: EntryState) => {
        setState(next);
        onStateRef.current?.(next);
      };
      const onElement: Check = (sdk, signal) => {
        if (!ref.current) throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'useEntry: ref is not on an element');
        return check(sdk, ref.current, signal);
      };
      try {
        const found = await runCheck(() => EntrySDK.getInstance(app, optionsRef.current), onElement, controller.signal, onState);
        setUser(found);
        return found;
      } catch (e) {
        setError(e as EntrySDKError);
        throw e;
      } finally {
        if (running.current === controller) running.current = null;
      }
    },
    [app],
  );

  const identify = useCallback(
    (register = false) => run((sdk, element, signal) => sdk.identifyUser(register, element, { signal })),
    [run],
  );
  const verify = useCallback(
    (entryUserId: string) => run((sdk, element, signal) => sdk.verifyUser(entryUserId, element, { signal })),
    [run],
  );
  const cancel = useCallback(() => running.current?.abort(), []);
  return { ref, state, user, error, identify, verify, cancel };
}

/** `<EntryLogin>`'s props. */
export interface EntryLoginProps {
  /** The app name. */
  app: string;
  /** SDK options (see `EntrySDKOptions`). */
  options?: EntrySDKOptions;
  /** `identify` (default) or `verify` (then `user` is who must be in front of the camera). */
  mode?: 'identify' | 'verify';
  /** For `verify`: the user's `entryUserId`. */
  user?: string;
  /** For `identify`: enrol an unknown face. */
  register?: boolean;
  /** Called on every state of a check. */
  onState?: (state: EntryState) => void;
  /** Called with the user when a check succeeds. */
  onSuccess?: (user: EntryUser) => void;
  /** Called with the error when a check fails. */
  onFailure?: (error: EntrySDKError) => void;
  /** The button's label. */
  children?: ReactNode;
  /** The overlay's size, 640x480 when absent. */
  style?: { width?: number | string; height?: number | string };
}

/** A button that runs one check, and the element the overlay draws in. */
export function EntryLogin(props: EntryLoginProps): ReactNode {
  const entry = useEntry(props.app, props.options, props.onState);
  const start = () => {
    if (props.mode === 'verify' && !props.user) {
      props.onFailure?.(new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, '<EntryLogin mode="verify"> needs a user'));
      return;
    }
    const check = props.mode === 'verify' ? entry.verify(props.user!) : entry.identify(props.register ?? false);
    check.then(props.onSuccess, (e: EntrySDKError) => props.onFailure?.(e));
  };
  const busy = entry.state !== 'idle' && entry.state !== 'success' && entry.state !== 'failure';
  return createElement(
    'div',
    { className: 'entry-login' },
    createElement('button', { type: 'button', onClick: start, disabled: busy }, props.children ?? 'Sign in with your face'),
    createElement('div', { ref: entry.ref, style: { width: 640, height: 480, ...props.style } }),
  );
}
