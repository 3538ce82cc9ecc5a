//! Organizations made up to probe a rule set: each field takes values that
//! matter to the rules (the constants it is compared with, one unit either
//! side, and a few ordinary values), chosen by a small seeded generator so
//! every run finds the same things.

use crate::data::{Row, Value};
use crate::program::{CExpr, Program, Ty};

/// xorshift64*: enough randomness for probing, and reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() % 10_000) as f64 / 10_000.0 < p
    }
}

/// Candidate values for every field (never blank: lints reason about
/// complete data).
pub fn candidates(p: &Program) -> Vec<Vec<Value>> {
    let mut constants: Vec<Vec<f64>> = vec![Vec::new(); p.fields.len()];
    let mut texts: Vec<Vec<String>> = vec![Vec::new(); p.fields.len()];
    let mut visit = |e: &CExpr| collect_constants(e, &mut constants, &mut texts);
    for v in &p.values {
        visit(&v.expr);
    }
    for c in &p.criteria {
        visit(&c.condition);
        if let Some(a) = &c.applies_if {
            visit(a);
        }
    }
    for l in &p.levels {
        if let Some(c) = &l.condition {
            visit(c);
        }
    }
    p.fields
        .iter()
        .enumerate()
        .map(|(i, f)| match &f.ty {
            Ty::Bool => vec![Value::Bool(true), Value::Bool(false)],
            Ty::Category(_) => (0..f.categories.len() as u32)
                .map(Value::Category)
                .collect(),
            // Any text, and each text the rules compare the field with.
            Ty::Text => std::iter::once("X".to_string())
                .chain(texts[i].iter().cloned())
                .map(Value::Text)
                .collect(),
            ty => {
                let mut xs: Vec<f64> = vec![0.0, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0];
                for c in &constants[i] {
                    xs.extend([c - 1.0, c - 0.5, *c, c + 0.5, c + 1.0]);
                }
                let lo = if *ty == Ty::Number { f64::MIN } else { 0.0 };
                let hi = if *ty == Ty::Percent { 100.0 } else { f64::MAX };
                let mut xs: Vec<f64> = xs
                    .into_iter()
                    .map(|x| if *ty == Ty::Integer { x.round() } else { x })
                    .filter(|x| *x >= lo && *x <= hi)
                    .collect();
                xs.sort_by(|a, b| a.total_cmp(b));
                xs.dedup();
                xs.into_iter().map(Value::Number).collect()
            }
        })
        .collect()
}

/// Numbers (and texts) the rules compare each field with.
fn collect_constants(e: &CExpr, out: &mut Vec<Vec<f64>>, texts: &mut Vec<Vec<String>>) {
    use CExpr::*;
    match e {
        Cmp(_, a, b) => {
            if let (Field(i), Num(c)) | (Num(c), Field(i)) = (a.as_ref(), b.as_ref()) {
                out[*i].push(*c);
            }
            if let (Field(i), Text(t)) | (Text(t), Field(i)) = (a.as_ref(), b.as_ref()) {
                texts[*i].push(t.to_string());
            }
            collect_constants(a, out, texts);
            collect_constants(b, out, texts);
        }
        Not(a) | Neg(a) | HasData(a) | IsBlank(a) => collect_constants(a, out, texts),
        InCats { expr, .. } => collect_constants(expr, out, texts),
        HasWord { expr, words, .. } => {
            if let Field(i) = expr.as_ref() {
                texts[*i].extend(words.iter().cloned());
            }
            collect_constants(expr, out, texts);
        }
        And(v) | Or(v) | Quant { items: v, .. } | Call(_, v, _) => {
            v.iter().for_each(|x| collect_constants(x, out, texts))
        }
        Arith(_, a, b, _) => {
            collect_constants(a, out, texts);
            collect_constants(b, out, texts);
        }
        If(a, b, c) => {
            collect_constants(a, out, texts);
            collect_constants(b, out, texts);
            collect_constants(c, out, texts);
        }
        _ => {}
    }
}

/// A made-up organization: each field from its candidates, except fields in
/// `fixed` which take the given values. `máximo` limits are respected.
pub fn row(p: &Program, cands: &[Vec<Value>], rng: &mut Rng, fixed: &[(usize, Value)]) -> Row {
    let mut values: Vec<Option<Value>> = cands
        .iter()
        .map(|c| c.get(rng.below(c.len())).cloned())
        .collect();
    for (i, v) in fixed {
        values[*i] = Some(v.clone());
    }
    // `socias` ≤ `socios_total`: draw the part below the whole, so shares
    // between 0 and 100 % all occur.
    for (i, f) in p.schema.fields.iter().enumerate() {
        if let Some(max_i) = f.at_most_field {
            if fixed.iter().any(|(j, _)| *j == i) {
                continue;
            }
            if let Some(Value::Number(max)) = values[max_i] {
                let v = (rng.below(max.max(0.0) as usize + 1)) as f64;
                values[i] = Some(Value::Number(v));
            }
        }
    }
    Row {
        line: 0,
        codigo: Some("X".into()),
        nombre: None,
        values,
        errors: Vec::new(),
    }
}
