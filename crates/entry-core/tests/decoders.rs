//! Property tests: every decoder of untrusted bytes returns a typed error or a value, never panics,
//! and nothing altered ever authenticates.

use entry_core::audit::AuditLog;
use entry_core::documents::{parse_aamva, parse_mrz, CalendarDate};
use entry_core::face::Embedding;
use entry_core::protect::{verify_session, MemoryReplayGuard};
use entry_core::protect::{Keyring, MasterSecret, SealedTemplate, UtcDay};
use entry_core::Frame;
use proptest::prelude::*;

fn keyring() -> Keyring {
    Keyring::new(MasterSecret::new(&[8u8; 32]).unwrap(), "app", 7)
}

const DAY: UtcDay = UtcDay(20_700);
const NOW: u64 = 20_700 * 86_400 + 3_600;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_open_as_a_template(bytes in proptest::collection::vec(any::<u8>(), 0..2200)) {
        let opened = SealedTemplate::from_bytes(bytes).and_then(|s| s.open(&keyring(), "u", s.model_id(), DAY));
        prop_assert!(opened.is_err());
    }

    #[test]
    fn any_edit_of_a_sealed_template_is_refused(
        values in proptest::collection::vec(-1.0f32..1.0, 4..64),
        edits in proptest::collection::vec((any::<usize>(), 1u8..=255), 1..4),
    ) {
        prop_assume!(values.iter().any(|v| v.abs() > 1e-3));
        let e = Embedding::new("m", values).unwrap();
        let sealed = SealedTemplate::seal(&keyring(), "u", &e, DAY).unwrap().into_bytes();
        let mut bytes = sealed.clone();
        for (at, xor) in edits {
            let i = at % bytes.len();
            bytes[i] ^= xor;
        }
        // Two edits of one byte with the same mask cancel out: that is no edit (seen: 61 bytes, both
        // edits at index 6 with mask 10).
        prop_assume!(bytes != sealed);
        let opened = SealedTemplate::from_bytes(bytes).and_then(|s| s.open(&keyring(), "u", "m", DAY));
        prop_assert!(opened.is_err());
    }

    #[test]
    fn arbitrary_session_tokens_are_refused(token in ".{0,300}", body in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut guard = MemoryReplayGuard::default();
        prop_assert!(verify_session(&keyring(), &token, NOW, &mut guard).is_err());
        use base64::Engine as _;
        let encoded = format!("ent1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&body));
        prop_assert!(verify_session(&keyring(), &encoded, NOW, &mut guard).is_err());
    }

    #[test]
    fn arbitrary_text_never_panics_the_audit_parser(text in ".{0,400}") {
        let _ = AuditLog::from_json_lines(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_image_decoder(mut bytes in proptest::collection::vec(any::<u8>(), 0..512), png in any::<bool>()) {
        // Start some inputs with a real signature so the decoders get past format detection.
        if png { bytes.splice(0..0, *b"\x89PNG\r\n\x1a\n"); } else { bytes.splice(0..0, [0xff, 0xd8, 0xff, 0xe0]); }
        let _ = Frame::decode(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics_the_mrz_parser(text in "\\PC{0,200}") {
        let _ = parse_mrz(&text, CalendarDate { year: 2026, month: 11, day: 26 });
    }

    #[test]
    fn mrz_shaped_noise_is_an_error_or_a_checked_document(
        layout in 0usize..3,
        noise in proptest::collection::vec(proptest::sample::select(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<".to_vec()), 132),
    ) {
        let (lines, width) = [(2usize, 44usize), (3, 30), (2, 36)][layout];
        let text: Vec<String> = (0..lines).map(|i| String::from_utf8(noise[i * width..(i + 1) * width].to_vec()).unwrap()).collect();
        if let Ok(m) = parse_mrz(&text.join("\n"), CalendarDate { year: 2026, month: 11, day: 26 }) {
            // Whatever passes every check digit has valid dates.
            prop_assert!(CalendarDate::new(m.birth_date.year, m.birth_date.month, m.birth_date.day).is_some());
        }
    }

    #[test]
    fn arbitrary_text_never_panics_the_aamva_parser(prefix in "\\PC{0,40}", body in "[A-Z0-9\n\r ]{0,300}") {
        let _ = parse_aamva(&text_with_header(&prefix, &body));
        let _ = parse_aamva(&body);
    }
}

fn text_with_header(prefix: &str, body: &str) -> String {
    format!("{prefix}@\n\u{1e}\rANSI 636000090002DL{body}")
}
