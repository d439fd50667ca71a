/**
 * `entry-face-sdk/server`: for an app's backend. Verify the assertion entry-server signed for a
 * login your page ran in server mode, then trust `claims.sub` as the user.
 *
 * ```js
 * import { verifyAssertion } from 'entry-face-sdk/server';
 *
 * app.post('/login', async (req, res) => {
 *   const { claims } = await verifyAssertion(req.body.assertion, {
 *     jwksUrl: 'https://entry.example/.well-known/jwks.json',
 *     audience: 'bank.example',
 *     nonce: req.session.entryNonce,
 *   });
 *   req.session.userId = claims.sub;
 *   res.json({ user: claims.sub, newDevice: !claims.device_known });
 * });
 * ```
 */
export { verifyAssertion } from './verify-assertion.js';
export type { VerifyAssertionOptions, VerifiedAssertion } from './verify-assertion.js';
export type { AssertionClaims, LivenessClaim, Confirmation } from '../server-types.js';
export { EntrySDKError, ErrorCode } from '../errors.js';
