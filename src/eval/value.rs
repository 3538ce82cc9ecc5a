//! Runtime values and three-valued logic. A blank is a value of its own that
//! carries why it is blank, so explanations can say "sin dato porque …".

use serde::Serialize;

use crate::source::Span;

/// Kleene's three truth values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Tri {
    #[serde(rename = "sí")]
    Yes,
    #[serde(rename = "no")]
    No,
    #[serde(rename = "sin dato")]
    Unknown,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            Tri::No
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Tri::Yes => "sí",
            Tri::No => "no",
            Tri::Unknown => "sin dato",
        }
    }
}

/// Why a value is blank.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Blank {
    /// The field's cell is empty.
    Missing(usize),
    /// A division by zero (at this place in the rule file); the field
    /// that is 0, when the divisor is simply a field.
    DivZero(Span, Option<usize>),
    /// A criterion that could not be decided.
    Undecided(usize),
    /// None of a group's criteria applies to this organization.
    EmptyGroup(usize),
    /// A condition with blanks inside.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum V<'a> {
    Bool(bool),
    Num(f64),
    Text(&'a str),
    Cat(u32),
    Blank(Blank),
}

impl V<'_> {
    pub fn tri(self) -> Tri {
        match self {
            V::Bool(b) => Tri::from_bool(b),
            _ => Tri::Unknown,
        }
    }

    pub fn is_blank(self) -> bool {
        matches!(self, V::Blank(_))
    }
}

/// Tolerance for comparing computed numbers: `porcentaje(2, 5) >= 40%` must
/// hold even though 2/5×100 is 40.00000000000001 or 39.99999999999999.
const EPSILON: f64 = 1e-9;

pub fn num_cmp(a: f64, b: f64) -> std::cmp::Ordering {
    if (a - b).abs() <= EPSILON * a.abs().max(b.abs()).max(1.0) {
        std::cmp::Ordering::Equal
    } else if a < b {
        std::cmp::Ordering::Less
    } else {
        std::cmp::Ordering::Greater
    }
}
