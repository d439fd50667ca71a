// Everything the overlay says, in English and German. Apps override any string, or add a language
// by passing a full `OverlayStrings`.
import type { ChallengeAction, Guidance } from '../core-types.js';

export interface OverlayStrings {
  title: string;
  loadingModels: string;
  startingCamera: string;
  guidance: Record<Guidance, string>;
  challenge: Record<ChallengeAction, string>;
  /** "{step}" and "{steps}" are replaced. */
  challengeStep: string;
  matching: string;
  success: string;
  failure: string;
  cancel: string;
  /** Shown for error codes; unknown codes fall back to `failure`. */
  errors: Partial<Record<string, string>>;
}

export const en: OverlayStrings = {
  title: 'Face check',
  loadingModels: 'Preparing face check…',
  startingCamera: 'Starting the camera…',
  guidance: {
    no_face: 'Look at the camera',
    one_face_only: 'Only one person, please',
    centre_face: 'Centre your face in the oval',
    move_closer: 'Move closer',
    move_back: 'Move back a little',
    more_light: 'Find more light',
    less_light: 'Too bright: avoid direct light',
    look_straight: 'Look straight at the camera',
    hold_still: 'Hold still',
    good: 'Great, hold still…',
  },
  challenge: {
    blink: 'Blink',
    turn_left: 'Turn your head to the left',
    turn_right: 'Turn your head to the right',
    look_up: 'Look up',
    look_down: 'Look down',
  },
  challengeStep: 'Step {step} of {steps}',
  matching: 'Checking…',
  success: 'Done',
  failure: 'That did not work',
  cancel: 'Cancel',
  errors: {
    USER_NOT_FOUND: 'Face not recognised',
    LIVENESS_CHECK_FAILED: 'We could not confirm a live person',
    FACE_MATCH_FAILED: 'The face does not match',
    FALLBACK_REQUIRED: 'Please confirm another way',
    MULTIPLE_FACES_DETECTED: 'More than one face is in view',
    CAMERA_ACCESS_DENIED: 'Camera access was denied',
    CAMERA_NOT_FOUND: 'No camera found',
    TIMEOUT_ERROR: 'That took too long',
    USER_CANCELLED: 'Cancelled',
    ACCOUNT_LOCKED: 'Too many attempts: try again later',
    DEVICE_NOT_SUPPORTED: 'This browser cannot run the face check',
    DOCUMENT_EXPIRED: 'The document has expired',
    DOCUMENT_INVALID: 'The document could not be read',
  },
};

export const de: OverlayStrings = {
  title: 'Gesichtsprüfung',
  loadingModels: 'Gesichtsprüfung wird vorbereitet…',
  startingCamera: 'Kamera wird gestartet…',
  guidance: {
    no_face: 'Bitte in die Kamera schauen',
    one_face_only: 'Bitte nur eine Person',
    centre_face: 'Gesicht im Oval zentrieren',
    move_closer: 'Näher herankommen',
    move_back: 'Etwas zurückgehen',
    more_light: 'Mehr Licht, bitte',
    less_light: 'Zu hell: direktes Licht vermeiden',
    look_straight: 'Gerade in die Kamera schauen',
    hold_still: 'Bitte stillhalten',
    good: 'Sehr gut, stillhalten…',
  },
  challenge: {
    blink: 'Blinzeln',
    turn_left: 'Kopf nach links drehen',
    turn_right: 'Kopf nach rechts drehen',
    look_up: 'Nach oben schauen',
    look_down: 'Nach unten schauen',
  },
  challengeStep: 'Schritt {step} von {steps}',
  matching: 'Wird geprüft…',
  success: 'Fertig',
  failure: 'Das hat nicht geklappt',
  cancel: 'Abbrechen',
  errors: {
    USER_NOT_FOUND: 'Gesicht nicht erkannt',
    LIVENESS_CHECK_FAILED: 'Lebendigkeit konnte nicht bestätigt werden',
    FACE_MATCH_FAILED: 'Das Gesicht stimmt nicht überein',
    FALLBACK_REQUIRED: 'Bitte auf anderem Weg bestätigen',
    MULTIPLE_FACES_DETECTED: 'Mehr als ein Gesicht im Bild',
    CAMERA_ACCESS_DENIED: 'Kamerazugriff verweigert',
    CAMERA_NOT_FOUND: 'Keine Kamera gefunden',
    TIMEOUT_ERROR: 'Das hat zu lange gedauert',
    USER_CANCELLED: 'Abgebrochen',
    ACCOUNT_LOCKED: 'Zu viele Versuche: bitte später erneut versuchen',
    DEVICE_NOT_SUPPORTED: 'Dieser Browser kann die Gesichtsprüfung nicht ausführen',
    DOCUMENT_EXPIRED: 'Das Dokument ist abgelaufen',
    DOCUMENT_INVALID: 'Das Dokument konnte nicht gelesen werden',
  },
};

export const LANGUAGES: Record<string, OverlayStrings> = { en, de };

/** The strings for `language` (or the browser's), with the app's overrides on top. */
export function stringsFor(language: string | undefined, overrides: Partial<OverlayStrings> = {}): OverlayStrings {
  const wanted = (language ?? globalThis.navigator?.language ?? 'en').slice(0, 2).toLowerCase();
  const base = LANGUAGES[wanted] ?? en;
  return {
    ...base,
    ...overrides,
    guidance: { ...base.guidance, ...overrides.guidance },
    challenge: { ...base.challenge, ...overrides.challenge },
    errors: { ...base.errors, ...overrides.errors },
  };
}
