//! Names with letters of another alphabet that look like Latin ones: a
//! Cyrillic `о` in `sоcios` makes a second name that reads exactly like the
//! first (pasted from a document, or typed with another keyboard layout), and
//! a rule could use one where the other was meant.

use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};
use crate::program::Program;
use crate::source::Span;

/// Cyrillic and Greek letters that look like Latin ones, with the Latin one.
const LOOK_ALIKES: &[(char, char)] = &[
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('у', 'y'),
    ('х', 'x'),
    ('і', 'i'),
    ('ј', 'j'),
    ('ѕ', 's'),
    ('ԁ', 'd'),
    ('һ', 'h'),
    ('ӏ', 'l'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
    ('У', 'Y'),
    ('І', 'I'),
    ('Ј', 'J'),
    ('Ѕ', 'S'),
    ('ο', 'o'),
    ('α', 'a'),
    ('ν', 'v'),
    ('ι', 'i'),
    ('κ', 'k'),
    ('ρ', 'p'),
    ('υ', 'u'),
    ('Α', 'A'),
    ('Β', 'B'),
    ('Ε', 'E'),
    ('Ζ', 'Z'),
    ('Η', 'H'),
    ('Ι', 'I'),
    ('Κ', 'K'),
    ('Μ', 'M'),
    ('Ν', 'N'),
    ('Ο', 'O'),
    ('Ρ', 'P'),
    ('Τ', 'T'),
    ('Χ', 'X'),
    ('Υ', 'Y'),
];

fn latin(c: char) -> Option<char> {
    LOOK_ALIKES.iter().find(|(x, _)| *x == c).map(|(_, l)| *l)
}

/// A warning for every declared name with a look-alike letter, saying
/// which letter and, when there is one, which other name it reads as.
pub fn check(p: &Program, out: &mut Problems) {
    let names: Vec<(&str, Span)> = p
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.span))
        .chain(p.params.iter().map(|x| (x.name.as_str(), x.span)))
        .chain(p.values.iter().map(|x| (x.name.as_str(), x.span)))
        .chain(p.criteria.iter().map(|x| (x.name.as_str(), x.span)))
        .chain(p.groups.iter().map(|x| (x.name.as_str(), x.span)))
        .chain(p.levels.iter().map(|x| (x.name.as_str(), x.span)))
        .collect();
    for &(name, span) in &names {
        let Some((odd, like)) = name.chars().find_map(|c| latin(c).map(|l| (c, l))) else {
            continue;
        };
        let as_latin: String = name.chars().map(|c| latin(c).unwrap_or(c)).collect();
        let alphabet = if ('\u{0370}'..='\u{03FF}').contains(&odd) {
            "griega"
        } else {
            "cirílica"
        };
        let twin = names
            .iter()
            .find(|(other, _)| *other == as_latin)
            .map(|_| format!(": se lee igual que `{as_latin}`, que también está declarado"))
            .unwrap_or_default();
        out.push(
            Problem::warning(
                Code::ConfusableName,
                format!(
                    "el nombre `{name}` tiene la letra {alphabet} `{odd}` (U+{:04X}), que se ve \
                     igual que la latina `{like}`{twin}",
                    u32::from(odd)
                ),
            )
            .label(span, "aquí")
            .help(format!(
                "Escriba el nombre solo con letras latinas (`{as_latin}`): si se copió de un \
                 documento o se escribió con otro teclado, bórrelo y vuelva a escribirlo."
            )),
        );
    }
}
