//! Pass: groups. A group's members are the criteria whose `grupo` clause
//! names it.

use super::symbols::Sym;
use super::Checker;
use crate::codes::Code;
use crate::diagnostic::{Problem, Problems};

impl Checker<'_> {
    pub(super) fn groups(&mut self, problems: &mut Problems) {
        self.group_members = vec![Vec::new(); self.decls.groups.len()];
        self.criterion_group = vec![None; self.decls.criteria.len()];
        for (ci, c) in self.decls.criteria.iter().enumerate() {
            let Some(g) = &c.group else { continue };
            match self.syms.get(&g.text) {
                Some(Sym::Group(gi)) => {
                    self.group_members[gi].push(ci);
                    self.criterion_group[ci] = Some(gi);
                }
                Some(other) => problems.push(
                    Problem::error(
                        Code::WrongKind,
                        format!("`{}` es {}, no un grupo", g.text, other.described()),
                    )
                    .label(g.span, "se esperaba un grupo")
                    .help("Declare el grupo con `grupo nombre \"título\"`."),
                ),
                None => {
                    let p = Problem::error(
                        Code::UnknownName,
                        format!("no existe el grupo `{}`", g.text),
                    )
                    .about(&g.text)
                    .label(g.span, "grupo desconocido");
                    let names = self.decls.groups.iter().map(|g| g.name.text.as_str());
                    problems.push(match crate::text::did_you_mean(&g.text, names) {
                        Some(s) => p.help(format!("¿Quiso decir `{s}`?")),
                        None => p.help("Declare el grupo con `grupo nombre \"título\"`."),
                    });
                }
            }
        }
    }
}
