//! The organization codes seen so far in a file, to report repeated ones.
//! Compared without case (`OECA-1` = `oeca-1`). Built for a million rows in
//! little memory: each code takes one 12-byte slot holding a 64-bit hash of
//! it and its row, in an open-addressing table at most 75 % full (about
//! 16 bytes a code: 16 MB for a million). Two different codes with the same
//! hash would be taken for a repetition; among a million codes that chance
//! is about 1 in 30 million, and the message names both rows so a person
//! can check. (40 bits of hash, tried to save 5 MB, are not enough: about
//! one false repetition per million codes.)

/// The hash in two halves (so slots pack in 12 bytes) and the row where the
/// code first appeared; row 0 marks an empty slot (data rows start at 1).
type Slot = [u32; 3];

/// Largest share of slots in use before the table grows.
const MAX_LOAD: f64 = 0.75;

#[derive(Default)]
pub(crate) struct CodeSet {
    slots: Vec<Slot>,
    len: usize,
    scratch: String,
}

impl CodeSet {
    /// Room for `codes` codes without growing.
    pub(crate) fn reserve(&mut self, codes: usize) {
        let wanted = slots_for(codes);
        if wanted > self.slots.len() {
            self.rehash(wanted);
        }
    }

    /// Records that `code` appears at `line`; if it appeared before, returns
    /// the line where it first did (and records nothing).
    pub(crate) fn first_seen(&mut self, code: &str, line: usize) -> Option<usize> {
        let hash = hash_str(lowercase(code, &mut self.scratch));
        if self.len + 1 > (self.slots.len() as f64 * MAX_LOAD) as usize {
            self.rehash(slots_for(self.len + 1).max(self.slots.len() * 3 / 2));
        }
        let (lo, hi) = (hash as u32, (hash >> 32) as u32);
        let n = self.slots.len();
        let mut i = home(hash, n);
        loop {
            let [a, b, row] = self.slots[i];
            if row == 0 {
                // Rows past 4 billion are recorded as the last one possible.
                let row = u32::try_from(line).unwrap_or(u32::MAX).max(1);
                self.slots[i] = [lo, hi, row];
                self.len += 1;
                return None;
            }
            if a == lo && b == hi {
                return Some(row as usize);
            }
            i = if i + 1 == n { 0 } else { i + 1 };
        }
    }

    fn rehash(&mut self, slots: usize) {
        let old = std::mem::replace(&mut self.slots, vec![[0; 3]; slots]);
        for [lo, hi, row] in old {
            if row == 0 {
                continue;
            }
            let hash = u64::from(lo) | (u64::from(hi) << 32);
            let mut i = home(hash, slots);
            while self.slots[i][2] != 0 {
                i = if i + 1 == slots { 0 } else { i + 1 };
            }
            self.slots[i] = [lo, hi, row];
        }
    }
}

fn slots_for(codes: usize) -> usize {
    ((codes as f64 / MAX_LOAD) as usize + 1).max(16)
}

/// The slot a hash starts looking at: the hash scaled to the table size
/// (any size, not only powers of two, so the table grows by half).
fn home(hash: u64, slots: usize) -> usize {
    ((u128::from(hash) * slots as u128) >> 64) as usize
}

/// A code as compared everywhere: without case (`OECA-1` = `oeca-1`).
pub fn code_key(code: &str) -> String {
    let mut scratch = String::new();
    lowercase(code, &mut scratch).to_string()
}

/// The code in lower case, borrowing it when it already is.
fn lowercase<'a>(code: &'a str, scratch: &'a mut String) -> &'a str {
    if code.is_ascii() {
        if !code.bytes().any(|b| b.is_ascii_uppercase()) {
            return code;
        }
        scratch.clear();
        scratch.push_str(code);
        scratch.make_ascii_lowercase();
    } else {
        scratch.clear();
        scratch.extend(code.chars().flat_map(char::to_lowercase));
    }
    scratch
}

/// SipHash (the standard library's hasher, with its fixed keys): a well
/// mixed 64-bit hash, so different codes practically never share one. A
/// faster multiply-xor hash was tried and confused structured codes like
/// `CHI-0000923` and `NOR-0008223`.
fn hash_str(s: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write(s.as_bytes());
    h.finish()
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
    fn grows_and_keeps_every_code() {
        let mut set = CodeSet::default();
        for i in 0..10_000 {
            assert_eq!(set.first_seen(&format!("C-{i}"), i + 2), None);
        }
        for i in 0..10_000 {
            assert_eq!(set.first_seen(&format!("c-{i}"), 20_000), Some(i + 2));
        }
        assert_eq!(set.len, 10_000);
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
