// Generated from entry-core's Rust types by `ENTRY_BLESS=1 cargo test -p entry-core --test
// typescript_types`. Do not edit: change the Rust definition (its serde attributes decide the shape).
import type { ErrorCode } from './error-codes.js';

/**
 * One attempt as asked for.
 */

export type AttemptRequest = { purpose: Purpose, 
/**
 * The target false-match rate; default `login`.
 */
useCase: UseCase, document?: DocumentInput, 
/**
 * Checked against the document's date of birth (needs `document`).
 */
ageRule?: AgeRuleName, };

/**
 * Recognise someone among the app's users, or check one user.
 */

export type Purpose = { "kind": "identify", registerIfNotFound: boolean, } | { "kind": "verify", entryUserId: string, };

/**
 * An identity document as the app hands it over.
 */

export type DocumentInput = { 
/**
 * `mrz`: the machine-readable zone of a passport, ID card or visa; `aamva`: a US/Canadian
 * licence barcode text.
 */
kind: DocumentKind, text: string, 
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

export type AgeRuleName = { name: string, country?: string, };

/**
 * How an app runs device mode; every field but `app_id` has a default.
 */

export type DeviceLoginConfig = { appId: string, 
/**
 * Raise to revoke every template of the app at once. Default 1.
 */
transformVersion: number, 
/**
 * Days an old daily key still opens templates (they are re-sealed on use). Default 30.
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

export type FinishReport = { user: EntryUser | null, error: CodedMessage | null, changes: Array<StoreChange>, 
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

export type CodedMessage = { code: ErrorCode, message: string, };

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

export type StoreChange = { "op": "put", user: UserRecord, } | { "op": "delete", entryUserId: string, };

/**
 * How an attempt changes an account's failure count.
 */

export type LockoutChange = { "kind": "failure", account: string, } | { "kind": "success", account: string, };

/**
 * One enrolled user as a store keeps it: sealed template bytes, never a face or an embedding.
 */

export type UserRecord = { appId: string, entryUserId: string, 
/**
 * The sealed template; `None` when none may be kept (an under-age user without a guardian flow).
 */
sealedTemplate: Uint8Array | null, profile: UserProfile, 
/**
 * Salted device ids this user has been recognised on.
 */
knownDevices: Array<string>, isUnderAge: boolean, 
/**
 * ISO 8601.
 */
createdAt: string, updatedAt: string, };

/**
 * Profile fields from an identity document; all `None` until one is read.
 */

export type UserProfile = { 
/**
 * ISO date, e.g. "1974-08-12".
 */
dateOfBirth: string | null, photoIdentityDocumentType: DocumentType | null, 
/**
 * A keyed HMAC digest of the document number: comparable within the app, never reversible.
 */
photoIdentityDocumentNumber: string | null, 
/**
 * ISO date.
 */
photoIdentityDocumentExpiry: string | null, photoIdentityDocumentIssuer: string | null, nationality: string | null, };

/**
 * The person a login recognised or registered, as the app receives them.
 */

export type EntryUser = { entryUserId: string, 
/**
 * A template is stored: the user can be recognised next time.
 */
isRegistrationComplete: boolean, 
/**
 * Registered by this attempt.
 */
isNewUser: boolean, isUnderAge: boolean, deviceId: string, 
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
sessionToken: string | null, createdAt: string, updatedAt: string, 
/**
 * ISO date, e.g. "1974-08-12".
 */
dateOfBirth: string | null, photoIdentityDocumentType: DocumentType | null, 
/**
 * A keyed HMAC digest of the document number: comparable within the app, never reversible.
 */
photoIdentityDocumentNumber: string | null, 
/**
 * ISO date.
 */
photoIdentityDocumentExpiry: string | null, photoIdentityDocumentIssuer: string | null, nationality: string | null, };

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
otherFaceRatio: number, liveness: LivenessMode, livenessPolicy: LivenessPolicy, challenge: ChallengePolicy, 
/**
 * During a challenge, the acting face must match the collected one at this false-match rate,
 * so a photo cannot be swapped for another live person halfway.
 */
continuityFmr: number, };

/**
 * How much liveness evidence a capture demands.
 */

export type LivenessMode = "off" | "passive" | "passive_and_active" | "adaptive";

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
 * Least mean absolute change of the face thumbnail between frames, grey levels.
 */
minMotion: number, 
/**
 * Mean live probability at which the passive check is sure on its own; in
 * `LivenessMode::Adaptive` a live verdict under it is followed by the challenge.
 */
sureThreshold: number, };

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
blinkClosed: number, blinkReopen: number, 
/**
 * Consecutive frames a turn or nod must be held: one glitched landmark frame is not an action.
 */
holdFrames: number, };

/**
 * What a UI shows after each frame.
 */

export type CaptureUpdate = { "state": "collecting", guidance: Guidance, progress: number, face: BoundingBox | null, } | { "state": "challenge", action: ChallengeAction, step: number, steps: number, remainingMs: number, face: BoundingBox | null, } | { "state": "captured", frames: number, livenessScore: number | null, } | { "state": "failed", code: ErrorCode, failure: CaptureFailure, 
/**
 * The failure for a log or an error message: its reason and details.
 */
message: string, };

/**
 * Why a capture ended without an embedding.
 */

export type CaptureFailure = { "reason": "multiple_faces", count: number, } | { "reason": "timeout", guidance: Guidance, } | { "reason": "liveness", verdict: LivenessVerdict, } | { "reason": "challenge", step: number, action: ChallengeAction, } | { "reason": "face_changed", score: number, };

/**
 * The instruction a capture UI shows; each names something the person can do.
 */

export type Guidance = "no_face" | "one_face_only" | "centre_face" | "move_closer" | "move_back" | "more_light" | "less_light" | "look_straight" | "hold_still" | "good";

/**
 * One thing the person is asked to do. Left and right are the person's own (a turn to their left
 * moves their nose to the camera image's right).
 */

export type ChallengeAction = "blink" | "turn_left" | "turn_right" | "look_up" | "look_down";

export type LivenessVerdict = { "verdict": "not_enough_frames", frames: number, needed: number, } | { "verdict": "static_input", motion: number, } | { "verdict": "spoof", score: number, } | { "verdict": "live", score: number, };

/**
 * An axis-aligned box by its corners, in pixels.
 */

export type BoundingBox = { x1: number, y1: number, x2: number, y2: number, };

export type Point = { x: number, y: number, };

/**
 * One face found in a frame, with everything measured about it.
 */

export type Face = { detection: Detection, landmarks: Landmarks, quality: QualityReport, };

/**
 * A detected face: its box in frame pixels and the detector's confidence.
 */

export type Detection = { bbox: BoundingBox, score: number, };

/**
 * The 68 points of one face, in frame pixels.
 */

export type Landmarks = Array<Point>;

/**
 * The measurements behind a quality decision, and the issues found.
 */

export type QualityReport = { facePx: number, brightness: number, sharpness: number, pose: HeadPose, issues: Array<QualityIssue>, };

/**
 * Why a capture is refused; each maps to one instruction ("move closer", "more light", ...).
 */

export type QualityIssue = "too_small" | "too_close" | "too_dark" | "too_bright" | "blurred" | "head_turned" | "partly_outside";

/**
 * Head pose estimated from landmark geometry, degrees. Positive yaw: face turned to the image
 * right; positive pitch: looking down; positive roll: head tilted clockwise in the image.
 */

export type HeadPose = { yaw: number, pitch: number, roll: number, };

/**
 * Why the app is matching a face; stricter uses demand rarer false matches.
 */

export type UseCase = "login" | "account_recovery" | "high_value_payment" | "document_match";

export type Decision = "accept" | "fallback_required" | "reject";

/**
 * Target false-match rates per use and the rate below which a score is "clearly an impostor".
 */

export type MatchPolicy = { loginFmr: number, accountRecoveryFmr: number, highValuePaymentFmr: number, 
/**
 * Document photos are older and printed small: kept separate so an app can set it on its own.
 */
documentMatchFmr: number, 
/**
 * Scores whose false-match rate is above this are rejected outright.
 */
fallbackFmr: number, };

export type DocumentMatch = { score: number, decision: Decision, };

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
 * `screen.width`, `screen.height`, `screen.colorDepth`
 */
screenWidth: number, screenHeight: number, colorDepth: number, 
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

export type SessionClaims = { user_id: string, device_id: string, 
/**
 * Unix seconds.
 */
issued_at: number, expires_at: number, 
/**
 * Unique token id (hex), the replay guard's key.
 */
token_id: string, };

export type LockoutPolicy = { maxFailures: number, windowSeconds: number, lockoutSeconds: number, };

/**
 * What happened. Fields are deliberately few: ids, outcomes, codes.
 */

export type AuditEvent = { "type": "enroll", user_id: string, device_id: string, } | { "type": "identify", user_id: string | null, device_id: string, matched: boolean, } | { "type": "verify", user_id: string, device_id: string, matched: boolean, use_case: string, } | { "type": "failure", user_id: string | null, device_id: string, code: string, } | { "type": "lockout", account: string, until: number, } | { "type": "delete", user_id: string, } | { "type": "key_rotation", resealed: number, key_day: number, } | { "type": "under_age", user_id: string | null, rule: string, };

export type AuditEntry = { seq: number, 
/**
 * Unix seconds.
 */
time: number, event: AuditEvent, 
/**
 * Hex SHA-256 of the previous entry (64 zeros for the first).
 */
prev: string, 
/**
 * Hex SHA-256 of this entry's seq, time, event and prev.
 */
hash: string, };

/**
 * Profile fields for an `EntryUser`, from a verified document.
 */

export type DocumentProfile = { documentType: DocumentType, 
/**
 * `hmac-sha256:` + hex of HMAC(app's document-number key, issuer | number).
 */
documentNumberDigest: string, dateOfBirth: CalendarDate, expiryDate: CalendarDate, issuer: string, nationality: string | null, };

export type DocumentType = "passport" | "id_card" | "visa" | "driver_licence";

export type CalendarDate = { year: number, month: number, day: number, };

/**
 * A minimum age with the name the audit log and the UI use.
 */

export type AgeRule = { name: string, minimumAge: number, };

/**
 * The outcome of an age rule. `may_store_template` is false for an under-age user unless a
 * guardian flow is configured (data minimisation).
 */

export type AgeDecision = { rule: string, age: number, meets: boolean, needsGuardian: boolean, mayStoreTemplate: boolean, };

/**
 * A parsed, check-digit-verified MRZ.
 */

export type Mrz = { format: MrzFormat, 
/**
 * `P<`, `I<`, `V<`, `ID`, ... with fillers removed.
 */
documentCode: string, issuingState: string, surname: string, givenNames: string, documentNumber: string, nationality: string, birthDate: CalendarDate, sex: Sex, expiryDate: CalendarDate, 
/**
 * Optional data fields, fillers removed.
 */
optionalData: Array<string>, 
/**
 * Fields whose OCR confusions were repaired (and confirmed by their check digit).
 */
repaired: Array<string>, };

export type MrzFormat = "Td1" | "Td2" | "Td3" | "MrvA" | "MrvB";

export type Sex = "female" | "male" | "unspecified";

export type AamvaLicence = { 
/**
 * IIN of the issuing jurisdiction (6 digits).
 */
issuer: string, aamvaVersion: number, 
/**
 * `USA` or `CAN` (DCG).
 */
country: string, 
/**
 * DAQ
 */
documentNumber: string, familyName: string, givenNames: string, 
/**
 * DBB
 */
birthDate: CalendarDate, 
/**
 * DBA
 */
expiryDate: CalendarDate, sex: Sex, 
/**
 * DDH, DDI, DDJ: dates until which the holder is under 18, 19 and 21, where printed.
 */
under18Until: CalendarDate | null, under19Until: CalendarDate | null, under21Until: CalendarDate | null, };
