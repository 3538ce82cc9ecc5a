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

/// SipHash (the standard library's hasher, with its fixed keys): a well
/// mixed 64-bit hash, so different codes practically never share one. A
/// faster multiply-xor hash was tried and confused structured codes like
/// `CHI-0000923` and `NOR-0008223`.
fn hash_str(s: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    h.write(s.as_bytes());
    h.finish()
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

    #[test]
    fn structured_codes_never_look_repeated() {
        // A weak hash once took `CHI-0000923` and `NOR-0008223` for the same code.
        let mut set = CodeSet::default();
        let mut line = 2;
        for prefix in ["AMB", "CHA", "CHI", "NOR"] {
            for i in 0..50_000 {
                let code = format!("{prefix}-{i:07}");
                assert_eq!(set.first_seen(&code, line), None, "{code}");
                line += 1;
            }
        }
    }
}
