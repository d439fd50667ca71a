//! Template protection and matching costs: seal/open one template, and 1:N identification over
//! 100,000 templates that were sealed and opened first (as a server would hold them).
//! `cargo bench -p entry-benches --bench protect`

use criterion::{criterion_group, criterion_main, Criterion};
use entry_core::face::Embedding;
use entry_core::matching::{Gallery, Threshold};
use entry_core::protect::{Keyring, MasterSecret, SealedTemplate, UtcDay};

const DAY: UtcDay = UtcDay(20_600);

fn embedding(seed: u32) -> Embedding {
    // A deterministic pseudo-random unit vector per seed.
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let values = (0..512)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x as f32 / u32::MAX as f32) - 0.5
        })
        .collect();
    Embedding::new("bench", values).unwrap()
}

fn protect(c: &mut Criterion) {
    let ring = Keyring::new(MasterSecret::new(&[5u8; 32]).unwrap(), "bench-app", 30);
    let e = embedding(1);
    let sealed = SealedTemplate::seal(&ring, "user-1", &e, DAY).unwrap();
    c.bench_function("seal 512-d template", |b| b.iter(|| SealedTemplate::seal(&ring, "user-1", &e, DAY).unwrap()));
    c.bench_function("open 512-d template", |b| b.iter(|| sealed.open(&ring, "user-1", "bench", DAY).unwrap()));

    let mut gallery = Gallery::new();
    for i in 0..100_000u32 {
        let id = format!("user-{i}");
        let sealed = SealedTemplate::seal(&ring, &id, &embedding(i), DAY).unwrap();
        gallery.insert(id.clone(), &sealed.open(&ring, &id, "bench", DAY).unwrap()).unwrap();
    }
    let probe = embedding(77_777);
    let threshold = Threshold { fmr: 1e-3, cosine: 0.3 };
    let mut g = c.benchmark_group("identify");
    g.sample_size(20);
    g.bench_function("1:N over 100k opened templates", |b| b.iter(|| gallery.identify(&probe, threshold).unwrap()));
    g.finish();
}

criterion_group!(benches, protect);
criterion_main!(benches);
