//! The organization codes seen so far in a file, to report repeated ones.
//! Compared without case (`OECA-1` = `oeca-1`).
//!
//! Exact, and in memory that hardly grows with the file (a million rows of
//! the benchmark add about 130 kB):
//! - a code that is a prefix and a number (`1`, `AMB-0000123`, `oeca-7`) is
//!   one bit in a set of numbers per prefix (and per width, when the number
//!   is written with leading zeros): no hashing, no false repetitions;
//! - any other code is a 64-bit fingerprint (8 bytes) in a table;
//! - a code found again (or a fingerprint that matches) is confirmed, and
//!   the row where it first appeared is found, by reading the file again up
//!   to the current row ([`Rescan`]). Repeats are rare in a file that is
//!   right; after [`RESCANS_BEFORE_EXACT`] of them (a file with many
//!   repeats), or when the data cannot be read twice (a pipe), every code is
//!   kept in full instead, which is exact and only costs memory.

use std::collections::HashMap;

/// Reads the data file again from the start, handing every row's code (as
/// [`code_key`]) and row number to the visitor, until the visitor returns
/// false or the row `before` is reached.
pub(crate) type Rescan = Box<dyn FnMut(usize, &mut dyn FnMut(&str, usize) -> bool) + Send>;

/// Rereadings of the file for repeated codes before keeping every code in
/// memory instead (one last rereading loads them).
const RESCANS_BEFORE_EXACT: usize = 8;

/// Different prefixes kept as sets of numbers; codes of more prefixes than
/// this (codes that are not really "prefix and number") go by fingerprint.
const MAX_FAMILIES: usize = 1024;

#[derive(Default)]
pub(crate) struct CodeSet {
    /// Prefix and width of the number → its set, in `numbers`.
    families: HashMap<(Box<str>, u8), usize>,
    numbers: Vec<NumberSet>,
    /// The family of the last code, to skip the lookup for the next.
    last_family: Option<(Box<str>, u8, usize)>,
    fingerprints: Fingerprints,
    /// Codes confirmed repeated, with the row where each first appeared.
    repeated: HashMap<String, usize>,
    /// Every code with its first row, once the set is exact.
    exact: Option<HashMap<String, usize>>,
    rescan: Option<Rescan>,
    rescans: usize,
    /// Whether codes are checked at all (not when rereading for a check).
    off: bool,
    scratch: String,
}

impl CodeSet {
    /// How to read the file again; without it every code is kept in full.
    pub(crate) fn set_rescan(&mut self, rescan: Rescan) {
        self.rescan = Some(rescan);
    }

    /// Checks no codes (a rereading for a check has nothing to report).
    pub(crate) fn turn_off(&mut self) {
        self.off = true;
    }

    /// Records that `code` appears at `line`; if it appeared before, returns
    /// the line where it first did (and records nothing).
    pub(crate) fn first_seen(&mut self, code: &str, line: usize) -> Option<usize> {
        if self.off {
            return None;
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        let key = lowercase(code, &mut scratch);
        let found = self.check(key, line);
        self.scratch = scratch;
        found
    }

    fn check(&mut self, key: &str, line: usize) -> Option<usize> {
        if self.exact.is_none() && self.rescan.is_none() {
            self.go_exact(line);
        }
        if let Some(all) = &mut self.exact {
            if let Some(&first) = all.get(key) {
                return Some(first);
            }
            all.insert(key.to_string(), line);
            return None;
        }
        if !self.insert(key) {
            return None; // new
        }
        // Seen before (or a fingerprint that matches): confirm, and find where.
        if let Some(&first) = self.repeated.get(key) {
            return Some(first);
        }
        if self.rescans >= RESCANS_BEFORE_EXACT {
            self.go_exact(line);
            return self.check(key, line);
        }
        self.rescans += 1;
        let first = self.find_first(key, line)?;
        self.repeated.insert(key.to_string(), first);
        Some(first)
    }

    /// Inserts `key`; true if it (or, for a fingerprint, possibly it) was
    /// there already.
    fn insert(&mut self, key: &str) -> bool {
        match split_number(key) {
            Some((prefix, width, n)) => match self.family(prefix, width) {
                Some(f) => self.numbers[f].insert(n),
                None => self.fingerprints.insert(hash_str(key)),
            },
            None => self.fingerprints.insert(hash_str(key)),
        }
    }

    /// The set of numbers of a prefix and width (made on first use), unless
    /// there are too many prefixes already.
    fn family(&mut self, prefix: &str, width: u8) -> Option<usize> {
        if let Some((p, w, f)) = &self.last_family {
            if **p == *prefix && *w == width {
                return Some(*f);
            }
        }
        let f = match self.families.get(&(Box::from(prefix), width)) {
            Some(&f) => f,
            None if self.families.len() >= MAX_FAMILIES => return None,
            None => {
                self.numbers.push(NumberSet::default());
                let f = self.numbers.len() - 1;
                self.families.insert((Box::from(prefix), width), f);
                f
            }
        };
        self.last_family = Some((Box::from(prefix), width, f));
        Some(f)
    }

    /// The first row before `line` whose code is `key`, reading the file again.
    fn find_first(&mut self, key: &str, line: usize) -> Option<usize> {
        let rescan = self.rescan.as_mut()?;
        let mut first = None;
        rescan(line, &mut |k, l| {
            if k == key {
                first = Some(l);
                return false;
            }
            true
        });
        first
    }

    /// From here on every code is kept in full: the ones before `line`
    /// are read again (when the file can be).
    fn go_exact(&mut self, line: usize) {
        let mut all = HashMap::new();
        if let Some(rescan) = self.rescan.as_mut() {
            rescan(line, &mut |k, l| {
                all.entry(k.to_string()).or_insert(l);
                true
            });
        }
        self.exact = Some(all);
        // The compact sets are no longer needed.
        self.numbers = Vec::new();
        self.families = HashMap::new();
        self.last_family = None;
        self.fingerprints = Fingerprints::default();
    }
}

/// `abc-0012` → (`abc-`, 4, 12); `17` → (``, 0, 17): the number at the end
/// and its width when written with leading zeros (0 otherwise), so that
/// each code has one spelling. None without a number of up to 18 digits.
fn split_number(key: &str) -> Option<(&str, u8, u64)> {
    let bytes = key.as_bytes();
    let digits = bytes
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 || digits > 18 {
        return None;
    }
    let (prefix, number) = key.split_at(key.len() - digits);
    let n = number.parse::<u64>().ok()?;
    let width = if digits > 1 && number.starts_with('0') {
        digits as u8
    } else {
        0
    };
    Some((prefix, width, n))
}

/// A set of numbers in blocks of 65 536: a sorted list while a block has
/// few, a bitmap (8 kB) once it has many.
#[derive(Default)]
struct NumberSet {
    blocks: HashMap<u64, Block>,
}

enum Block {
    Few(Vec<u16>),
    Many(Box<[u64; 1024]>),
}

/// A block's list turns into a bitmap when the bitmap is smaller.
const FEW: usize = 4096;

impl NumberSet {
    /// True if `n` was there already.
    fn insert(&mut self, n: u64) -> bool {
        let low = (n & 0xFFFF) as u16;
        let block = self
            .blocks
            .entry(n >> 16)
            .or_insert_with(|| Block::Few(Vec::new()));
        match block {
            Block::Few(list) => match list.binary_search(&low) {
                Ok(_) => true,
                Err(at) => {
                    list.insert(at, low);
                    if list.len() > FEW {
                        let mut bits = Box::new([0u64; 1024]);
                        for &x in list.iter() {
                            bits[usize::from(x >> 6)] |= 1 << (x & 63);
                        }
                        *block = Block::Many(bits);
                    }
                    false
                }
            },
            Block::Many(bits) => {
                let (word, bit) = (usize::from(low >> 6), 1u64 << (low & 63));
                let was = bits[word] & bit != 0;
                bits[word] |= bit;
                was
            }
        }
    }
}

/// 64-bit fingerprints in an open-addressing table at most 75 % full
/// (about 11 bytes a code); 0 marks an empty slot.
#[derive(Default)]
struct Fingerprints {
    slots: Vec<u64>,
    len: usize,
}

impl Fingerprints {
    /// True if `hash` was there already.
    fn insert(&mut self, hash: u64) -> bool {
        let hash = hash.max(1);
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.rehash(slots_for(self.len + 1).max(self.slots.len() * 3 / 2));
        }
        let n = self.slots.len();
        let mut i = home(hash, n);
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = hash;
                    self.len += 1;
                    return false;
                }
                h if h == hash => return true,
                _ => i = if i + 1 == n { 0 } else { i + 1 },
            }
        }
    }

    fn rehash(&mut self, slots: usize) {
        let old = std::mem::replace(&mut self.slots, vec![0; slots]);
        for hash in old.into_iter().filter(|&h| h != 0) {
            let mut i = home(hash, slots);
            while self.slots[i] != 0 {
                i = if i + 1 == slots { 0 } else { i + 1 };
            }
            self.slots[i] = hash;
        }
    }
}

fn slots_for(codes: usize) -> usize {
    (codes * 4 / 3 + 1).max(16)
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
/// mixed 64-bit hash, so different codes practically never share one (and
/// when two do, the rereading tells them apart).
fn hash_str(s: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write(s.as_bytes());
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A set over a list of codes (row = index + 2), rereading that list.
    fn set_over(codes: &[String]) -> CodeSet {
        let codes = codes.to_vec();
        let mut set = CodeSet::default();
        set.set_rescan(Box::new(move |before, visit| {
            for (i, c) in codes.iter().enumerate() {
                let line = i + 2;
                if line >= before || !visit(&code_key(c), line) {
                    return;
                }
            }
        }));
        set
    }

    fn run(set: &mut CodeSet, codes: &[String]) -> Vec<Option<usize>> {
        codes
            .iter()
            .enumerate()
            .map(|(i, c)| set.first_seen(c, i + 2))
            .collect()
    }

    fn strings(codes: &[&str]) -> Vec<String> {
        codes.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn repeated_codes_ignoring_case() {
        let codes = strings(&["OECA-1", "OECA-2", "oeca-1", "Ñandú", "ÑANDÚ", "OECA-2"]);
        let found = run(&mut set_over(&codes), &codes);
        assert_eq!(found, [None, None, Some(2), None, Some(5), Some(3)]);
    }

    #[test]
    fn without_rereading_every_code_is_kept() {
        let codes = strings(&["OECA-1", "x", "oeca-1", "X", "7", "007", "7"]);
        let found = run(&mut CodeSet::default(), &codes);
        assert_eq!(found, [None, None, Some(2), Some(3), None, None, Some(6)]);
    }

    #[test]
    fn leading_zeros_make_other_codes() {
        let codes = strings(&["7", "07", "007", "0", "00", "A-07", "a-7", "a-07"]);
        let found = run(&mut set_over(&codes), &codes);
        assert_eq!(found, [None, None, None, None, None, None, None, Some(7)]);
    }

    #[test]
    fn many_codes_and_many_repeats() {
        let mut codes: Vec<String> = (0..10_000).map(|i| format!("C-{i}")).collect();
        codes.extend((0..10_000).map(|i| format!("t{i}x")));
        // More repeats than rereadings allowed: the set turns exact.
        codes.extend((0..20).map(|i| format!("c-{}", i * 7)));
        codes.extend((0..20).map(|i| format!("T{}X", i * 3)));
        let mut set = set_over(&codes);
        let found = run(&mut set, &codes);
        assert!(found[..20_000].iter().all(Option::is_none));
        for i in 0..20 {
            assert_eq!(found[20_000 + i], Some(i * 7 + 2));
            assert_eq!(found[20_020 + i], Some(10_000 + i * 3 + 2));
        }
        assert!(set.exact.is_some());
    }

    #[test]
    fn structured_codes_never_look_repeated() {
        // A weak hash once took `CHI-0000923` and `NOR-0008223` for the same code.
        let mut set = CodeSet::default();
        set.set_rescan(Box::new(|_, _| {}));
        let mut line = 2;
        for prefix in ["AMB", "CHA", "CHI", "NOR"] {
            for i in 0..50_000 {
                let code = format!("{prefix}-{i:07}");
                assert_eq!(set.first_seen(&code, line), None, "{code}");
                line += 1;
            }
        }
        assert_eq!(set.rescans, 0);
    }

    #[test]
    fn number_sets_switch_to_bitmaps() {
        let mut s = NumberSet::default();
        for n in (0..200_000u64).step_by(3) {
            assert!(!s.insert(n));
        }
        for n in (0..200_000u64).step_by(3) {
            assert!(s.insert(n));
        }
        assert!(!s.insert(1));
        assert!(s.blocks.values().any(|b| matches!(b, Block::Many(_))));
    }
}
