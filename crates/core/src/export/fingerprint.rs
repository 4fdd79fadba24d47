//! The plan's fingerprint: SHA-256 of the plan file as `export --format plan` writes it without secrets, so
//! anyone can check which plan a review pack was made from with `sha256sum`. A small self-contained SHA-256
//! (FIPS 180-4): core takes no crypto dependency for one digest.

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// SHA-256 of `data`, as 64 lowercase hex digits.
pub fn sha256_hex(data: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(data);
    hasher.finish_hex()
}

/// An incremental SHA-256: bytes go in with `update` in pieces of any size.
pub struct Sha256 {
    state: [u32; 8],
    /// Bytes of an unfinished block.
    buffer: [u8; 64],
    buffered: usize,
    length: u64,
    /// Only x86_64 has the hardware path; elsewhere (the wasm app) the portable code always runs.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    hardware: bool,
}

impl Default for Sha256 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha256 {
    pub fn new() -> Self {
        Sha256 {
            state: H0,
            buffer: [0; 64],
            buffered: 0,
            length: 0,
            hardware: hardware_available(),
        }
    }

    pub fn update(&mut self, mut data: &[u8]) {
        self.length = self.length.wrapping_add(data.len() as u64);
        if self.buffered > 0 {
            let take = (64 - self.buffered).min(data.len());
            self.buffer[self.buffered..self.buffered + take].copy_from_slice(&data[..take]);
            self.buffered += take;
            data = &data[take..];
            if self.buffered < 64 {
                return;
            }
            let block = self.buffer;
            self.compress(&block);
            self.buffered = 0;
        }
        let whole = data.len() / 64 * 64;
        if whole > 0 {
            self.compress(&data[..whole]);
        }
        let rest = &data[whole..];
        self.buffer[..rest.len()].copy_from_slice(rest);
        self.buffered = rest.len();
    }

    /// Compresses whole 64-byte blocks.
    fn compress(&mut self, blocks: &[u8]) {
        #[cfg(target_arch = "x86_64")]
        if self.hardware {
            // SAFETY: `hardware` is true only when the CPU has the SHA, SSSE3 and SSE4.1 extensions.
            unsafe { x86::compress(&mut self.state, blocks) };
            return;
        }
        compress_portable(&mut self.state, blocks);
    }

    /// The digest, as 64 lowercase hex digits.
    pub fn finish_hex(mut self) -> String {
        let bit_length = self.length.wrapping_mul(8);
        let mut tail = [0u8; 128];
        tail[..self.buffered].copy_from_slice(&self.buffer[..self.buffered]);
        tail[self.buffered] = 0x80;
        let end = if self.buffered < 56 { 64 } else { 128 };
        tail[end - 8..end].copy_from_slice(&bit_length.to_be_bytes());
        self.compress(&tail[..end]);
        let mut out = String::with_capacity(64);
        for word in self.state {
            let _ = std::fmt::Write::write_fmt(&mut out, format_args!("{word:08x}"));
        }
        out
    }
}

fn hardware_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("sha")
            && std::arch::is_x86_feature_detected!("ssse3")
            && std::arch::is_x86_feature_detected!("sse4.1")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

fn compress_portable(h: &mut [u32; 8], blocks: &[u8]) {
    let mut w = [0u32; 64];
    for block in blocks.chunks_exact(64) {
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = *h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (state, value) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *state = state.wrapping_add(value);
        }
    }
}

/// The x86 SHA extensions (Intel SHA-NI, also on AMD Zen): about ten times the portable code's speed.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::K;
    use std::arch::x86_64::*;

    /// # Safety
    /// The CPU must have the SHA, SSSE3 and SSE4.1 extensions; `blocks` is whole 64-byte blocks.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub unsafe fn compress(h: &mut [u32; 8], blocks: &[u8]) {
        // The state as the instructions want it: ABEF and CDGH.
        let dcba = _mm_loadu_si128(h.as_ptr().cast());
        let hgfe = _mm_loadu_si128(h.as_ptr().add(4).cast());
        let cdab = _mm_shuffle_epi32(dcba, 0xB1);
        let efgh = _mm_shuffle_epi32(hgfe, 0x1B);
        let mut abef = _mm_alignr_epi8(cdab, efgh, 8);
        let mut cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
        let byte_swap = _mm_set_epi64x(0x0c0d0e0f_08090a0b, 0x04050607_00010203);
        for block in blocks.chunks_exact(64) {
            let (abef_before, cdgh_before) = (abef, cdgh);
            let p = block.as_ptr();
            let mut w = [
                _mm_shuffle_epi8(_mm_loadu_si128(p.cast()), byte_swap),
                _mm_shuffle_epi8(_mm_loadu_si128(p.add(16).cast()), byte_swap),
                _mm_shuffle_epi8(_mm_loadu_si128(p.add(32).cast()), byte_swap),
                _mm_shuffle_epi8(_mm_loadu_si128(p.add(48).cast()), byte_swap),
            ];
            for g in 0..16 {
                // W[g] (four words) from W[g-4] (already through msg1 with W[g-3]), W[g-2] and W[g-1].
                if g >= 4 {
                    let shifted = _mm_alignr_epi8(w[(g - 1) % 4], w[(g - 2) % 4], 4);
                    w[g % 4] =
                        _mm_sha256msg2_epu32(_mm_add_epi32(w[g % 4], shifted), w[(g - 1) % 4]);
                }
                let message =
                    _mm_add_epi32(w[g % 4], _mm_loadu_si128(K.as_ptr().add(4 * g).cast()));
                cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
                abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(message, 0x0E));
                // W[g-2] has served its last raw use (in W[g]): put it through msg1 with W[g-1], for W[g+2].
                if (2..14).contains(&g) {
                    w[(g - 2) % 4] = _mm_sha256msg1_epu32(w[(g - 2) % 4], w[(g - 1) % 4]);
                }
            }
            abef = _mm_add_epi32(abef, abef_before);
            cdgh = _mm_add_epi32(cdgh, cdgh_before);
        }
        let feba = _mm_shuffle_epi32(abef, 0x1B);
        let dchg = _mm_shuffle_epi32(cdgh, 0xB1);
        let dcba = _mm_blend_epi16(feba, dchg, 0xF0);
        let hgfe = _mm_alignr_epi8(dchg, feba, 8);
        _mm_storeu_si128(h.as_mut_ptr().cast(), dcba);
        _mm_storeu_si128(h.as_mut_ptr().add(4).cast(), hgfe);
    }
}

/// The plan's fingerprint: SHA-256 of its canonical compact JSON (serde_json's compact printer over the plan,
/// the form share links carry), without secrets. Whitespace and formatting of a plan file do not change it;
/// `vpn-designer fingerprint plan.json` prints it for any plan file.
///
/// Compact rather than the pretty plan file: half the bytes to write and hash (a 1,000-network plan is 9 MB
/// compact, 18 MB pretty), which is a third of the review pack's time at that size.
pub fn fingerprint(plan: &crate::model::Plan) -> String {
    // Written whole, then hashed: hashing as it is written would need a second copy of the model's serialisation
    // code (one per writer type) in the browser's bundle.
    let text = crate::model::json::compact(&super::plan_file::without_secrets(plan));
    sha256_hex(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        let million = vec![b'a'; 1_000_000];
        assert_eq!(
            sha256_hex(&million),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn portable_hardware_and_streaming_agree() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for len in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 10_000] {
            let mut portable = H0;
            let mut tail = data[..len].to_vec();
            let bits = (len as u64) * 8;
            tail.push(0x80);
            while tail.len() % 64 != 56 {
                tail.push(0);
            }
            tail.extend_from_slice(&bits.to_be_bytes());
            compress_portable(&mut portable, &tail);
            let expected: String = portable.iter().map(|w| format!("{w:08x}")).collect();
            assert_eq!(sha256_hex(&data[..len]), expected, "{len}");
            let mut pieces = Sha256::new();
            for chunk in data[..len].chunks(7) {
                pieces.update(chunk);
            }
            assert_eq!(pieces.finish_hex(), expected, "{len} in pieces");
        }
    }
}
