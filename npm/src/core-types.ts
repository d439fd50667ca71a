// Generated from entry-core's Rust types by `ENTRY_BLESS=1 cargo test -p entry-core --test
// typescript_types`. Do not edit: change the Rust definition (its serde attributes decide the shape).
import type { ErrorCode } from './error-codes.js';

/**
 * One attempt as asked for.
 */

export type AttemptRequest = { 
/**
 * Identify or verify.
 */
purpose: Purpose, 
/**
 * The target false-match rate; default `login`.
 */
useCase: UseCase, 
/**
 * A document to read with the attempt.
 */
document?: DocumentInput, 
/**
 * Checked against the document's date of birth (needs `document`).
 */
ageRule?: AgeRuleName, };

/**
 * Recognise someone among the app's users, or check one user.
 */

export type Purpose = { "kind": "identify", 
/**
 * Register the person when nobody matches.
 */
registerIfNotFound: boolean, } | { "kind": "verify", 
/**
 * The user to check.
 */
entryUserId: string, };

/**
 * An identity document as the app hands it over.
 */

export type DocumentInput = { 
/**
 * `mrz`: the machine-readable zone of a passport, ID card or visa; `aamva`: a US/Canadian
 * licence barcode text.
 */
kind: DocumentKind, 
/**
 * The MRZ lines or the barcode text.
 */
text: string, 
/**
 * The document's portrait (JPEG or PNG): when given, the captured face must match it.
 */
photo?: Uint8Array, };

/**
 * How a document's data is encoded.
 */

export type DocumentKind = "mrz" | "aamva";

/**
 * An age rule by name (see [`AgeRule::named`]).
 */

export type AgeRuleName = { 
/**
 * `coppa`, `alcohol`, `gambling` or `eu-digital-consent`.
 */
name: string, 
/**
 * ISO 3166 alpha-2 code, for `eu-digital-consent`.
 */
country?: string, };

/**
 * How an app runs device mode; every field but `app_id` has a default.
 */

export type DeviceLoginConfig = { 
/**
 * The app's id: keys, templates and device ids are bound to it.
 */
appId: string, 
/**
 * Raise to revoke every template of the app at once. Default 1.
 */
transformVersion: number, 
/**
 * Days after which a template is stale: re-sealed under today's key when a login next opens
 * it (templates never expire by age). Default 30.
 */
graceDays: number, 
/**
 * Lifetime of a session token, seconds. Default 300.
 */
sessionLifetimeSeconds: number, 
/**
 * Default: 5 failures in 3 minutes lock a user for 30 minutes.
 */
lockout: LockoutPolicy, 
/**
 * Target false-match rates per use case.
 */
matching: MatchPolicy, 
/**
 * The app runs a verified guardian-consent flow: under-age users may keep a template.
 * Default false: an under-age user leaves nothing biometric behind.
 */
guardianFlow: boolean, };

/**
 * What an app decides about logins beyond the capture.
 */

export type LoginPolicy = { 
/**
 * Target false-match rates per use case.
 */
matching: MatchPolicy, 
/**
 * The app runs a verified guardian-consent flow: under-age users may keep a template.
 * Default false: an under-age user leaves nothing biometric behind.
 */
guardianFlow: boolean, };

/**
 * The state a previous page load saved (either may be missing or damaged).
 */

export type SavedState = { 
/**
 * The audit log as JSON Lines.
 */
auditLog: string | null, 
/**
 * The lockout counters as JSON.
 */
lockoutState: string | null, };

/**
 * A decided attempt as it crosses into JavaScript: the user or the error, the store writes, and
 * the state to persist (`StateChanges`' fields, flattened).
 */

export type FinishReport = { 
/**
 * The user, when the attempt succeeded.
 */
user: EntryUser | null, 
/**
 * Why not, when it failed.
 */
error: CodedMessage | null, 
/**
 * Writes to make to the store.
 */
changes: Array<StoreChange>, 
/**
 * New audit entries as JSON Lines: append them to the saved log.
 */
auditLines: string, 
/**
 * The whole lockout state as JSON, when it changed.
 */
lockoutState: string | null, };

/**
 * An error as data: its stable code and its message.
 */

export type CodedMessage = { 
/**
 * The stable code.
 */
code: ErrorCode, 
/**
 * What happened, without secrets or scores.
 */
message: string, };

/**
 * What to write back after an attempt.
 */

export type StateChanges = { 
/**
 * New audit entries as JSON Lines: append them to the saved log.
 */
auditLines: string, 
/**
 * The whole lockout state as JSON, when it changed.
 */
lockoutState: string | null, };

/**
 * A write the caller makes to its user store.
 */

export type StoreChange = { "op": "put", 
/**
 * The record.
 */
user: UserRecord, } | { "op": "delete", 
/**
 * The user.
 */
entryUserId: string, };

/**
 * How an attempt changes an account's failure count.
 */

export type LockoutChange = { "kind": "failure", 
/**
 * The user id, or the client's [`identify_account`](super::identify_account).
 */
account: string, } | { "kind": "success", 
/**
 * The user id.
 */
account: string, };

/**
 * One enrolled user as a store keeps it: sealed template bytes, never a face or an embedding.
 */

export type UserRecord = { 
/**
 * The app the user belongs to.
 */
appId: string, 
/**
 * A random UUID, the user's only identifier.
 */
entryUserId: string, 
/**
 * The sealed template; `None` when none may be kept (an under-age user without a guardian flow).
 */
sealedTemplate: Uint8Array | null, 
/**
 * Fields from an identity document, if one was read.
 */
profile: UserProfile, 
/**
 * Salted device ids this user has been recognised on.
 */
knownDevices: Array<string>, 
/**
 * A document showed the user under the app's age rule.
 */
isUnderAge: boolean, 
/**
 * ISO 8601.
 */
createdAt: string, 
/**
 * ISO 8601: the last recognition or change.
 */
updatedAt: string, };

/**
 * Profile fields from an identity document; all `None` until one is read.
 */

export type UserProfile = { 
/**
 * ISO date, e.g. "1974-08-12".
 */
dateOfBirth: string | null, 
/**
 * Passport, ID card, visa or driver licence.
 */
photoIdentityDocumentType: DocumentType | null, 
/**
 * A keyed HMAC digest of the document number: comparable within the app, never reversible.
 */
photoIdentityDocumentNumber: string | null, 
/**
 * ISO date.
 */
photoIdentityDocumentExpiry: string | null, 
/**
 * Issuing state or jurisdiction.
 */
photoIdentityDocumentIssuer: string | null, 
/**
 * Nationality, when the document states it.
 */
nationality: string | null, };

/**
 * The person a login recognised or registered, as the app receives them.
 */

export type EntryUser = { 
/**
 * The user's id.
 */
entryUserId: string, 
/**
 * A template is stored: the user can be recognised next time.
 */
isRegistrationComplete: boolean, 
/**
 * Registered by this attempt.
 */
isNewUser: boolean, 
/**
 * A document showed the user under the app's age rule.
 */
isUnderAge: boolean, 
/**
 * The app-salted id of this device.
 */
deviceId: string, 
/**
 * Recognised on this device before (else an app may ask for a step-up check).
 */
isKnownDevice: boolean, 
/**
 * Cosine score against the stored template (`None` for a new registration).
 */
matchScore: number | null, 
/**
 * Mean passive live probability of the capture (`None` with liveness off).
 */
livenessScore: number | null, 
/**
 * Device mode: a single-use token under the app's keys, for this page (see docs/security.md).
 */
sessionToken: string | null, 
/**
 * Server mode: the server's signed assertion (compact JWS) for the app's backend to verify.
 */
assertion?: string, 
/**
 * ISO 8601: when the user registered.
 */
createdAt: string, 
/**
 * ISO 8601: the last recognition or change.
 */
updatedAt: string, 
/**
 * ISO date, e.g. "1974-08-12".
 */
dateOfBirth: string | null, 
/**
 * Passport, ID card, visa or driver licence.
 */
photoIdentityDocumentType: DocumentType | null, 
/**
 * A keyed HMAC digest of the document number: comparable within the app, never reversible.
 */
photoIdentityDocumentNumber: string | null, 
/**
 * ISO date.
 */
photoIdentityDocumentExpiry: string | null, 
/**
 * Issuing state or jurisdiction.
 */
photoIdentityDocumentIssuer: string | null, 
/**
 * Nationality, when the document states it.
 */
nationality: string | null, };

/**
 * How one capture runs; every field has a default (`CapturePolicy::default()`).
 */

export type CapturePolicy = { 
/**
 * Good frames averaged into the template (at least the liveness policy's `min_frames` when
 * liveness is on).
 */
frames: number, 
/**
 * Time to reach enough good frames, milliseconds; the challenge has its own per-step limits.
 */
timeoutMs: number, 
/**
 * Consecutive frames with more than one face before the capture is refused.
 */
multipleFacesFrames: number, 
/**
 * A second face counts when its box is at least this fraction of the main face's height:
 * someone beside the person, not a colleague across the room.
 */
otherFaceRatio: number, 
/**
 * Which liveness evidence the capture demands. Default passive.
 */
liveness: LivenessMode, 
/**
 * The passive rule (frames, thresholds, static-input motion).
 */
livenessPolicy: LivenessPolicy, 
/**
 * The active challenge (steps, time per step, thresholds).
 */
challenge: ChallengePolicy, 
/**
 * During a challenge, the acting face must match the collected one at this false-match rate,
 * so a photo cannot be swapped for another live person halfway.
 */
continuityFmr: number, };

/**
 * How much liveness evidence a capture demands.
 */

export type LivenessMode = "off" | "passive" | "passive_and_active" | "adaptive";

/**
 * The passive rule of a capture; every field has a default (README, Liveness).
 */

export type LivenessPolicy = { 
/**
 * Frames needed before a verdict.
 */
minFrames: number, 
/**
 * Mean live probability needed over the frames (see the manifest's liveness calibration).
 */
liveThreshold: number, 
/**
 * Two frames whose face changed by less than this (mean absolute change of its 8x8 cells,
 * brightness removed, grey levels) show one picture. 0 turns the check off.
 */
minMotion: number, 
/**
 * Two frames whose face changed by no more than this many times what pixel noise alone
 * explains show one picture with noise added (a still with noise, a looped clip). 0 turns
 * the check off.
 */
noiseRatio: number, 
/**
 * The noise check applies to changes under this (grey levels): larger ones are motion
 * whatever their structure.
 */
noiseCeiling: number, 
/**
 * Frames whose every pair, once the later face is fitted onto the earlier (moved, scaled,
 * turned in the image plane), changed by no more than this many times what pixel noise alone
 * explains (and under `noise_ceiling`) show one picture moved: a panned, zoomed or turned
 * still. Higher than `noise_ratio`: resampling a moved picture leaves smooth residue that
 * noise does not. 0 turns the check off.
 */
movedNoiseRatio: number, 
/**
 * Mean live probability at which the passive check is sure on its own; in
 * `LivenessMode::Adaptive` a live verdict under it is followed by the challenge.
 */
sureThreshold: number, };

/**
 * How the active challenge runs; every field has a default.
 */

export type ChallengePolicy = { 
/**
 * Actions per challenge.
 */
steps: number, 
/**
 * Time allowed for each action, milliseconds.
 */
stepTimeoutMs: number, 
/**
 * Head turn needed beyond the neutral yaw, degrees.
 */
turnDeg: number, 
/**
 * Head tilt needed beyond the neutral pitch, degrees.
 */
nodDeg: number, 
/**
 * Eyes count as closed below this fraction of their neutral openness, and open again above
 * `blink_reopen` of it.
 */
blinkClosed: number, 
/**
 * See `blink_closed`.
 */
blinkReopen: number, 
/**
 * Consecutive frames a turn or nod must be held: one glitched landmark frame is not an action.
 */
holdFrames: number, };

/**
 * What a UI shows after each frame.
 */

export type CaptureUpdate = { "state": "collecting", 
/**
 * The instruction for this frame.
 */
guidance: Guidance, 
/**
 * Share of the needed good frames collected, 0..1.
 */
progress: number, 
/**
 * The main face's box in frame pixels, if any.
 */
face: BoundingBox | null, } | { "state": "challenge", 
/**
 * The action asked for.
 */
action: ChallengeAction, 
/**
 * Index of this step, from 0.
 */
step: number, 
/**
 * Steps in the challenge.
 */
steps: number, 
/**
 * Time left for this step, milliseconds.
 */
remainingMs: number, 
/**
 * The main face's box in frame pixels, if any.
 */
face: BoundingBox | null, } | { "state": "captured", 
/**
 * Good frames averaged into the embedding.
 */
frames: number, 
/**
 * Mean passive live probability (`None` with liveness off).
 */
livenessScore: number | null, } | { "state": "failed", 
/**
 * The stable code the SDK reports.
 */
code: ErrorCode, 
/**
 * Why, with details.
 */
failure: CaptureFailure, 
/**
 * The failure for a log or an error message: its reason and details.
 */
message: string, };

/**
 * Why a capture ended without an embedding.
 */

export type CaptureFailure = { "reason": "multiple_faces", 
/**
 * Faces in view.
 */
count: number, } | { "reason": "timeout", 
/**
 * The last instruction given.
 */
guidance: Guidance, } | { "reason": "liveness", 
/**
 * The passive verdict.
 */
verdict: LivenessVerdict, } | { "reason": "challenge", 
/**
 * Index of the failed step, from 0.
 */
step: number, 
/**
 * The action that was not performed.
 */
action: ChallengeAction, } | { "reason": "face_changed", 
/**
 * Cosine score between the collected face and the acting one.
 */
score: number, };

/**
 * The instruction a capture UI shows; each names something the person can do.
 */

export type Guidance = "no_face" | "one_face_only" | "centre_face" | "move_closer" | "move_back" | "more_light" | "less_light" | "look_straight" | "hold_still" | "good";

/**
 * One thing the person is asked to do. Left and right are the person's own (a turn to their left
 * moves their nose to the camera image's right).
 */

export type ChallengeAction = "blink" | "turn_left" | "turn_right" | "look_up" | "look_down";

/**
 * The passive verdict over a capture's frames.
 */

export type LivenessVerdict = { "verdict": "not_enough_frames", 
/**
 * Frames collected.
 */
frames: number, 
/**
 * Frames needed.
 */
needed: number, } | { "verdict": "static_input", 
/**
 * How much the face changed between those two frames (mean absolute change of its cells).
 */
motion: number, 
/**
 * That change over what pixel noise alone explains (about 1 for noise).
 */
noiseRatio: number, } | { "verdict": "spoof", 
/**
 * Mean live probability.
 */
score: number, } | { "verdict": "live", 
/**
 * Mean live probability.
 */
score: number, };

/**
 * An axis-aligned box by its corners, in pixels.
 */

export type BoundingBox = { 
/**
 * Left edge.
 */
x1: number, 
/**
 * Top edge.
 */
y1: number, 
/**
 * Right edge.
 */
x2: number, 
/**
 * Bottom edge.
 */
y2: number, };

/**
 * A point in frame pixels.
 */

export type Point = { 
/**
 * Horizontal, from the left edge.
 */
x: number, 
/**
 * Vertical, from the top edge.
 */
y: number, };

/**
 * One face found in a frame, with everything measured about it.
 */

export type Face = { 
/**
 * Where the detector found it.
 */
detection: Detection, 
/**
 * Its 68 landmarks.
 */
landmarks: Landmarks, 
/**
 * Whether it is good enough to use, and why not.
 */
quality: QualityReport, };

/**
 * A detected face: its box in frame pixels and the detector's confidence.
 */

export type Detection = { 
/**
 * The face box in frame pixels.
 */
bbox: BoundingBox, 
/**
 * The detector's confidence, 0..1.
 */
score: number, };

/**
 * The 68 points of one face, in frame pixels.
 */

export type Landmarks = Array<Point>;

/**
 * The measurements behind a quality decision, and the issues found.
 */

export type QualityReport = { 
/**
 * Face box height in frame pixels.
 */
facePx: number, 
/**
 * Mean luma of the face box, 0..255.
 */
brightness: number, 
/**
 * Variance of the Laplacian of the grey face crop.
 */
sharpness: number, 
/**
 * Estimated head pose.
 */
pose: HeadPose, 
/**
 * What is wrong; empty when the face is usable.
 */
issues: Array<QualityIssue>, };

/**
 * Why a capture is refused; each maps to one instruction ("move closer", "more light", ...).
 */

export type QualityIssue = "too_small" | "too_close" | "too_dark" | "too_bright" | "blurred" | "head_turned" | "partly_outside";

/**
 * Head pose estimated from landmark geometry, degrees. Positive yaw: face turned to the image
 * right; positive pitch: looking down; positive roll: head tilted clockwise in the image.
 */

export type HeadPose = { 
/**
 * Degrees; positive: turned to the image right.
 */
yaw: number, 
/**
 * Degrees; positive: looking down.
 */
pitch: number, 
/**
 * Degrees; positive: tilted clockwise in the image.
 */
roll: number, };

/**
 * Why the app is matching a face; stricter uses demand rarer false matches.
 */

export type UseCase = "login" | "account_recovery" | "high_value_payment" | "document_match";

/**
 * What a score means for a use case.
 */

export type Decision = "accept" | "fallback_required" | "reject";

/**
 * Target false-match rates per use and the rate below which a score is "clearly an impostor".
 */

export type MatchPolicy = { 
/**
 * Target false-match rate for `login`.
 */
loginFmr: number, 
/**
 * Target false-match rate for `account_recovery`.
 */
accountRecoveryFmr: number, 
/**
 * Target false-match rate for `high_value_payment`.
 */
highValuePaymentFmr: number, 
/**
 * Document photos are older and printed small: kept separate so an app can set it on its own.
 */
documentMatchFmr: number, 
/**
 * Scores whose false-match rate is above this are rejected outright.
 */
fallbackFmr: number, };

/**
 * A live face against a document's portrait.
 */

export type DocumentMatch = { 
/**
 * Cosine similarity of the two embeddings.
 */
score: number, 
/**
 * The decision at the document-match false-match rate.
 */
decision: Decision, };

/**
 * The signals a device id is made of. Each is readable without a permission prompt; none is
 * unique alone. Changing browser, OS version or screen changes the id (and asks for step-up).
 */

export type DeviceSignals = { 
/**
 * `navigator.userAgent`
 */
userAgent: string, 
/**
 * `navigator.platform`
 */
platform: string, 
/**
 * `navigator.languages`
 */
languages: Array<string>, 
/**
 * `Intl.DateTimeFormat().resolvedOptions().timeZone`
 */
timeZone: string, 
/**
 * `screen.width`
 */
screenWidth: number, 
/**
 * `screen.height`
 */
screenHeight: number, 
/**
 * `screen.colorDepth`
 */
colorDepth: number, 
/**
 * `navigator.hardwareConcurrency`
 */
hardwareConcurrency: number, 
/**
 * `navigator.maxTouchPoints`
 */
maxTouchPoints: number, 
/**
 * WEBGL_debug_renderer_info's unmasked renderer, when the browser exposes it.
 */
webglRenderer: string | null, };

/**
 * What a token asserts.
 */

export type SessionClaims = { 
/**
 * Whom the token is for.
 */
user_id: string, 
/**
 * The device it was issued on.
 */
device_id: string, 
/**
 * Unix seconds.
 */
issued_at: number, 
/**
 * Unix seconds after which it is refused.
 */
expires_at: number, 
/**
 * Unique token id (hex), the replay guard's key.
 */
token_id: string, };

/**
 * What WebCrypto needs to wrap one sealed template: AES-GCM with `iv` and `additional_data`,
 * and the stored bytes are `header` followed by the ciphertext.
 */

export type WrapParams = { 
/**
 * The bytes that precede the ciphertext.
 */
header: Uint8Array, 
/**
 * The nonce (96 random bits).
 */
iv: Uint8Array, 
/**
 * Header, app id and user id.
 */
additionalData: Uint8Array, };

/**
 * The parts of stored wrapped bytes that WebCrypto needs to unwrap them.
 */

export type WrappedParts = { 
/**
 * Which of the app's wrapping keys was used.
 */
keyVersion: number, 
/**
 * The nonce.
 */
iv: Uint8Array, 
/**
 * Header, app id and user id.
 */
additionalData: Uint8Array, 
/**
 * Ciphertext and tag.
 */
ciphertext: Uint8Array, };

/**
 * When failures lock an account; the defaults are 5 failures in 3 minutes locking for 30 minutes.
 */

export type LockoutPolicy = { 
/**
 * Failures that lock.
 */
maxFailures: number, 
/**
 * The window they must fall in, seconds.
 */
windowSeconds: number, 
/**
 * How long the lock lasts, seconds.
 */
lockoutSeconds: number, };

/**
 * What happened. Fields are deliberately few: ids, outcomes, codes.
 */

export type AuditEvent = { "type": "enroll", 
/**
 * The new user.
 */
user_id: string, 
/**
 * The device they enrolled on.
 */
device_id: string, } | { "type": "identify", 
/**
 * The matched user, `None` when nobody matched.
 */
user_id: string | null, 
/**
 * The device it ran on.
 */
device_id: string, 
/**
 * Whether someone matched.
 */
matched: boolean, } | { "type": "verify", 
/**
 * The user checked.
 */
user_id: string, 
/**
 * The device it ran on.
 */
device_id: string, 
/**
 * Whether the face matched at the use case's threshold.
 */
matched: boolean, 
/**
 * The use case (its target false-match rate), e.g. `login`.
 */
use_case: string, } | { "type": "failure", 
/**
 * The user concerned, when known (a verification, an unreadable record).
 */
user_id: string | null, 
/**
 * The device it ran on (empty when not known).
 */
device_id: string, 
/**
 * The stable error code.
 */
code: string, } | { "type": "lockout", 
/**
 * The locked account (a user id).
 */
account: string, 
/**
 * Unix seconds when the lock ends.
 */
until: number, } | { "type": "delete", 
/**
 * The deleted user.
 */
user_id: string, } | { "type": "key_rotation", 
/**
 * How many templates were re-sealed.
 */
resealed: number, 
/**
 * The new key day.
 */
key_day: number, } | { "type": "under_age", 
/**
 * The user, only when a template may be kept for them.
 */
user_id: string | null, 
/**
 * The rule's name, e.g. `coppa-13`.
 */
rule: string, };

/**
 * One link of the chain: an event, when it happened, and the hashes that tie it to the previous entry.
 */

export type AuditEntry = { 
/**
 * Position in the log, from 0.
 */
seq: number, 
/**
 * Unix seconds.
 */
time: number, 
/**
 * What happened.
 */
event: AuditEvent, 
/**
 * Hex SHA-256 of the previous entry (64 zeros for the first).
 */
prev: string, 
/**
 * Hex SHA-256 of this entry's seq, time, event and prev.
 */
hash: string, };

/**
 * What one attempt's evidence is bound to: the server's attempt, its nonce, the app and the
 * origin the attempt was created from.
 */

export type AttemptBinding = { 
/**
 * The attempt id the server gave.
 */
attemptId: string, 
/**
 * The attempt's nonce, base64url text as the server gave it.
 */
nonce: string, 
/**
 * The app id.
 */
appId: string, 
/**
 * The page's origin (`https://host`).
 */
origin: string, };

/**
 * The sealed plaintext.
 */

export type Evidence = { 
/**
 * The frames the capture used, in order (1 to [`MAX_FRAMES`]).
 */
frames: Array<EvidenceFrame>, 
/**
 * The browser profile's device key and its signature over this attempt, when it has one.
 */
device?: DeviceProof, };

/**
 * One frame of evidence.
 */

export type EvidenceFrame = { 
/**
 * When the camera took it, milliseconds (its own clock).
 */
t: number, 
/**
 * The face-centred crop, JPEG or PNG, base64url.
 */
image: string, };

/**
 * A device's proof for one attempt.
 */

export type DeviceProof = { 
/**
 * The device's public key.
 */
publicKey: DeviceJwk, 
/**
 * ECDSA P-256 / SHA-256 over [`device_message`], `r || s` (64 bytes), base64url.
 */
signature: string, };

/**
 * A P-256 public key as a JWK (RFC 7518), as WebCrypto exports it.
 */

export type DeviceJwk = { 
/**
 * `EC`
 */
kty: string, 
/**
 * `P-256`
 */
crv: string, 
/**
 * The x coordinate, base64url (32 bytes).
 */
x: string, 
/**
 * The y coordinate, base64url (32 bytes).
 */
y: string, };

/**
 * `POST /v1/attempts/{id}/evidence`: the HPKE encapsulated key and ciphertext, base64url.
 */

export type SealedEvidence = { 
/**
 * The app (the attempt must be its).
 */
app: string, 
/**
 * HPKE `enc`.
 */
enc: string, 
/**
 * The AEAD ciphertext with its tag.
 */
ciphertext: string, };

/**
 * Profile fields for an `EntryUser`, from a verified document.
 */

export type DocumentProfile = { 
/**
 * The kind of document.
 */
documentType: DocumentType, 
/**
 * `hmac-sha256:` + hex of HMAC(app's document-number key, issuer | number).
 */
documentNumberDigest: string, 
/**
 * Date of birth.
 */
dateOfBirth: CalendarDate, 
/**
 * Date of expiry.
 */
expiryDate: CalendarDate, 
/**
 * Issuing state (ICAO code) or jurisdiction (AAMVA IIN).
 */
issuer: string, 
/**
 * Nationality, when the document states it (MRZ only).
 */
nationality: string | null, };

/**
 * The kind of identity document.
 */

export type DocumentType = "passport" | "id_card" | "visa" | "driver_licence";

/**
 * A calendar date as printed on a document (proleptic Gregorian, no time zone).
 */

export type CalendarDate = { 
/**
 * The year, e.g. 1974.
 */
year: number, 
/**
 * 1..=12.
 */
month: number, 
/**
 * 1..=31, valid for the month.
 */
day: number, };

/**
 * A minimum age with the name the audit log and the UI use.
 */

export type AgeRule = { 
/**
 * Shown in the audit log and the UI, e.g. `coppa-13`.
 */
name: string, 
/**
 * Completed years needed to meet the rule.
 */
minimumAge: number, };

/**
 * The outcome of an age rule. `may_store_template` is false for an under-age user unless a
 * guardian flow is configured (data minimisation).
 */

export type AgeDecision = { 
/**
 * The rule's name.
 */
rule: string, 
/**
 * Completed years on the day checked.
 */
age: number, 
/**
 * Whether the age meets the rule.
 */
meets: boolean, 
/**
 * Under the minimum: a guardian must consent.
 */
needsGuardian: boolean, 
/**
 * Whether a template may be kept (of-age, or a guardian flow is configured).
 */
mayStoreTemplate: boolean, };

/**
 * A parsed, check-digit-verified MRZ.
 */

export type Mrz = { 
/**
 * The layout read.
 */
format: MrzFormat, 
/**
 * `P<`, `I<`, `V<`, `ID`, ... with fillers removed.
 */
documentCode: string, 
/**
 * Issuing state or organisation (ICAO 3-letter code).
 */
issuingState: string, 
/**
 * Primary identifier.
 */
surname: string, 
/**
 * Secondary identifiers, space separated.
 */
givenNames: string, 
/**
 * Document number, fillers removed.
 */
documentNumber: string, 
/**
 * Nationality (ICAO 3-letter code).
 */
nationality: string, 
/**
 * Date of birth (century chosen so it is not in the future).
 */
birthDate: CalendarDate, 
/**
 * Sex as printed.
 */
sex: Sex, 
/**
 * Date of expiry.
 */
expiryDate: CalendarDate, 
/**
 * Optional data fields, fillers removed.
 */
optionalData: Array<string>, 
/**
 * Fields whose OCR confusions were repaired (and confirmed by their check digit).
 */
repaired: Array<string>, };

/**
 * The ICAO 9303 layout of an MRZ.
 */

export type MrzFormat = "Td1" | "Td2" | "Td3" | "MrvA" | "MrvB";

/**
 * Sex as printed.
 */

export type Sex = "female" | "male" | "unspecified";

/**
 * The fields of an AAMVA (US/Canadian) driver licence barcode that Entry uses.
 */

export type AamvaLicence = { 
/**
 * IIN of the issuing jurisdiction (6 digits).
 */
issuer: string, 
/**
 * AAMVA standard version of the payload.
 */
aamvaVersion: number, 
/**
 * `USA` or `CAN` (DCG).
 */
country: string, 
/**
 * DAQ
 */
documentNumber: string, 
/**
 * DCS
 */
familyName: string, 
/**
 * DAC and DAD.
 */
givenNames: string, 
/**
 * DBB
 */
birthDate: CalendarDate, 
/**
 * DBA
 */
expiryDate: CalendarDate, 
/**
 * DBC
 */
sex: Sex, 
/**
 * DDH, DDI, DDJ: dates until which the holder is under 18, 19 and 21, where printed.
 */
under18Until: CalendarDate | null, 
/**
 * DDI: until when the holder is under 19.
 */
under19Until: CalendarDate | null, 
/**
 * DDJ: until when the holder is under 21.
 */
under21Until: CalendarDate | null, };
