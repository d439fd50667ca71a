// Generated from entry-server's Rust types by `ENTRY_BLESS=1 cargo test -p entry-server --test
// typescript_types`. Do not edit: change the Rust definition (its serde attributes decide the shape).
import type { CapturePolicy, ChallengeAction, EntryUser, LivenessMode, UseCase } from './core-types.js';

/**
 * `POST /v1/attempts`
 */

export type AttemptRequest = { 
/**
 * The app's id.
 */
app: string, 
/**
 * What the attempt is for.
 */
purpose: AttemptPurpose, 
/**
 * The user, for `verify`.
 */
userId?: string, 
/**
 * The use case the match is decided at (its target false-match rate is the app's). Default
 * `login`; `document_match` is not an attempt's.
 */
useCase?: UseCase, };

/**
 * What an attempt is for.
 */

export type AttemptPurpose = "register" | "verify" | "identify";

/**
 * The answer to `POST /v1/attempts`.
 */

export type AttemptCreated = { 
/**
 * The attempt's id.
 */
attemptId: string, 
/**
 * 32 random bytes, base64url: the evidence must carry them, once.
 */
nonce: string, 
/**
 * The challenge actions the person must perform, in order (empty without a challenge).
 */
actions: Array<ChallengeAction>, 
/**
 * Unix milliseconds after which the evidence is refused.
 */
expiresAt: number, 
/**
 * The server's HPKE public key (X25519, base64url) to encrypt the evidence to.
 */
evidenceKey: string, 
/**
 * The app's capture policy: the browser runs the same capture the server will re-run.
 */
capture: CapturePolicy, };

/**
 * The answer to a decided attempt.
 */

export type Decided = { 
/**
 * A compact JWS (EdDSA) the app's backend verifies with the server's JWKS.
 */
assertion: string, 
/**
 * The user as the SDK shows them, `assertion` included.
 */
user: EntryUser, };

/**
 * The claims of an assertion. Names follow JWT (RFC 7519) where one exists.
 */

export type AssertionClaims = { 
/**
 * `entry-server`.
 */
iss: string, 
/**
 * The app id.
 */
aud: string, 
/**
 * The user's `entryUserId`.
 */
sub: string, 
/**
 * The attempt's nonce (base64url): the one the app's page was given.
 */
nonce: string, 
/**
 * The attempt id: single use.
 */
jti: string, 
/**
 * Issued at, Unix seconds.
 */
iat: number, 
/**
 * Expires at, Unix seconds (`iat` + 300).
 */
exp: number, 
/**
 * Authentication methods: `["face"]`.
 */
amr: Array<string>, 
/**
 * The target false-match rate the match was decided at.
 */
fmr: number, 
/**
 * The liveness check.
 */
liveness: LivenessClaim, 
/**
 * Registered by this attempt.
 */
new_user: boolean, 
/**
 * The device key is one the server recorded for this user before.
 */
device_known: boolean, 
/**
 * The device key the attempt was signed with; absent without one.
 */
cnf?: Confirmation, };

/**
 * The liveness check behind an assertion.
 */

export type LivenessClaim = { 
/**
 * The app's liveness mode (`passive`, `passive_and_active`, ...).
 */
mode: LivenessMode, 
/**
 * The mean passive live probability of the capture (`null` with liveness off).
 */
score: number | null, };

/**
 * RFC 7800 confirmation: the device key the assertion was issued to.
 */

export type Confirmation = { 
/**
 * The RFC 7638 thumbprint of the browser profile's P-256 key.
 */
jkt: string, };
