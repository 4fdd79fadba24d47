//! Pre-shared keys both clouds accept.
//!
//! AWS's rules are the stricter (facts sheet 3.3 [AWS1] [AWS3]): 8–64 characters from letters, digits, `.` and `_`,
//! not starting with `0`. Azure forbids only space, `-` and `~` and allows 1–128 characters [AZ2] [AZ17], so a key
//! that satisfies AWS satisfies both.

use crate::facts::aws as aws_facts;
use crate::model::Secret;

/// Exactly 64 characters, so one random byte's low six bits pick one without bias.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";

/// The generated length: AWS's own generated keys are 32 characters, well inside both clouds' ranges.
pub const KEY_LENGTH: usize = 32;

/// A key from `random`, which must be a cryptographic source (the browser's `crypto.getRandomValues`).
pub fn generate_key(random: &mut dyn FnMut(&mut [u8])) -> Secret {
    debug_assert!(aws_facts::PSK_LENGTH.value.contains(KEY_LENGTH as u64));
    let mut key = String::with_capacity(KEY_LENGTH);
    let mut buffer = [0u8; 64];
    while key.len() < KEY_LENGTH {
        random(&mut buffer);
        for byte in buffer {
            let c = ALPHABET[(byte & 0x3f) as usize] as char;
            // AWS: a key cannot start with `0`; drawing again keeps the other characters uniform.
            if key.is_empty() && c == '0' {
                continue;
            }
            if key.len() < KEY_LENGTH {
                key.push(c);
            }
        }
    }
    Secret::new(key)
}
