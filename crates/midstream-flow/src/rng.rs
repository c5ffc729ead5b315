//! A seedable random generator for generators, tests and Monte Carlo draws.

/// A small, fast, seedable generator (`SplitMix64`, Steele, Lea and Flood 2014).
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        // 53 random bits, exactly representable, scaled by 2^-53.
        #[allow(clippy::cast_precision_loss)] // Reason: 53 bits fit an f64 mantissa exactly.
        let x = (self.next_u64() >> 11) as f64;
        x * f64::from(2u32).powi(-53)
    }

    /// A uniform integer in `[0, n)` (0 if `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        #[allow(clippy::cast_possible_truncation)] // Reason: the result is below n, a usize.
        let i = ((u128::from(self.next_u64()) * n as u128) >> 64) as usize;
        i
    }
}
