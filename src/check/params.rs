//! Pass: parameters, in declaration order (a parameter may use the ones
//! declared before it). Each must compute to a fixed value.

use super::compile::{Compiler, Mode};
use super::symbols::Sym;
use super::Checker;
use crate::ast;
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};

impl Checker<'_> {
    pub(super) fn params(&mut self, problems: &mut Problems) {
        self.params = vec![None; self.decls.params.len()];
        // Values are compiled later; a parameter cannot read them.
        self.value_tys = vec![None; self.decls.values.len()];
        for i in 0..self.decls.params.len() {
            let p = self.decls.params[i];
            let env = self.env();
            let compiled = Compiler::new(&env, problems, Mode::Constant).expr(&p.value);
            let Some((e, ty)) = compiled else { continue };
            match crate::program::constant(&e) {
                Some(k) => self.params[i] = Some((ty, k)),
                None => problems.push(
                    Problem::error(
                        Code::NotConstant,
                        format!(
                            "no se puede calcular el valor del parámetro `{}`",
                            p.name.text
                        ),
                    )
                    .label(p.value.span, "no es un valor fijo")
                    .help("Un parámetro es un número, porcentaje o sí/no fijo, por ejemplo `40%`."),
                ),
            }
        }
        self.params_used_before_declared(problems);
    }

    /// Parameters used before their declaration are reported by name lookup
    /// returning nothing; make that explicit.
    fn params_used_before_declared(&self, problems: &mut Problems) {
        for p in &self.decls.params {
            let mut refs = Vec::new();
            collect_names(&p.value, &mut refs);
            for n in refs {
                let Some(Sym::Param(j)) = self.syms.get(&n.text) else {
                    continue;
                };
                let later = self.decls.params[j].name.span.start > p.name.span.start;
                if self.params[j].is_none() && later {
                    problems.push(
                        Problem::error(
                            Code::UnknownName,
                            format!("el parámetro `{}` se usa antes de declararlo", n.text),
                        )
                        .about(&n.text)
                        .label(n.span, "usado aquí")
                        .label(self.decls.params[j].name.span, "declarado después")
                        .help("Mueva la declaración del parámetro más arriba en el archivo."),
                    );
                }
            }
        }
    }
}

fn collect_names<'a>(e: &'a ast::Expr, out: &mut Vec<&'a ast::Name>) {
    use ast::ExprKind::*;
    match &e.kind {
        Name(n) => out.push(n),
        Not(a) | Neg(a) | HasData(a) | IsBlank(a) => collect_names(a, out),
        And(v) | Or(v) => v.iter().for_each(|x| collect_names(x, out)),
        Cmp(_, a, b) | Arith(_, a, b) => {
            collect_names(a, out);
            collect_names(b, out);
        }
        Call(_, args) => args.iter().for_each(|x| collect_names(x, out)),
        _ => {}
    }
}
