//! Lints: warnings about rule sets that are valid but probably not what the
//! analyst meant. They probe the rules with made-up organizations (see
//! [`sample`]), so they find real cases, and each warning can be silenced
//! with `# permitir: <código>` above the declaration.

mod bands;
mod confusable;
pub mod sample;

use std::collections::BTreeSet;

use crate::codes::Code;
use crate::data::Value;
use crate::diagnostic::{Problem, Problems};
use crate::eval::{Evaluator, Tri, V};
use crate::program::{CExpr, Program, Ty};
use sample::{candidates, row, Rng};

/// How many made-up organizations each probe tries.
const PROBES: usize = 4000;

/// Every lint, as warnings.
pub fn lint(p: &Program) -> Problems {
    let mut out = Problems::new();
    let cands = candidates(p);
    constant_criteria(p, &cands, &mut out);
    unreachable_levels(p, &cands, &mut out);
    nested_ladder(p, &cands, &mut out);
    bands::check(p, &mut out);
    confusable::check(p, &mut out);
    out.items.retain(|w| !silenced(p, w));
    out
}

fn silenced(p: &Program, w: &Problem) -> bool {
    w.primary_span()
        .is_some_and(|span| crate::check::unused::allowed_above(&p.sources, span, w.code))
}

/// Fields an expression depends on, through values, criteria and groups.
fn fields_of(p: &Program, e: &CExpr, out: &mut BTreeSet<usize>, depth: usize) {
    if depth > 64 {
        return;
    }
    use CExpr::*;
    match e {
        Field(i) => {
            out.insert(*i);
        }
        Value(i) => fields_of(p, &p.values[*i].expr, out, depth + 1),
        Criterion(i) => {
            let c = &p.criteria[*i];
            fields_of(p, &c.condition, out, depth + 1);
            if let Some(a) = &c.applies_if {
                fields_of(p, a, out, depth + 1);
            }
        }
        Group(_, g) => {
            for &m in &p.groups[*g].members {
                fields_of(p, &Criterion(m), out, depth + 1);
            }
        }
        Cmp(_, a, b) | Arith(_, a, b, _) => {
            fields_of(p, a, out, depth + 1);
            fields_of(p, b, out, depth + 1);
        }
        Not(a) | Neg(a) | HasData(a) | IsBlank(a) => fields_of(p, a, out, depth + 1),
        InCats { expr, .. } | HasWord { expr, .. } => fields_of(p, expr, out, depth + 1),
        And(v) | Or(v) | Call(_, v, _) => v.iter().for_each(|x| fields_of(p, x, out, depth + 1)),
        Quant { kind, items } => {
            if let crate::program::QuantKind::AtLeast(n) | crate::program::QuantKind::Tolerate(n) =
                kind
            {
                fields_of(p, n, out, depth + 1);
            }
            items.iter().for_each(|x| fields_of(p, x, out, depth + 1));
        }
        If(a, b, c) => {
            fields_of(p, a, out, depth + 1);
            fields_of(p, b, out, depth + 1);
            fields_of(p, c, out, depth + 1);
        }
        Num(_) | Bool(_) | Text(_) | Cat(_) | Param(_) => {}
    }
}

/// A criterion that holds (or fails) for every complete organization.
fn constant_criteria(p: &Program, cands: &[Vec<Value>], out: &mut Problems) {
    let ev = Evaluator::new(p);
    let mut rng = Rng::new(0x5EED);
    // Criteria that read the same fields are probed with the same rows, each
    // row evaluated once for all of them: probing each criterion on its own
    // evaluated the whole program once per criterion and row, cubic in a
    // group of a thousand criteria on one field.
    let mut by_fields: Vec<(BTreeSet<usize>, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<BTreeSet<usize>, usize> =
        std::collections::HashMap::new();
    for ci in 0..p.criteria.len() {
        let mut fields = BTreeSet::new();
        fields_of(p, &CExpr::Criterion(ci), &mut fields, 0);
        match index.get(&fields) {
            Some(&k) => by_fields[k].1.push(ci),
            None => {
                index.insert(fields.clone(), by_fields.len());
                by_fields.push((fields, vec![ci]));
            }
        }
    }
    // Sets of fields with few combinations (all of them are tried) that
    // share no field are probed together: each row sets the fields of each
    // set to its next combination, so a thousand criteria each on its own
    // field cost a few rows, not a thousand. A sampled set goes alone.
    // (fields used, sets of `by_fields`, whether more may join)
    let mut batches: Vec<(BTreeSet<usize>, Vec<usize>, bool)> = Vec::new();
    for (k, (fields, _)) in by_fields.iter().enumerate() {
        let joinable = combinations(fields, cands) <= PROBES;
        let open = batches
            .iter_mut()
            .rev()
            .take(64)
            .find(|(used, _, j)| joinable && *j && used.is_disjoint(fields));
        match open {
            Some((used, sets, _)) => {
                used.extend(fields.iter().copied());
                sets.push(k);
            }
            None => batches.push((fields.clone(), vec![k], joinable)),
        }
    }
    // (ever met, ever failed) per criterion.
    let mut seen = vec![(false, false); p.criteria.len()];
    for (_, sets, _) in &batches {
        let probes: Vec<Vec<Vec<(usize, Value)>>> = sets
            .iter()
            .map(|&k| combos(&by_fields[k].0, cands, &mut rng))
            .collect();
        let rows = probes.iter().map(Vec::len).max().unwrap_or(0);
        for n in 0..rows {
            let fixed: Vec<(usize, Value)> = probes
                .iter()
                .filter(|c| !c.is_empty())
                .flat_map(|c| c[n % c.len()].iter().cloned())
                .collect();
            let r = row(p, cands, &mut rng, &fixed);
            let st = ev.compute(&r);
            let mut open = false;
            for &ci in sets.iter().flat_map(|&k| &by_fields[k].1) {
                let res = st.criteria[ci];
                if res.applies {
                    match res.outcome {
                        Tri::Yes => seen[ci].0 = true,
                        Tri::No => seen[ci].1 = true,
                        Tri::Unknown => {}
                    }
                }
                open |= !(seen[ci].0 && seen[ci].1);
            }
            if !open {
                break;
            }
        }
    }
    for (c, (yes, no)) in p.criteria.iter().zip(seen) {
        if yes != no {
            let what = if yes {
                "siempre se cumple"
            } else {
                "nunca se cumple"
            };
            out.push(
                Problem::warning(Code::ConstantCriterion, format!("el criterio `{}` {what}, con cualquier dato completo", c.name))
                    .label(c.span, what)
                    .help("Revise la condición: quizá un umbral fuera del rango del campo (un porcentaje sobre 100, un entero negativo) o una comparación invertida."),
            );
        }
    }
}

/// How many combinations the fields' candidates make (saturating).
fn combinations(fields: &BTreeSet<usize>, cands: &[Vec<Value>]) -> usize {
    fields
        .iter()
        .map(|&f| cands[f].len().max(1))
        .try_fold(1usize, |acc, n| acc.checked_mul(n))
        .unwrap_or(usize::MAX)
}

/// Every combination of the fields' candidates when they are few, else a
/// sample of them.
fn combos(
    fields: &BTreeSet<usize>,
    cands: &[Vec<Value>],
    rng: &mut Rng,
) -> Vec<Vec<(usize, Value)>> {
    let total = combinations(fields, cands);
    let fields: Vec<usize> = fields.iter().copied().collect();
    if total <= PROBES {
        let mut out = vec![Vec::new()];
        for &f in &fields {
            let mut next = Vec::with_capacity(out.len() * cands[f].len());
            for prefix in &out {
                for v in &cands[f] {
                    let mut x: Vec<(usize, Value)> = prefix.clone();
                    x.push((f, v.clone()));
                    next.push(x);
                }
            }
            out = next;
        }
        out
    } else {
        (0..PROBES)
            .map(|_| {
                fields
                    .iter()
                    .map(|&f| (f, cands[f][rng.below(cands[f].len())].clone()))
                    .collect()
            })
            .collect()
    }
}

/// A level no organization can reach. Criteria are also set at random
/// (beyond what the made-up data gives) to reach combinations of criteria
/// that random data rarely produces.
fn unreachable_levels(p: &Program, cands: &[Vec<Value>], out: &mut Problems) {
    let ev = Evaluator::new(p);
    let mut rng = Rng::new(0x1E7E1);
    let n = p.levels.len();
    let mut reached = vec![false; n];
    let mut holds = vec![false; n];
    // For each level, the higher levels that held every time it held.
    let mut always_above: Vec<Option<BTreeSet<usize>>> = vec![None; n];
    let biases = [0.05, 0.3, 0.6, 0.9, 0.98];
    for i in 0..PROBES * 2 {
        let r = row(p, cands, &mut rng, &[]);
        let mut st = ev.compute(&r);
        if i % 2 == 1 {
            let bias = biases[rng.below(biases.len())];
            for c in st.criteria.iter_mut() {
                c.applies = true;
                c.outcome = if rng.chance(bias) { Tri::Yes } else { Tri::No };
            }
        }
        let results: Vec<Tri> = p
            .levels
            .iter()
            .map(|l| match &l.condition {
                Some(c) => ev.eval(c, &st).tri(),
                None => Tri::Yes,
            })
            .collect();
        if let Some(first) = results.iter().position(|t| *t == Tri::Yes) {
            reached[first] = true;
        }
        for (li, t) in results.iter().enumerate() {
            if *t != Tri::Yes {
                continue;
            }
            holds[li] = true;
            let above: BTreeSet<usize> = (0..li).filter(|&h| results[h] == Tri::Yes).collect();
            always_above[li] = Some(match always_above[li].take() {
                None => above,
                Some(prev) => prev.intersection(&above).copied().collect(),
            });
        }
        // Warnings are only about levels never reached: once every level
        // has been, nothing can change (most rule files get here quickly).
        if reached.iter().all(|&r| r) {
            break;
        }
    }
    for (li, l) in p.levels.iter().enumerate() {
        if reached[li] {
            continue;
        }
        let msg = match (holds[li], always_above[li].as_ref().and_then(|s| s.iter().next())) {
            (true, Some(&h)) => format!(
                "el nivel `{}` nunca se alcanza: cada vez que su condición se cumple, también se cumple la de `{}`, que está antes",
                l.name, p.levels[h].name
            ),
            (false, _) => format!("el nivel `{}` nunca se alcanza: su condición no se cumple con ningún dato probado", l.name),
            _ => format!("el nivel `{}` nunca se alcanza con los datos probados", l.name),
        };
        out.push(
            Problem::warning(Code::UnreachableLevel, msg)
                .label(l.span, "nivel inalcanzable")
                .help("Los niveles se prueban de mayor a menor: un nivel más exigente debe ir antes que uno que lo incluye. Revise el orden o las condiciones."),
        );
    }
}

/// A level whose condition can hold while the next level's does not: the
/// ladder is not nested, so one changed answer may move an organization
/// past a level. Levels joined by `requiere nivel` are nested by
/// construction; for the others, an organization that shows it is searched
/// for and shown.
fn nested_ladder(p: &Program, cands: &[Vec<Value>], out: &mut Problems) {
    let ev = Evaluator::new(p);
    let mut rng = Rng::new(0x4E57);
    for (hi, pair) in p.levels.windows(2).enumerate() {
        let (upper, lower) = (&pair[0], &pair[1]);
        let (Some(uc), Some(lc)) = (&upper.condition, &lower.condition) else {
            continue;
        };
        if upper.requires == Some(hi + 1) {
            continue;
        }
        let found = (0..PROBES * 2).find_map(|_| {
            let r = row(p, cands, &mut rng, &[]);
            let st = ev.compute(&r);
            (ev.eval(uc, &st) == V::Bool(true) && ev.eval(lc, &st) == V::Bool(false)).then(|| {
                let head = format!(
                    "ejemplo escalera_{u} \"Cumple {u} pero no {l}\"\n  espera nivel {u}\n",
                    u = upper.name,
                    l = lower.name
                );
                example_text(p, &r, &head)
            })
        });
        if let Some(example) = found {
            out.push(
                Problem::warning(
                    Code::LadderNotNested,
                    format!(
                        "el nivel `{}` se puede cumplir sin cumplir `{}`, el nivel que le sigue: la escalera no está anidada",
                        upper.name, lower.name
                    ),
                )
                .label(upper.span, "no exige el nivel de abajo")
                .help(format!(
                    "Si un nivel más alto debe cumplir también todo lo del nivel de abajo, escriba en `{}` la cláusula `requiere nivel {}`. Si no (por ejemplo, un veto), silencie el aviso con `# permitir: escalera_no_anidada`. Esta organización cumple `{}` y no `{}`:\n\n{example}",
                    upper.name, lower.name, upper.name, lower.name
                )),
            );
        }
    }
}

/// A complete organization that no level accepts, written as an `ejemplo`
/// ready to paste into the rule file.
/// Adds to the "no `en otro caso`" errors an organization that falls
/// through the ladder, written as a test case the analyst can paste.
pub fn show_fall_through(problems: &mut Problems, program: &Program) {
    let Some(example) = counterexample_without_level(program) else {
        return;
    };
    for p in problems
        .items
        .iter_mut()
        .filter(|p| p.code == Code::NoCatchAll)
    {
        let before = p.help.clone().unwrap_or_default();
        p.help = Some(format!(
            "{before}\n\nPor ejemplo, esta organización no cumple ningún nivel (puede pegarla en el archivo como caso de prueba):\n\n{example}"
        ));
    }
}

pub fn counterexample_without_level(p: &Program) -> Option<String> {
    let cands = candidates(p);
    let ev = Evaluator::new(p);
    let mut rng = Rng::new(0xC0FFEE);
    for _ in 0..PROBES * 4 {
        let r = row(p, &cands, &mut rng, &[]);
        let st = ev.compute(&r);
        let none = p.levels.iter().all(|l| match &l.condition {
            Some(c) => ev.eval(c, &st) == V::Bool(false),
            None => false,
        });
        if none {
            return Some(example_text(
                p,
                &r,
                "ejemplo sin_nivel \"Organización que no cumple ningún nivel\"\n  espera nivel ninguno\n",
            ));
        }
    }
    None
}

fn example_text(p: &Program, r: &crate::data::Row, head: &str) -> String {
    let mut parts = Vec::new();
    for (i, f) in p.fields.iter().enumerate() {
        if i == p.code_field || Some(i) == p.name_field {
            continue;
        }
        let v = match &r.values[i] {
            Some(Value::Bool(b)) => if *b { "sí" } else { "no" }.to_string(),
            Some(Value::Number(n)) if f.ty == Ty::Percent => format!("{n}%"),
            Some(Value::Number(n)) => format!("{n}"),
            Some(Value::Text(t)) => format!("\"{t}\""),
            Some(Value::Category(c)) => f.categories.get(*c as usize).cloned().unwrap_or_default(),
            None => "sin dato".into(),
        };
        parts.push(format!("{} = {v}", f.name));
    }
    let mut s = String::from(head);
    for chunk in parts.chunks(4) {
        s.push_str(&format!("  con {}\n", chunk.join(", ")));
    }
    s
}
