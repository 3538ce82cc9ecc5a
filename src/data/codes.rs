//! The organization codes seen so far in a file, to report repeated ones.
//! Compared without case (`OECA-1` = `oeca-1`). Built for a million rows in
//! flat memory: only a 64-bit hash of each code and its row are kept (about
//! 20 bytes a code). Two different codes with the same hash would be taken
//! for a repetition; among a million codes that chance is about 1 in 30
//! million, and the message names both rows so a person can check.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default)]
pub(crate) struct CodeSet {
    /// Hash of a lower-case code → the row where it first appeared.
    first_row: HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>,
    scratch: String,
}

impl CodeSet {
    pub(crate) fn reserve(&mut self, codes: usize) {
        self.first_row.reserve(codes);
    }

    /// Records that `code` appears at `line`; if it appeared before, returns
    /// the line where it first did (and records nothing).
    pub(crate) fn first_seen(&mut self, code: &str, line: usize) -> Option<usize> {
        let CodeSet { first_row, scratch } = self;
        let key: &str = if code.is_ascii() {
            if code.bytes().any(|b| b.is_ascii_uppercase()) {
                scratch.clear();
                scratch.push_str(code);
                scratch.make_ascii_lowercase();
                scratch
            } else {
                code
            }
        } else {
            scratch.clear();
            scratch.extend(code.chars().flat_map(char::to_lowercase));
            scratch
        };
        let row = u32::try_from(line).unwrap_or(u32::MAX);
        match first_row.entry(hash_str(key)) {
            std::collections::hash_map::Entry::Occupied(e) => Some(*e.get() as usize),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(row);
                None
            }
        }
    }
}

/// FxHash's mixing over 8-byte words, then MurmurHash3's finalizer so every
/// bit of the result depends on every input bit.
fn hash_str(s: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = s.len() as u64;
    let mut chunks = s.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The keys are already hashes.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_codes_ignoring_case() {
        let mut set = CodeSet::default();
        assert_eq!(set.first_seen("OECA-1", 2), None);
        assert_eq!(set.first_seen("OECA-2", 3), None);
        assert_eq!(set.first_seen("oeca-1", 4), Some(2));
        assert_eq!(set.first_seen("Ñandú", 5), None);
        assert_eq!(set.first_seen("ÑANDÚ", 6), Some(5));
        assert_eq!(set.first_seen("OECA-2", 7), Some(3));
    }
}
