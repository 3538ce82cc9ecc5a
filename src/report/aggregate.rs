//! Counts over a batch of evaluated organizations, as plain serialisable
//! data: per level, per region/rubro/legal form, per criterion and group,
//! rejected rows, provisional results, and what never fires.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Etiqueta, Perfil, DESGLOSES};
use crate::data::CellError;
use crate::eval::{CriterionOutcome, GroupTally, Rechazo, Resultado, Salida, Tri};
use crate::program::{Program, RecTarget};
use crate::text::percent;

/// How many criteria and missing data a summary ranks.
pub const TOP: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct Agregado {
    pub reglas: String,
    pub version: Option<String>,
    /// Rows read = evaluated + rejected.
    pub leidas: usize,
    pub evaluadas: usize,
    pub rechazadas: usize,
    /// Evaluated with a higher level undecided for lack of data (including
    /// those with no level at all).
    pub provisionales: usize,
    /// Evaluated, but no level can be decided.
    pub sin_nivel: usize,
    /// In ladder order (highest first).
    pub niveles: Vec<ConteoNivel>,
    /// Per region, rubro and legal form (the fields the rule file declares).
    pub desgloses: Vec<Desglose>,
    /// Every rejected row, with its errors.
    pub rechazos: Vec<RechazoResumen>,
    /// How many rejected rows each column caused (`(fila)` for whole-row errors).
    pub motivos_rechazo: Vec<Conteo>,
    pub provisionales_detalle: Vec<Provisional>,
    /// Fields whose blanks keep a level undecided, with how many organizations.
    pub datos_faltantes: Vec<Conteo>,
    /// In declaration order.
    pub criterios: Vec<ConteoCriterio>,
    pub grupos: Vec<ConteoGrupo>,
    pub recomendaciones: Vec<ConteoRecomendacion>,
    pub sin_efecto: SinEfecto,
    /// Set to the limit when there were more organizations: the profiles
    /// were dropped and the lists of rows (rejected, provisional) hold only
    /// the first ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recortado: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConteoNivel {
    pub id: String,
    pub titulo: String,
    pub organizaciones: usize,
    pub provisionales: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Desglose {
    pub campo: String,
    pub titulo: String,
    pub filas: Vec<FilaDesglose>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilaDesglose {
    /// The field's value; None for blank cells.
    pub valor: Option<String>,
    /// Same order as [`Agregado::niveles`].
    pub por_nivel: Vec<usize>,
    pub sin_nivel: usize,
    pub rechazadas: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RechazoResumen {
    pub codigo: Option<String>,
    pub nombre: Option<String>,
    pub fila: usize,
    pub errores: Vec<CellError>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Conteo {
    pub nombre: String,
    pub organizaciones: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Provisional {
    pub codigo: Option<String>,
    pub nombre: Option<String>,
    pub fila: usize,
    pub nivel: Option<String>,
    pub posibles: Vec<String>,
    pub faltan: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConteoCriterio {
    pub id: String,
    pub titulo: String,
    pub grupo: Option<String>,
    pub cumplen: usize,
    pub no_cumplen: usize,
    pub sin_dato: usize,
    pub no_aplican: usize,
    /// Percent of the organizations it applies to that meet it.
    pub proporcion: Option<f64>,
    /// Organizations for which it stands between them and the next level.
    pub impide_subir: usize,
    /// Organizations that would drop a level if they stopped meeting it.
    pub sostiene_nivel: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConteoGrupo {
    pub id: String,
    pub titulo: String,
    pub criterios: usize,
    /// Mean, over organizations, of the share of the group's applicable
    /// criteria they meet (percent).
    pub proporcion_media: Option<f64>,
    /// Organizations meeting every applicable criterion of the group.
    pub cumplen_todos: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConteoRecomendacion {
    pub id: String,
    /// `nivel «Organización embrionaria»` or `criterio «Lista de socios
    /// actualizada»`.
    pub para: String,
    /// Why an organization gets it, as the rules say it (with its
    /// condition, if it has one).
    #[serde(skip)]
    pub motivo: String,
    pub texto: String,
    pub seccion: Option<String>,
    pub organizaciones: usize,
}

impl ConteoRecomendacion {
    /// Why an organization gets it: `nivel «Organización embrionaria»` or
    /// `no cumple «Lista de socios actualizada»`.
    pub fn motivo(&self) -> String {
        self.motivo.clone()
    }
}

impl Agregado {
    /// A criterion's title (its id when unknown).
    pub fn titulo_criterio<'a>(&'a self, id: &'a str) -> &'a str {
        self.criterios
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.titulo.as_str())
            .unwrap_or(id)
    }

    /// The `n` criteria most organizations do not meet (those no one
    /// fails are left out), most first.
    pub fn mas_incumplidos(&self, n: usize) -> Vec<&ConteoCriterio> {
        let mut top: Vec<_> = self.criterios.iter().filter(|c| c.no_cumplen > 0).collect();
        top.sort_by(|x, y| y.no_cumplen.cmp(&x.no_cumplen).then(x.id.cmp(&y.id)));
        top.truncate(n);
        top
    }

    /// A level's title (its id when unknown).
    pub fn titulo_nivel<'a>(&'a self, id: &'a str) -> &'a str {
        self.niveles
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.titulo.as_str())
            .unwrap_or(id)
    }
}

/// Rules that make no difference on this data.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SinEfecto {
    /// Criteria no organization meets.
    pub nunca_se_cumplen: Vec<String>,
    /// Criteria every organization they apply to meets (they separate no one).
    pub siempre_se_cumplen: Vec<String>,
    /// Criteria that apply to no organization.
    pub nunca_aplican: Vec<String>,
    /// Recommendations given to no organization.
    pub recomendaciones_nunca: Vec<String>,
}

/// Collects counts and profiles one organization at a time.
pub struct Recolector {
    agg: Agregado,
    perfiles: Vec<Perfil>,
    /// Sum of group shares, and organizations with a share, per group.
    group_share: Vec<(f64, usize)>,
    desgloses: Vec<BTreeMap<(usize, String), FilaDesglose>>,
    categorias: Vec<Vec<String>>,
    faltan: BTreeMap<String, usize>,
    motivos: BTreeMap<String, usize>,
    /// See [`super::recolectar_hasta`].
    pub limite: Option<usize>,
    /// Each group's criteria (indices), to count a compact trace.
    group_members: Vec<Vec<usize>>,
}

impl Recolector {
    pub fn new(p: &Program) -> Recolector {
        let present: Vec<(&str, &str)> = DESGLOSES
            .iter()
            .copied()
            .filter(|(name, _)| p.schema.index_of(name).is_some())
            .collect();
        let categorias = present
            .iter()
            .map(|(name, _)| {
                p.fields
                    .iter()
                    .find(|f| f.name == *name)
                    .map(|f| f.category_labels.clone())
                    .unwrap_or_default()
            })
            .collect();
        Recolector {
            agg: Agregado {
                reglas: p.title.clone(),
                version: p.version.clone(),
                leidas: 0,
                evaluadas: 0,
                rechazadas: 0,
                provisionales: 0,
                sin_nivel: 0,
                niveles: conteo_niveles(p),
                desgloses: present
                    .iter()
                    .map(|(name, title)| Desglose {
                        campo: (*name).to_string(),
                        titulo: (*title).to_string(),
                        filas: Vec::new(),
                    })
                    .collect(),
                rechazos: Vec::new(),
                motivos_rechazo: Vec::new(),
                provisionales_detalle: Vec::new(),
                datos_faltantes: Vec::new(),
                criterios: conteo_criterios(p),
                grupos: conteo_grupos(p),
                recomendaciones: conteo_recomendaciones(p),
                sin_efecto: SinEfecto::default(),
                recortado: None,
            },
            perfiles: Vec::new(),
            group_share: vec![(0.0, 0); p.groups.len()],
            desgloses: vec![BTreeMap::new(); present.len()],
            categorias,
            faltan: BTreeMap::new(),
            motivos: BTreeMap::new(),
            limite: None,
            group_members: p.groups.iter().map(|g| g.members.clone()).collect(),
        }
    }

    /// Adds one organization. `etiquetas` are its breakdown values
    /// ([`super::etiquetas`]); results should carry their trace.
    pub fn agregar(&mut self, s: &Salida, etiquetas: Vec<Etiqueta>) {
        self.agg.leidas += 1;
        let level_index = match s {
            Salida::Evaluada(r) => r
                .nivel
                .as_ref()
                .and_then(|n| self.agg.niveles.iter().position(|l| &l.id == n)),
            Salida::Rechazada(_) => None,
        };
        self.count_breakdowns(s, level_index, &etiquetas);
        match s {
            Salida::Rechazada(rej) => self.count_rejected(rej),
            Salida::Evaluada(r) => {
                self.count_level(r, level_index);
                if r.provisional {
                    self.count_provisional(r);
                }
                if let Some(outcomes) = r.criterion_outcomes() {
                    self.count_criteria(&outcomes);
                }
                self.count_profile(r, etiquetas);
            }
        }
    }

    /// One more organization in its row of each breakdown.
    fn count_breakdowns(&mut self, s: &Salida, level_index: Option<usize>, etiquetas: &[Etiqueta]) {
        let a = &self.agg;
        for (d, desglose) in a.desgloses.iter().enumerate() {
            let valor = etiquetas
                .iter()
                .find(|e| e.campo == desglose.campo)
                .and_then(|e| e.valor.clone());
            let key = breakdown_key(&self.categorias[d], &valor);
            let fila = self.desgloses[d]
                .entry(key)
                .or_insert_with(|| FilaDesglose {
                    valor,
                    por_nivel: vec![0; a.niveles.len()],
                    sin_nivel: 0,
                    rechazadas: 0,
                    total: 0,
                });
            fila.total += 1;
            match (s, level_index) {
                (Salida::Rechazada(_), _) => fila.rechazadas += 1,
                (Salida::Evaluada(_), Some(i)) => fila.por_nivel[i] += 1,
                (Salida::Evaluada(_), None) => fila.sin_nivel += 1,
            }
        }
    }

    fn count_rejected(&mut self, rej: &Rechazo) {
        let a = &mut self.agg;
        a.rechazadas += 1;
        for e in &rej.errores {
            let col = e.columna.clone().unwrap_or_else(|| "(fila)".to_string());
            *self.motivos.entry(col).or_insert(0) += 1;
        }
        if self.limite.is_some_and(|l| a.rechazos.len() >= l) {
            return;
        }
        a.rechazos.push(RechazoResumen {
            codigo: rej.codigo.clone(),
            nombre: rej.nombre.clone(),
            fila: rej.fila,
            errores: rej.errores.clone(),
        });
    }

    fn count_level(&mut self, r: &Resultado, level_index: Option<usize>) {
        let a = &mut self.agg;
        a.evaluadas += 1;
        match level_index {
            Some(i) => {
                a.niveles[i].organizaciones += 1;
                if r.provisional {
                    a.niveles[i].provisionales += 1;
                }
            }
            None => a.sin_nivel += 1,
        }
    }

    fn count_provisional(&mut self, r: &Resultado) {
        let a = &mut self.agg;
        a.provisionales += 1;
        for f in &r.faltan {
            *self.faltan.entry(f.clone()).or_insert(0) += 1;
        }
        if self
            .limite
            .is_some_and(|l| a.provisionales_detalle.len() >= l)
        {
            return;
        }
        a.provisionales_detalle.push(Provisional {
            codigo: r.codigo.clone(),
            nombre: r.nombre.clone(),
            fila: r.fila,
            nivel: r.nivel.clone(),
            posibles: r.posibles.clone(),
            faltan: r.faltan.clone(),
        });
    }

    /// Each criterion's result, and each group's share of criteria met
    /// (from a full or a compact trace).
    fn count_criteria(&mut self, outcomes: &[CriterionOutcome]) {
        let a = &mut self.agg;
        for (c, o) in a.criterios.iter_mut().zip(outcomes) {
            match (o.aplica, o.resultado) {
                (false, _) => c.no_aplican += 1,
                (true, Tri::Yes) => c.cumplen += 1,
                (true, Tri::No) => c.no_cumplen += 1,
                (true, Tri::Unknown) => c.sin_dato += 1,
            }
        }
        for ((g, members), share) in a
            .grupos
            .iter_mut()
            .zip(&self.group_members)
            .zip(self.group_share.iter_mut())
        {
            let t = GroupTally::of(members, outcomes);
            let applicable = t.aplicables();
            if applicable > 0 {
                share.0 += t.cumplidos as f64 / applicable as f64;
                share.1 += 1;
                if t.cumplidos == applicable {
                    g.cumplen_todos += 1;
                }
            }
        }
    }

    /// The recommendations given, and the profile with the criteria that
    /// keep the organization from rising and those that hold its level.
    fn count_profile(&mut self, r: &Resultado, etiquetas: Vec<Etiqueta>) {
        let a = &mut self.agg;
        for rec in &r.recomendaciones {
            if let Some(c) = a.recomendaciones.iter_mut().find(|c| c.id == rec.id) {
                c.organizaciones += 1;
            }
        }
        let perfil = Perfil::new(r, etiquetas, a);
        for id in perfil.impiden() {
            if let Some(c) = a.criterios.iter_mut().find(|c| c.id == id) {
                c.impide_subir += 1;
            }
        }
        for id in perfil.sostienen() {
            if let Some(c) = a.criterios.iter_mut().find(|c| &c.id == id) {
                c.sostiene_nivel += 1;
            }
        }
        match self.limite {
            Some(l) if a.leidas > l => {
                a.recortado = Some(l);
                // Free them at once: past the limit none is shown.
                self.perfiles = Vec::new();
            }
            _ => self.perfiles.push(perfil),
        }
    }

    /// The counts and the profiles, in input order.
    pub fn terminar(mut self) -> (Agregado, Vec<Perfil>) {
        let a = &mut self.agg;
        if let Some(l) = self.limite.filter(|l| a.leidas > *l) {
            a.recortado = Some(l);
            self.perfiles = Vec::new();
        }
        for (d, rows) in self.desgloses.into_iter().enumerate() {
            a.desgloses[d].filas = rows.into_values().collect();
        }
        for c in &mut a.criterios {
            c.proporcion = percent(c.cumplen, c.cumplen + c.no_cumplen + c.sin_dato);
        }
        for (g, (sum, n)) in a.grupos.iter_mut().zip(&self.group_share) {
            g.proporcion_media = (*n > 0).then(|| (sum / *n as f64 * 1000.0).round() / 10.0);
        }
        a.datos_faltantes = ranked(self.faltan);
        a.motivos_rechazo = ranked(self.motivos);
        if a.evaluadas > 0 {
            for c in &a.criterios {
                let applicable = c.cumplen + c.no_cumplen + c.sin_dato;
                if applicable == 0 {
                    a.sin_efecto.nunca_aplican.push(c.id.clone());
                } else if c.cumplen == 0 {
                    a.sin_efecto.nunca_se_cumplen.push(c.id.clone());
                } else if c.cumplen == applicable {
                    a.sin_efecto.siempre_se_cumplen.push(c.id.clone());
                }
            }
            a.sin_efecto.recomendaciones_nunca = a
                .recomendaciones
                .iter()
                .filter(|r| r.organizaciones == 0)
                .map(|r| r.id.clone())
                .collect();
        }
        (self.agg, self.perfiles)
    }
}

/// Sort key of a breakdown row: declared categories in their order, then
/// others alphabetically, blanks last.
fn breakdown_key(categorias: &[String], valor: &Option<String>) -> (usize, String) {
    let rank = match valor {
        Some(v) => categorias
            .iter()
            .position(|c| c == v)
            .unwrap_or(usize::MAX - 1),
        None => usize::MAX,
    };
    (
        rank,
        valor.clone().map(|v| v.to_lowercase()).unwrap_or_default(),
    )
}

fn conteo_niveles(p: &Program) -> Vec<ConteoNivel> {
    p.levels
        .iter()
        .map(|l| ConteoNivel {
            id: l.name.clone(),
            titulo: l.title.clone(),
            organizaciones: 0,
            provisionales: 0,
        })
        .collect()
}

fn conteo_criterios(p: &Program) -> Vec<ConteoCriterio> {
    p.criteria
        .iter()
        .map(|c| ConteoCriterio {
            id: c.name.clone(),
            titulo: c.title.clone(),
            grupo: c.group.map(|g| p.groups[g].name.clone()),
            cumplen: 0,
            no_cumplen: 0,
            sin_dato: 0,
            no_aplican: 0,
            proporcion: None,
            impide_subir: 0,
            sostiene_nivel: 0,
        })
        .collect()
}

fn conteo_grupos(p: &Program) -> Vec<ConteoGrupo> {
    p.groups
        .iter()
        .map(|g| ConteoGrupo {
            id: g.name.clone(),
            titulo: g.title.clone(),
            criterios: g.members.len(),
            proporcion_media: None,
            cumplen_todos: 0,
        })
        .collect()
}

fn conteo_recomendaciones(p: &Program) -> Vec<ConteoRecomendacion> {
    p.recommendations
        .iter()
        .map(|r| ConteoRecomendacion {
            id: r.name.clone(),
            para: match r.target {
                RecTarget::Level(l) => format!("nivel «{}»", p.levels[l].title),
                RecTarget::Criterion(c) => format!("criterio «{}»", p.criteria[c].title),
            },
            motivo: r.reason.clone(),
            texto: r.text.clone(),
            seccion: r.section.clone(),
            organizaciones: 0,
        })
        .collect()
}

/// Counts, most organizations first, then by name.
fn ranked(counts: BTreeMap<String, usize>) -> Vec<Conteo> {
    let mut v: Vec<Conteo> = counts
        .into_iter()
        .map(|(nombre, organizaciones)| Conteo {
            nombre,
            organizaciones,
        })
        .collect();
    v.sort_by(|x, y| {
        y.organizaciones
            .cmp(&x.organizaciones)
            .then(x.nombre.cmp(&y.nombre))
    });
    v
}
