//! [`InlineStr`]: the text of ids and names, kept inside the object when short.
//!
//! A plan is mostly small objects whose ids and names are short (`az-nsg-12-in-3`, `app`). As `String`s each
//! was a separate heap allocation, so every id compared or name read by the review was a pointer to chase: on a
//! 10,000-network plan (180 MB, past the last-level cache) the checks' passes spent most of their time waiting
//! for those reads. Text of up to [`INLINE_CAPACITY`] bytes now lives in the object itself, in the same 24 bytes
//! a `String` took; longer text goes to the heap as before.
//!
//! Only natively (the command line, benchmarks, tests). In the browser the text stays on the heap as before:
//! the plans people draw there hold tens of networks, where the inline copies' code cost more in bundle size
//! (37 KB raw) than the reads they saved; the type behaves the same either way.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// The longest text kept inline: 24 bytes less the length byte and the variant's tag.
pub const INLINE_CAPACITY: usize = 22;

/// An immutable string, inline up to [`INLINE_CAPACITY`] bytes. It behaves as the `str` it holds: equality,
/// order and hash are the text's, so maps keyed by it are looked up with a `&str`.
#[derive(Clone)]
pub struct InlineStr(Repr);

#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone)]
enum Repr {
    /// `bytes[..len]` is UTF-8: only [`InlineStr::new`] builds it, from a `&str`.
    Inline {
        len: u8,
        bytes: [u8; INLINE_CAPACITY],
    },
    Heap(Box<str>),
}

#[cfg(target_arch = "wasm32")]
#[derive(Clone)]
struct Repr(Box<str>);

#[cfg(target_arch = "wasm32")]
impl InlineStr {
    pub fn new(text: &str) -> Self {
        InlineStr(Repr(text.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0 .0
    }

    pub fn is_inline(&self) -> bool {
        false
    }

    fn from_string(text: String) -> Self {
        InlineStr(Repr(text.into_boxed_str()))
    }

    fn into_string(self) -> String {
        self.0 .0.into_string()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl InlineStr {
    pub fn new(text: &str) -> Self {
        if text.len() <= INLINE_CAPACITY {
            let mut bytes = [0; INLINE_CAPACITY];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            InlineStr(Repr::Inline {
                len: text.len() as u8,
                bytes,
            })
        } else {
            InlineStr(Repr::Heap(text.into()))
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => {
                let bytes = &bytes[..usize::from(*len)];
                // SAFETY: `new` copied these bytes whole from a `&str`, and nothing else writes them.
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
            Repr::Heap(text) => text,
        }
    }

    /// Whether the text is kept inline (for tests and benchmarks).
    pub fn is_inline(&self) -> bool {
        matches!(self.0, Repr::Inline { .. })
    }

    fn from_string(text: String) -> Self {
        if text.len() <= INLINE_CAPACITY {
            InlineStr::new(&text)
        } else {
            // Reuses the allocation (shrinking it to fit, when it has spare room).
            InlineStr(Repr::Heap(text.into_boxed_str()))
        }
    }

    fn into_string(self) -> String {
        match self.0 {
            Repr::Heap(text) => text.into_string(),
            Repr::Inline { .. } => self.as_str().to_string(),
        }
    }
}

impl Default for InlineStr {
    fn default() -> Self {
        InlineStr::new("")
    }
}

impl Deref for InlineStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for InlineStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for InlineStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for InlineStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for InlineStr {}

impl PartialOrd for InlineStr {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for InlineStr {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// The text's hash, as `str` hashes it: `Borrow<str>` requires it.
impl Hash for InlineStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialEq<str> for InlineStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for InlineStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for InlineStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<InlineStr> for str {
    fn eq(&self, other: &InlineStr) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<InlineStr> for &str {
    fn eq(&self, other: &InlineStr) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<InlineStr> for String {
    fn eq(&self, other: &InlineStr) -> bool {
        self == other.as_str()
    }
}

impl From<&str> for InlineStr {
    fn from(text: &str) -> Self {
        InlineStr::new(text)
    }
}

impl From<&String> for InlineStr {
    fn from(text: &String) -> Self {
        InlineStr::new(text)
    }
}

impl From<String> for InlineStr {
    fn from(text: String) -> Self {
        InlineStr::from_string(text)
    }
}

impl From<InlineStr> for String {
    fn from(text: InlineStr) -> Self {
        text.into_string()
    }
}

impl fmt::Display for InlineStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad` honours width and alignment, as `str`'s Display does.
        f.pad(self.as_str())
    }
}

impl fmt::Debug for InlineStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for InlineStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for InlineStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = InlineStr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            // Short text is copied straight from the input: no `String` is allocated on the way.
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<InlineStr, E> {
                Ok(InlineStr::new(text))
            }
            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<InlineStr, E> {
                Ok(InlineStr::from(text))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::hash_map::DefaultHasher;

    fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
        let mut h = DefaultHasher::new();
        value.hash(&mut h);
        h.finish()
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn it_is_as_small_as_a_string() {
        assert_eq!(
            std::mem::size_of::<InlineStr>(),
            std::mem::size_of::<String>()
        );
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn short_text_is_inline_and_long_text_is_not() {
        let edge = "x".repeat(INLINE_CAPACITY);
        assert!(InlineStr::new(&edge).is_inline());
        assert!(!InlineStr::new(&format!("{edge}y")).is_inline());
        assert!(InlineStr::from(format!("{edge}y")).as_str().ends_with('y'));
        // A multi-byte character at the edge stays whole.
        let accented = format!("{}é", "x".repeat(INLINE_CAPACITY - 2));
        assert_eq!(InlineStr::new(&accented).as_str(), accented);
        assert!(!InlineStr::new(&format!("{accented}é")).is_inline());
    }

    #[test]
    fn display_pads_like_str() {
        assert_eq!(format!("[{:>6}]", InlineStr::new("ab")), "[    ab]");
        assert_eq!(format!("{:?}", InlineStr::new("a\"b")), "\"a\\\"b\"");
    }

    #[test]
    fn json_round_trips_escapes_and_long_text() {
        for text in [
            "",
            "app",
            "quote \" and \\ and \u{1F600}",
            &"long-".repeat(20),
        ] {
            let json = serde_json::to_string(&InlineStr::new(text)).unwrap();
            assert_eq!(json, serde_json::to_string(text).unwrap());
            let back: InlineStr = serde_json::from_str(&json).unwrap();
            assert_eq!(back, text);
        }
        assert!(serde_json::from_str::<InlineStr>("12").is_err());
    }

    proptest! {
        #[test]
        fn behaves_as_the_str_it_holds(a in ".{0,40}", b in ".{0,40}") {
            let (x, y) = (InlineStr::new(&a), InlineStr::from(b.clone()));
            prop_assert_eq!(x.as_str(), a.as_str());
            prop_assert_eq!(y.as_str(), b.as_str());
            prop_assert_eq!(x == y, a == b);
            prop_assert_eq!(x.cmp(&y), a.as_str().cmp(b.as_str()));
            prop_assert_eq!(hash_of(&x), hash_of(a.as_str()));
            prop_assert_eq!(String::from(y), b);
        }
    }
}
