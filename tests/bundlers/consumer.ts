// A TypeScript app checked with `strict` against the published declarations only: the types a
// developer relies on exist, and misuse is a compile error (the @ts-expect-error lines).
import { EntrySDK, EntrySDKError, ErrorCode, type EntrySDKOptions } from 'entry-face-sdk';
import { verifyAssertion } from 'entry-face-sdk/server';

const options: EntrySDKOptions = { modelsUrl: '/models/', resultDisplayMs: 0 };
const sdk: EntrySDK = EntrySDK.getInstance('typed.entry.local', options);

export async function login(element: HTMLElement): Promise<string> {
  try {
    const user = await sdk.identifyUser(true, element);
    return user.entryUserId;
  } catch (e) {
    if (e instanceof EntrySDKError && e.code === ErrorCode.USER_CANCELLED) return '';
    throw e;
  }
}

export async function backend(assertion: string): Promise<string> {
  const { claims } = await verifyAssertion(assertion, {
    jwksUrl: 'https://entry.example/.well-known/jwks.json',
    audience: 'typed.entry.local',
  });
  return claims.sub;
}

// @ts-expect-error identifyUser needs the element to draw in
void sdk.identifyUser(true);
// @ts-expect-error an unknown option is refused
EntrySDK.getInstance('typed.entry.local', { modelsURL: '/models/' });

// The React hook and component, and the custom element, typed the same way.
import { EntryLogin, useEntry, type EntryLoginProps } from 'entry-face-sdk/react';
import { defineEntryLogin, EntryLogin as EntryLoginElement } from 'entry-face-sdk/element';

export function VerifyButton(props: { user: string }) {
  const entry = useEntry('typed.entry.local', { liveness: 'passive_and_active' });
  const check: Promise<{ entryUserId: string }> = entry.verify(props.user);
  void check;
  return entry.state === 'idle' ? null : entry.error?.code;
}

export const verifyProps: EntryLoginProps = {
  app: 'typed.entry.local',
  mode: 'verify',
  user: 'user-1',
  onSuccess: (user) => console.log(user.entryUserId),
  onFailure: (error) => console.warn(error.code),
};
export const rendered = EntryLogin(verifyProps);
// @ts-expect-error mode is identify or verify
export const wrongMode: EntryLoginProps = { app: 'typed.entry.local', mode: 'login' };

defineEntryLogin();
document.querySelector<EntryLoginElement>('entry-login')?.cancel();
