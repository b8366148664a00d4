//! A short run of each fuzz target's body on generated inputs (seconds, not minutes), so
//! that `make test` keeps the targets building and honest. `make fuzz` runs libFuzzer.

use std::time::{Duration, Instant};

/// xorshift64*: reproducible inputs from a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = (self.next() as usize) % (max + 1);
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Runs `body` on inputs from `make` for `SMOKE_SECONDS` (default 2) seconds.
fn smoke(name: &str, mut make: impl FnMut(&mut Rng) -> Vec<u8>, body: fn(&[u8])) {
    let secs: u64 = std::env::var("SMOKE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(2);
    let (start, mut rng, mut runs) = (Instant::now(), Rng(0x9E37_79B9_7F4A_7C15), 0u64);
    while start.elapsed() < Duration::from_secs(secs) || runs < 5 {
        body(&make(&mut rng));
        runs += 1;
    }
    eprintln!("{name}: {runs} inputs in {:.1} s", start.elapsed().as_secs_f64());
}

#[test]
fn open_bytes_smoke() {
    smoke(
        "open_bytes",
        |r| {
            // Random bytes, and random bytes behind a real SQLite header.
            let mut b = r.bytes(4096);
            if r.next() % 2 == 0 {
                let mut h = b"SQLite format 3\0".to_vec();
                h.extend_from_slice(&[0x10, 0x00, 1, 1, 0, 64, 32, 32]);
                h.extend(b);
                b = h;
            }
            b
        },
        mlmd_lens_fuzz::open_bytes,
    );
}

#[test]
fn mutated_store_smoke() {
    smoke("mutated_store", |r| r.bytes(60), mlmd_lens_fuzz::mutated_store);
}

#[test]
fn query_smoke() {
    smoke("query", |r| r.bytes(200), mlmd_lens_fuzz::query);
    // Hostile shapes the random bytes rarely hit.
    for n in [65, 1_400, 20_000] {
        mlmd_lens_fuzz::query(format!("{}a{}", "(".repeat(n), ")".repeat(n)).as_bytes());
        mlmd_lens_fuzz::query("NOT ".repeat(n).as_bytes());
    }
}
