//! Share links: the plan in the URL fragment (`#plan=v1.<base64url>`), never sent to any server.
//!
//! The payload is the plan file's JSON with every pre-shared key removed, compressed with raw DEFLATE by the
//! browser's own `CompressionStream` (so no compressor is shipped in the bundle), then base64url-encoded. Decoding
//! is bounded at each stage: the fragment's length here, the inflated size by the app's reader (which stops at
//! `MAX_PLAN_JSON`), and the plan by the loader, so a hostile link cannot exhaust memory.

use crate::model::secrets::redact;
use crate::model::Plan;

/// The fragment key and the payload version: a future format gets `v2` and this one stays readable.
pub const PREFIX: &str = "plan=";
pub const VERSION: &str = "v1";
/// Longer fragments are refused before decoding (browsers keep URLs of a few megabytes at most).
pub const MAX_FRAGMENT_CHARS: usize = 2 * 1024 * 1024;
/// The inflated JSON may be at most this large; the app's decompressor stops reading beyond it.
pub const MAX_PLAN_JSON: usize = 8 * 1024 * 1024;

/// The JSON a share link carries: the plan with its keys left out, compact.
pub fn payload(plan: &Plan) -> String {
    let mut plan = plan.clone();
    redact(&mut plan.design);
    crate::model::json::compact(&plan)
}

/// The fragment (without `#`) for compressed payload bytes.
pub fn fragment(compressed: &[u8]) -> String {
    format!("{PREFIX}{VERSION}.{}", base64url_encode(compressed))
}

/// Why a link could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError(pub String);

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a fragment is a share link at all (other fragments are left alone).
pub fn is_share_fragment(fragment: &str) -> bool {
    fragment.trim_start_matches('#').starts_with(PREFIX)
}

/// The compressed bytes of a share fragment, after checking its version and size.
pub fn parse_fragment(fragment: &str) -> Result<Vec<u8>, LinkError> {
    let fragment = fragment.trim_start_matches('#');
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(LinkError(format!(
            "the link is {} characters long; links over {MAX_FRAGMENT_CHARS} are refused",
            fragment.len()
        )));
    }
    let Some(rest) = fragment.strip_prefix(PREFIX) else {
        return Err(LinkError("the link does not carry a plan".into()));
    };
    let Some((version, data)) = rest.split_once('.') else {
        return Err(LinkError("the link is cut short: it has no version".into()));
    };
    if version != VERSION {
        return Err(LinkError(format!(
            "the link is format `{version}`; this version of VPN Designer reads `{VERSION}`"
        )));
    }
    base64url_decode(data).map_err(LinkError)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 section 5): safe in a URL fragment as is.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 0x3f) as usize] as char);
        }
    }
    out
}

pub fn base64url_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in text.trim_end_matches('=').bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => {
                return Err(format!(
                    "the link is damaged: character {} (`{}`) cannot appear in it",
                    i + 1,
                    (c as char).escape_default()
                ))
            }
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        return Err("the link is damaged: it ends part-way through a character".into());
    }
    Ok(out)
}
