//! Pass: consistency checks (`revisar NOMBRE si CONDICIÓN "MENSAJE"`), data
//! that cannot be right. Each condition is compiled like a level's; what it
//! reads counts as used.

use super::compile::{Compiler, Mode};
use super::Checker;
use crate::diagnostic::Problems;
use crate::program::Check;

impl Checker<'_> {
    pub(super) fn consistency(&mut self, problems: &mut Problems) {
        for d in self.decls.checks.clone() {
            let env = self.env();
            let mut c = Compiler::new(&env, problems, Mode::Data);
            let condition = c.condition(&d.condition, "la condición de `revisar`");
            let reads = c.reads.clone();
            self.level_reads.extend(reads);
            if let Some(condition) = condition {
                self.checks.push(Check {
                    name: d.name.text.clone(),
                    condition,
                    message: d.message.text.clone(),
                    span: d.span,
                });
            }
        }
    }
}
