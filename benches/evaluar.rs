//! Banco de rendimiento de `reglas evaluar` (`cargo bench --bench evaluar`).
//!
//! Genera N organizaciones ficticias (pseudoaleatorias con semilla fija) con
//! exactamente las 42 columnas de `rules/cepac.reglas` (~5 % de celdas
//! vacías), y mide en una sola corrida, para cada N:
//!
//! a. un programa escrito a mano (en este archivo) que lee el mismo CSV con
//!    el crate `csv` (`ByteRecord`) y calcula los mismos niveles que
//!    `rules/cepac.reglas`; se comprueba fila por fila que da lo mismo que la
//!    biblioteca (nivel y si es provisional);
//! b. la biblioteca, solo el nivel (`Evaluator::evaluate(&fila, false)`), el
//!    nivel directo (`compute` + `revisar` + condiciones de los niveles, la cota de una
//!    función «solo el nivel») y con el escritor CSV de resultados;
//! c. la biblioteca con explicación completa en JSON Lines
//!    (`evaluate(&fila, true)` + `JsonLines`), a un sumidero y a un archivo,
//!    y el JSON Lines compacto que el programa escribe por omisión;
//! d. la memoria máxima y la velocidad del programa `reglas` real
//!    (`reglas evaluar … --formato jsonl|csv --salida …`) bajo
//!    `/usr/bin/time -v` (o sondeando `VmHWM` en `/proc`).
//!
//! Las velocidades se dan en filas por segundo de CPU (tiempo del hilo en
//! `/proc/thread-self/schedstat`), que no cambia si la máquina está ocupada
//! con otra cosa, y entre paréntesis por segundo de reloj.
//!
//! No hay aserciones de tiempo: solo se informa. Tamaños: argumentos
//! (`cargo bench --bench evaluar -- 10k 100k`) o `REGLAS_BENCH_N=10k,100k`;
//! por omisión 10k, 100k y 1M. Ver `docs/rendimiento.md`.

// Un banco: si algo falla al prepararlo, lo correcto es detenerse con el mensaje.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reglas::data::ReadOptions;

/// El mismo asignador de memoria que el programa (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use reglas::eval::{Detail, Evaluator, Prepared, Salida, StreamOptions, Tri};
use reglas::program::Program;
use reglas::render::results::{Csv, JsonLines, ResultWriter};

const RULES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/cepac.reglas");
const BIN: &str = env!("CARGO_BIN_EXE_reglas");
const SEED: u64 = 0x0CE9_AC20_2400_5EED;

/// Las columnas de la ficha, en el orden en que `rules/cepac.reglas` las declara.
const COLUMNS: [&str; 42] = [
    "codigo",
    "nombre",
    "region",
    "rubro",
    "forma_juridica",
    "organizacion_voluntaria",
    "afiliacion_politica",
    "decisiones_desde_la_base",
    "desarrollo_gradual",
    "lista_socios",
    "personeria_juridica",
    "registro_empresarial",
    "registro_cooperativas",
    "documento_constitucion",
    "nit",
    "tramite_legal_en_curso",
    "registro_directorio",
    "renovacion_directorio",
    "socios_total",
    "socias",
    "cargos_directorio",
    "cargos_mujeres",
    "asistencia_asambleas",
    "asambleas_anio",
    "informacion_a_socios",
    "aporte_socios",
    "distribucion_segun_aporte",
    "informacion_precios",
    "apoyo_comercializacion",
    "certificaciones",
    "imagen_producto",
    "capacitaciones_anio",
    "mecanismos_administrativos",
    "alianzas",
    "busca_apoyo",
    "cuenta_bancaria",
    "contabilidad",
    "analisis_costos",
    "rendicion_cuentas",
    "mercado_concreto",
    "excedentes",
    "punto_equilibrio_social",
];

// ---------------------------------------------------------------------------
// Configuración
// ---------------------------------------------------------------------------

struct Config {
    sizes: Vec<usize>,
    dir: PathBuf,
    /// Escribir también el JSON Lines a un archivo (c) y correr el binario (d).
    to_file: bool,
    run_binary: bool,
    reps_override: Option<usize>,
}

fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim().replace('_', "");
    let (num, mult) = match s.chars().last()? {
        'k' | 'K' => (&s[..s.len() - 1], 1_000),
        'm' | 'M' => (&s[..s.len() - 1], 1_000_000),
        _ => (s.as_str(), 1),
    };
    num.parse::<f64>()
        .ok()
        .map(|n| (n * mult as f64).round() as usize)
        .filter(|&n| n > 0)
}

fn flag(name: &str, default: bool) -> bool {
    match std::env::var(name) {
        Ok(v) => !matches!(v.trim(), "0" | "no" | "false" | ""),
        Err(_) => default,
    }
}

fn config() -> Config {
    let from_args: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .filter_map(|a| parse_size(&a))
        .collect();
    let sizes = if !from_args.is_empty() {
        from_args
    } else if let Ok(v) = std::env::var("REGLAS_BENCH_N") {
        v.split(',').filter_map(parse_size).collect()
    } else {
        vec![10_000, 100_000, 1_000_000]
    };
    let dir = std::env::var_os("REGLAS_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    Config {
        sizes,
        dir,
        to_file: flag("REGLAS_BENCH_ARCHIVO", true),
        run_binary: flag("REGLAS_BENCH_BINARIO", true),
        reps_override: std::env::var("REGLAS_BENCH_REPETICIONES")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .filter(|&r: &usize| r > 0),
    }
}

// ---------------------------------------------------------------------------
// Generador de datos (determinista)
// ---------------------------------------------------------------------------

/// splitmix64: pequeño, rápido y reproducible en cualquier máquina.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }
    /// Entero en [lo, hi].
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next_u64() % xs.len() as u64) as usize]
    }
    fn weighted<'a>(&mut self, xs: &[(&'a str, f64)]) -> &'a str {
        let total: f64 = xs.iter().map(|x| x.1).sum();
        let mut t = self.f64() * total;
        for (x, w) in xs {
            if t < *w {
                return x;
            }
            t -= w;
        }
        xs[xs.len() - 1].0
    }
}

const BLANK_RATE: f64 = 0.05;

const REGIONS: [(&str, &str); 4] = [
    ("amboro", "AMB"),
    ("norte_integrado", "NOR"),
    ("chiquitania", "CHI"),
    ("chaco", "CHA"),
];
const RUBROS: [&str; 10] = [
    "miel",
    "café",
    "peces",
    "cacao",
    "maní",
    "leche",
    "almendra",
    "ají",
    "artesanía",
    "quinua",
];
const PLACES: [&str; 12] = [
    "Samaipata",
    "Yapacaní",
    "San Julián",
    "Villa Montes",
    "Caraparí",
    "San Ignacio",
    "Concepción",
    "San Javier",
    "Comarapa",
    "Buena Vista",
    "Mairana",
    "Charagua",
];

fn yes_no(rng: &mut Rng, p_yes: f64) -> &'static str {
    if rng.chance(p_yes.clamp(0.0, 1.0)) {
        match rng.range(0, 19) {
            0 => "si",
            1 => "Sí",
            _ => "sí",
        }
    } else if rng.chance(0.05) {
        "No"
    } else {
        "no"
    }
}

/// Valor de categoría, a veces con mayúscula inicial como lo escribe la gente.
fn cat(rng: &mut Rng, v: &str) -> String {
    if rng.chance(0.02) {
        let mut c = v.chars();
        match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => String::new(),
        }
    } else {
        v.to_string()
    }
}

/// Una organización: madurez latente `m` en [0, 1] que correlaciona sus respuestas.
fn organization(rng: &mut Rng, i: usize) -> Vec<String> {
    let m = rng.f64().powf(1.1);
    let (region, prefix) = REGIONS[(rng.next_u64() % 4) as usize];
    let rubro = rng.pick(&RUBROS);
    let forma = rng.weighted(&[
        ("asociacion", 55.0),
        ("cooperativa", 20.0),
        ("coraca", 5.0),
        ("otra", 8.0),
        ("ninguna", 12.0),
    ]);
    let kind = match forma {
        "cooperativa" => "Cooperativa",
        "coraca" => "CORACA",
        _ => "Asociación",
    };
    let place = rng.pick(&PLACES);
    let nombre = match rng.range(0, 9) {
        0 => format!(
            "{kind} de Productores de {rubro} \"{place}\", sección {}",
            i % 97 + 1
        ),
        1 => format!("{kind} de Mujeres Productoras de {rubro}, {place}"),
        _ => format!(
            "{kind} de Productores de {rubro} de {place} {}",
            i % 997 + 1
        ),
    };
    let formal = m > 0.3 || rng.chance(0.3);
    let socios_total = if rng.chance(0.003) {
        0
    } else {
        rng.range(8, 400)
    };
    let socias =
        (socios_total as f64 * (0.1 + 0.5 * rng.f64() * (0.4 + m))).min(socios_total as f64) as u64;
    let cargos = if rng.chance(0.005) {
        0
    } else {
        rng.range(3, 9)
    };
    let cargos_mujeres = (cargos as f64 * rng.f64() * (0.3 + 0.7 * m))
        .round()
        .min(cargos as f64) as u64;
    let asistencia = (25.0 + 65.0 * m + 15.0 * (rng.f64() - 0.5)).clamp(0.0, 100.0);
    let asistencia = match rng.range(0, 9) {
        0..=6 => format!("{}", asistencia.round() as u64),
        7 | 8 => format!("{},5", asistencia.floor().min(99.0) as u64),
        _ => format!("{}%", asistencia.round() as u64),
    };
    let lista = if m > 0.6 && rng.chance(0.8) {
        "actualizada"
    } else if rng.chance(0.3 + 0.6 * m) {
        "basica"
    } else {
        "no_tiene"
    };
    let renov = if m > 0.55 && rng.chance(0.75) {
        "cumplida"
    } else if rng.chance(0.35 + 0.6 * m) {
        "definida"
    } else {
        "no_definida"
    };
    let excedentes = if m > 0.6 && rng.chance(0.7) {
        "estables"
    } else if rng.chance(0.2 + 0.7 * m) {
        "inestables"
    } else {
        "ninguno"
    };

    let mut r: Vec<String> = Vec::with_capacity(COLUMNS.len());
    r.push(format!("{prefix}-{:07}", i + 1));
    r.push(nombre);
    r.push(cat(rng, region));
    r.push(rubro.to_string());
    r.push(cat(rng, forma));
    r.push(yes_no(rng, 0.75 + 0.25 * m).into()); // organizacion_voluntaria
    r.push(yes_no(rng, 0.25 - 0.2 * m).into()); // afiliacion_politica
    r.push(yes_no(rng, 0.3 + 0.65 * m).into()); // decisiones_desde_la_base
    r.push(yes_no(rng, 0.3 + 0.65 * m).into()); // desarrollo_gradual
    r.push(cat(rng, lista));
    r.push(yes_no(rng, if formal { 0.5 + 0.45 * m } else { 0.05 }).into()); // personeria_juridica
    r.push(yes_no(rng, if formal { 0.2 + 0.6 * m } else { 0.02 }).into()); // registro_empresarial
    r.push(
        yes_no(
            rng,
            if forma == "cooperativa" {
                0.4 + 0.55 * m
            } else {
                0.02
            },
        )
        .into(),
    );
    r.push(yes_no(rng, if formal { 0.5 + 0.45 * m } else { 0.05 }).into()); // documento_constitucion
    r.push(yes_no(rng, if formal { 0.3 + 0.65 * m } else { 0.05 }).into()); // nit
    r.push(yes_no(rng, if formal { 0.1 } else { 0.5 }).into()); // tramite_legal_en_curso
    r.push(yes_no(rng, 0.1 + 0.8 * m).into()); // registro_directorio
    r.push(cat(rng, renov));
    r.push(socios_total.to_string());
    r.push(socias.to_string());
    r.push(cargos.to_string());
    r.push(cargos_mujeres.to_string());
    r.push(asistencia);
    r.push(rng.range(0, (1.0 + 5.0 * m) as u64).to_string()); // asambleas_anio
    r.push(yes_no(rng, 0.3 + 0.65 * m).into()); // informacion_a_socios
    r.push(yes_no(rng, 0.3 + 0.65 * m).into()); // aporte_socios
    r.push(yes_no(rng, 0.3 + 0.6 * m).into()); // distribucion_segun_aporte
    r.push(yes_no(rng, 0.2 + 0.75 * m).into()); // informacion_precios
    r.push(yes_no(rng, 0.3 + 0.65 * m).into()); // apoyo_comercializacion
    r.push(rng.range(0, (4.0 * m) as u64).to_string()); // certificaciones
    r.push(yes_no(rng, 0.15 + 0.8 * m).into()); // imagen_producto
    r.push(rng.range(0, (1.0 + 6.0 * m) as u64).to_string()); // capacitaciones_anio
    r.push(yes_no(rng, 0.2 + 0.75 * m).into()); // mecanismos_administrativos
    r.push(rng.range(0, (1.0 + 5.0 * m) as u64).to_string()); // alianzas
    r.push(yes_no(rng, 0.5 + 0.4 * m).into()); // busca_apoyo
    r.push(yes_no(rng, 0.3 + 0.65 * m).into()); // cuenta_bancaria
    r.push(yes_no(rng, 0.2 + 0.75 * m).into()); // contabilidad
    r.push(yes_no(rng, 0.1 + 0.7 * m).into()); // analisis_costos
    r.push(yes_no(rng, 0.3 + 0.65 * m).into()); // rendicion_cuentas
    r.push(yes_no(rng, 0.1 + 0.85 * m).into()); // mercado_concreto
    r.push(cat(rng, excedentes));
    r.push(yes_no(rng, 0.15 + 0.8 * m).into()); // punto_equilibrio_social
    debug_assert_eq!(r.len(), COLUMNS.len());
    // ~5 % de celdas vacías, en todas las columnas salvo el código.
    for cell in r.iter_mut().skip(1) {
        if rng.chance(BLANK_RATE) {
            cell.clear();
        }
    }
    r
}

fn generate(path: &Path, n: usize) -> io::Result<u64> {
    let mut rng = Rng(SEED);
    let mut w = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, File::create(path)?));
    w.write_record(COLUMNS).map_err(io::Error::other)?;
    for i in 0..n {
        w.write_record(organization(&mut rng, i))
            .map_err(io::Error::other)?;
    }
    w.flush()?;
    drop(w);
    Ok(std::fs::metadata(path)?.len())
}

// ---------------------------------------------------------------------------
// a. El programa escrito a mano
// ---------------------------------------------------------------------------
//
// Resultado de una fila, en un byte: 0 consolidada, 1 en_proceso,
// 2 embrionaria, 3 sin nivel; +4 si es provisional; 8 fila rechazada.

const REJECTED: u8 = 8;

/// Lógica de tres valores de Kleene: `None` es "sin dato".
type T = Option<bool>;

fn and(xs: &[T]) -> T {
    if xs.contains(&Some(false)) {
        Some(false)
    } else if xs.contains(&None) {
        None
    } else {
        Some(true)
    }
}

fn or(xs: &[T]) -> T {
    if xs.contains(&Some(true)) {
        Some(true)
    } else if xs.contains(&None) {
        None
    } else {
        Some(false)
    }
}

/// `a >= b` con la misma tolerancia que el motor (1e-9 relativo).
fn ge(a: Option<f64>, b: f64) -> T {
    let a = a?;
    let equal = (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    Some(equal || a > b)
}

/// `a = b` con la misma tolerancia.
fn eq(a: Option<f64>, b: f64) -> T {
    let a = a?;
    Some((a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0))
}

fn pct(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b != 0.0 => Some(a / b * 100.0),
        _ => None,
    }
}

/// Un criterio: (aplica, resultado).
type C = (bool, T);

fn c(t: T) -> C {
    (true, t)
}

/// `si falta dato: no cumple`.
fn fails_if_blank(t: T) -> C {
    (true, Some(t.unwrap_or(false)))
}

/// Cuenta (sí, sin dato, total) de los criterios que aplican.
fn tally(xs: &[C]) -> (usize, usize, usize) {
    let (mut yes, mut unknown, mut total) = (0, 0, 0);
    for &(applies, t) in xs {
        if !applies {
            continue;
        }
        total += 1;
        match t {
            Some(true) => yes += 1,
            None => unknown += 1,
            Some(false) => {}
        }
    }
    (yes, unknown, total)
}

fn at_least_n(xs: &[C], needed: f64) -> T {
    let (yes, unknown, _) = tally(xs);
    if yes as f64 >= needed {
        Some(true)
    } else if ((yes + unknown) as f64) < needed {
        Some(false)
    } else {
        None
    }
}

fn all(xs: &[C]) -> T {
    let total = tally(xs).2;
    at_least_n(xs, total as f64)
}

/// `tolera n de [...]`: se cumplen todos salvo a lo sumo `n`; con datos que
/// faltan, sí si aun fallando todos no se pasa de `n`, no si ya fallan más.
fn tolerates(xs: &[C], n: usize) -> T {
    let total = tally(xs).2;
    at_least_n(xs, total.saturating_sub(n) as f64)
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end]
}

/// Campo sí/no: Ok(None) vacío, Err si no se entiende.
fn yn(b: &[u8]) -> Result<T, ()> {
    let t = trim(b);
    if t.is_empty() {
        return Ok(None);
    }
    const TRUE: [&[u8]; 8] = [b"si", b"s", b"yes", b"y", b"verdadero", b"true", b"v", b"1"];
    const FALSE: [&[u8]; 6] = [b"no", b"n", b"falso", b"false", b"f", b"0"];
    if TRUE.iter().any(|w| w.eq_ignore_ascii_case(t)) {
        return Ok(Some(true));
    }
    if FALSE.iter().any(|w| w.eq_ignore_ascii_case(t)) {
        return Ok(Some(false));
    }
    match t {
        [b's' | b'S', 0xC3, 0xAD | 0x8D] => Ok(Some(true)),
        _ => Err(()),
    }
}

fn int(b: &[u8]) -> Result<Option<f64>, ()> {
    let t = trim(b);
    if t.is_empty() {
        return Ok(None);
    }
    if !t.iter().all(u8::is_ascii_digit) {
        return Err(());
    }
    std::str::from_utf8(t)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .map(Some)
        .ok_or(())
}

fn percent(b: &[u8]) -> Result<Option<f64>, ()> {
    let t = trim(b);
    let t = trim(t.strip_suffix(b"%").unwrap_or(t));
    if t.is_empty() {
        return Ok(None);
    }
    let mut buf = [0u8; 32];
    if t.len() > buf.len() {
        return Err(());
    }
    for (d, s) in buf.iter_mut().zip(t) {
        *d = if *s == b',' { b'.' } else { *s };
    }
    let v: f64 = std::str::from_utf8(&buf[..t.len()])
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or(())?;
    if (0.0..=100.0).contains(&v) {
        Ok(Some(v))
    } else {
        Err(())
    }
}

/// Categoría: índice del valor declarado.
fn category(b: &[u8], values: &[&str]) -> Result<Option<usize>, ()> {
    let t = trim(b);
    if t.is_empty() {
        return Ok(None);
    }
    values
        .iter()
        .position(|v| v.as_bytes().eq_ignore_ascii_case(t))
        .map(Some)
        .ok_or(())
}

const FORMAS: [&str; 5] = ["asociacion", "cooperativa", "coraca", "otra", "ninguna"];
const LISTA: [&str; 3] = ["no_tiene", "basica", "actualizada"];
const RENOV: [&str; 3] = ["no_definida", "definida", "cumplida"];
const EXCED: [&str; 3] = ["ninguno", "inestables", "estables"];

/// Posición de cada columna de la ficha en el archivo.
struct Cols([usize; 42]);

impl Cols {
    fn new(header: &csv::ByteRecord) -> Cols {
        let mut idx = [usize::MAX; 42];
        for (i, name) in COLUMNS.iter().enumerate() {
            idx[i] = header
                .iter()
                .position(|h| h == name.as_bytes())
                .unwrap_or_else(|| panic!("falta la columna {name}"));
        }
        Cols(idx)
    }
}

/// Los índices de las columnas, resueltos una vez.
macro_rules! col {
    ($name:literal) => {{
        const I: usize = {
            let mut i = 0;
            while i < COLUMNS.len() {
                if const_eq(COLUMNS[i], $name) {
                    break;
                }
                i += 1;
            }
            assert!(i < COLUMNS.len(), "columna desconocida");
            i
        };
        I
    }};
}

const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Los niveles de `rules/cepac.reglas`, escritos a mano. Err = fila rechazada.
fn hand_level(cols: &Cols, rec: &csv::ByteRecord) -> Result<u8, ()> {
    let f = |i: usize| rec.get(cols.0[i]).unwrap_or(b"");
    let forma = category(f(col!("forma_juridica")), &FORMAS)?;
    let voluntaria = yn(f(col!("organizacion_voluntaria")))?;
    let afiliacion = yn(f(col!("afiliacion_politica")))?;
    let base = yn(f(col!("decisiones_desde_la_base")))?;
    let gradual = yn(f(col!("desarrollo_gradual")))?;
    let lista = category(f(col!("lista_socios")), &LISTA)?;
    let pj = yn(f(col!("personeria_juridica")))?;
    let re = yn(f(col!("registro_empresarial")))?;
    let rc = yn(f(col!("registro_cooperativas")))?;
    let dc = yn(f(col!("documento_constitucion")))?;
    let nit = yn(f(col!("nit")))?;
    let tramite = yn(f(col!("tramite_legal_en_curso")))?;
    let reg_dir = yn(f(col!("registro_directorio")))?;
    let renov = category(f(col!("renovacion_directorio")), &RENOV)?;
    let socios = int(f(col!("socios_total")))?;
    let socias = int(f(col!("socias")))?;
    let cargos = int(f(col!("cargos_directorio")))?;
    let cargos_m = int(f(col!("cargos_mujeres")))?;
    let asistencia = percent(f(col!("asistencia_asambleas")))?;
    let asambleas = int(f(col!("asambleas_anio")))?;
    let info = yn(f(col!("informacion_a_socios")))?;
    let aporte = yn(f(col!("aporte_socios")))?;
    let distrib = yn(f(col!("distribucion_segun_aporte")))?;
    let precios = yn(f(col!("informacion_precios")))?;
    let comerc = yn(f(col!("apoyo_comercializacion")))?;
    let certif = int(f(col!("certificaciones")))?;
    let imagen = yn(f(col!("imagen_producto")))?;
    let capac = int(f(col!("capacitaciones_anio")))?;
    let mecan = yn(f(col!("mecanismos_administrativos")))?;
    let alianzas = int(f(col!("alianzas")))?;
    let busca = yn(f(col!("busca_apoyo")))?;
    let cuenta = yn(f(col!("cuenta_bancaria")))?;
    let contab = yn(f(col!("contabilidad")))?;
    let costos = yn(f(col!("analisis_costos")))?;
    let rendic = yn(f(col!("rendicion_cuentas")))?;
    let mercado = yn(f(col!("mercado_concreto")))?;
    let exced = category(f(col!("excedentes")), &EXCED)?;
    let equilibrio = yn(f(col!("punto_equilibrio_social")))?;
    // `máximo`: socias ≤ socios_total, cargos_mujeres ≤ cargos_directorio.
    if matches!((socias, socios), (Some(a), Some(b)) if a > b)
        || matches!((cargos_m, cargos), (Some(a), Some(b)) if a > b)
    {
        return Err(());
    }
    // El código vacío también rechaza la fila.
    if trim(f(col!("codigo"))).is_empty() {
        return Err(());
    }

    let is = |v: Option<usize>, want: usize| v.map(|x| x == want);
    let among = |v: Option<usize>, want: &[usize]| v.map(|x| want.contains(&x));

    // 6 bis. `revisar`: datos que no pueden ser correctos, sin nivel (3, no
    // provisional). Un `revisar` sin decidir por falta de dato no se marca.
    if eq(socios, 0.0) == Some(true)
        || eq(cargos, 0.0) == Some(true)
        || and(&[ge(asambleas, 1.0), eq(asistencia, 0.0)]) == Some(true)
    {
        return Ok(3);
    }

    // 3. Valores.
    let doc_legal = or(&[pj, re, rc, dc]);
    let part_mujeres = pct(socias, socios);
    let mujeres_dir = pct(cargos_m, cargos);

    // 4.1 Grupo interno (14 criterios; registro_cooperativo solo para cooperativas).
    let registro_coop: C = match forma {
        Some(1) => fails_if_blank(rc),
        Some(_) => (false, Some(true)),
        // `aplica si` sin dato: sin decidir, diga lo que diga `si falta dato`
        // (puede que no aplique; tests/semantics.rs).
        None => (true, None),
    };
    let libre = c(and(&[voluntaria, afiliacion.map(|b| !b)]));
    let interno = [
        libre,
        c(base),
        c(gradual),
        c(is(lista, 2)),
        c(and(&[doc_legal, nit])),
        registro_coop,
        fails_if_blank(reg_dir),
        c(is(renov, 2)),
        c(ge(part_mujeres, 40.0)),
        c(ge(mujeres_dir, 30.0)),
        c(ge(asistencia, 60.0)),
        c(and(&[ge(asambleas, 2.0), info])),
        c(aporte),
        c(distrib),
    ];
    // 4.2 Grupo recursos.
    let educacion = c(ge(capac, 2.0));
    let recursos = [
        c(precios),
        c(or(&[comerc, busca])),
        c(or(&[ge(certif, 1.0), imagen])),
        educacion,
        c(mecan),
        c(ge(alianzas, 2.0)),
    ];
    // 4.3 Grupo gestión económica.
    let gestion = c(at_least_n(
        &[c(cuenta), c(contab), c(costos), c(rendic)],
        2.0,
    ));
    let gestion_economica = [gestion, c(mercado), c(is(exced, 2))];
    // 4.4 Factibilidad (documento_legal no entra en ningún nivel).
    let genera_exc = among(exced, &[1, 2]);
    let equil = equilibrio;

    // 5. Niveles. en_proceso: obligatorios y `tolera 2 de [...]`.
    let en_proceso = and(&[
        genera_exc,
        equil,
        tolerates(
            &[
                libre,
                c(among(lista, &[1, 2])),
                c(or(&[doc_legal, tramite])),
                c(among(renov, &[1, 2])),
                gestion,
                c(or(&[busca, ge(alianzas, 1.0)])),
                educacion,
            ],
            2,
        ),
    ]);
    // consolidada: `requiere nivel en_proceso` y todos de los tres grupos.
    let consolidada = and(&[
        en_proceso,
        all(&interno),
        all(&recursos),
        all(&gestion_economica),
    ]);

    // Del nivel más alto al más bajo; `en otro caso` solo si los de arriba son "no".
    let mut undecided = false;
    for (level, cond) in [(0u8, consolidada), (1, en_proceso)] {
        match cond {
            Some(true) => return Ok(level + if undecided { 4 } else { 0 }),
            None => undecided = true,
            Some(false) => {}
        }
    }
    Ok(if undecided { 3 + 4 } else { 2 })
}

fn hand_written(path: &Path, out: &mut Vec<u8>) -> io::Result<()> {
    out.clear();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .buffer_capacity(64 * 1024)
        .from_path(path)
        .map_err(io::Error::other)?;
    let mut rec = csv::ByteRecord::new();
    if !rdr.read_byte_record(&mut rec).map_err(io::Error::other)? {
        return Ok(());
    }
    let cols = Cols::new(&rec);
    while rdr.read_byte_record(&mut rec).map_err(io::Error::other)? {
        out.push(hand_level(&cols, &rec).unwrap_or(REJECTED));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// b, c. La biblioteca
// ---------------------------------------------------------------------------

fn code_of(s: &Salida) -> u8 {
    match s {
        Salida::Rechazada(_) => REJECTED,
        Salida::Evaluada(r) => {
            let level = match r.nivel.as_deref() {
                Some("consolidada") => 0,
                Some("en_proceso") => 1,
                Some("embrionaria") => 2,
                Some(other) => panic!("nivel inesperado {other}"),
                None => 3,
            };
            level + if r.provisional { 4 } else { 0 }
        }
    }
}

/// Igual que `reglas evaluar` (src/cli/evaluar.rs).
fn evaluate_row(ev: &Evaluator, row: reglas::data::Row, detail: Detail) -> Salida {
    ev.salida(reglas::eval::Prepared::from(row), detail)
}

fn open(program: &Program, path: &Path) -> reglas::data::DataSource {
    match reglas::data::open(path, &program.schema, &ReadOptions::default()) {
        Ok(s) => s,
        Err(e) => panic!("no se pudo abrir {}: {e:?}", path.display()),
    }
}

/// Solo leer y tipar las filas (sin evaluar): el costo del lector.
fn lib_read_only(program: &Program, path: &Path) -> usize {
    let mut n = 0;
    for row in open(program, path) {
        n += row.values.len().min(1);
    }
    n
}

/// b. Solo el nivel: `evaluate(&fila, false)`.
fn lib_levels(program: &Program, path: &Path, out: &mut Vec<u8>) {
    out.clear();
    let ev = Evaluator::new(program);
    for row in open(program, path) {
        let s = evaluate_row(&ev, row, Detail::Level);
        out.push(code_of(&s));
    }
}

/// b. El nivel directo, con la API pública del motor: `compute`, los
/// `revisar` y las condiciones de los niveles, sin armar un `Resultado` (sin recomendaciones
/// ni textos). Es la cota de lo que daría una función «solo el nivel».
fn lib_levels_direct(program: &Program, path: &Path, out: &mut Vec<u8>) {
    out.clear();
    let ev = Evaluator::new(program);
    for row in open(program, path) {
        if !row.errors.is_empty() {
            out.push(REJECTED);
            continue;
        }
        let st = ev.compute(&row);
        // `revisar`: datos que no pueden ser correctos, sin nivel ni provisional.
        if program
            .checks
            .iter()
            .any(|c| ev.eval(&c.condition, &st).tri() == Tri::Yes)
        {
            out.push(3);
            continue;
        }
        let mut undecided = false;
        let mut chosen = None;
        for (i, level) in program.levels.iter().enumerate() {
            let t = match &level.condition {
                Some(c) => ev.eval(c, &st).tri(),
                None if undecided => Tri::Unknown,
                None => Tri::Yes,
            };
            match t {
                Tri::Yes => {
                    chosen = Some(i as u8);
                    break;
                }
                Tri::Unknown => undecided = true,
                Tri::No => {}
            }
        }
        out.push(chosen.unwrap_or(3) + if undecided { 4 } else { 0 });
    }
}

/// b2. Solo el nivel en todos los núcleos: `Evaluator::evaluate_stream`
/// (un hilo lee, los demás evalúan; lo que usa `reglas evaluar`), contando
/// los niveles en el hilo principal.
fn lib_levels_parallel(program: &Program, path: &Path, out: &mut Vec<u8>) {
    out.clear();
    let ev = Evaluator::new(program);
    let options = StreamOptions {
        detail: Detail::Level,
        encoder: None,
        threads: 0,
    };
    let levels = program.levels.len();
    let result = ev.evaluate_stream(open(program, path), Prepared::from, options, |batch| {
        for e in &batch.rows {
            let s = &e.summary;
            out.push(match (&s.rejected, s.level) {
                (Some(_), _) => REJECTED,
                (None, level) => level.unwrap_or(levels) as u8 + if s.provisional { 4 } else { 0 },
            });
        }
        Ok::<(), ()>(())
    });
    if result.is_err() {
        panic!("evaluate_stream falló");
    }
}

/// c''. JSON Lines en todos los núcleos: los hilos que evalúan también
/// codifican (lo que hace `reglas evaluar --formato jsonl`, con
/// `Detail::Trace` lo que hace con `--detalle-completo`).
fn lib_jsonl_parallel<W: Write>(
    program: &Program,
    path: &Path,
    w: W,
    detail: Detail,
) -> io::Result<usize> {
    let ev = Evaluator::new(program);
    let mut writer = jsonl_writer(&ev, w, detail);
    let encoder = writer.encoder();
    let options = StreamOptions {
        detail,
        encoder: encoder.as_deref(),
        threads: 0,
    };
    let mut n = 0;
    ev.evaluate_stream(open(program, path), Prepared::from, options, |batch| {
        n += batch.rows.len();
        writer.write_encoded(&batch.encoded)
    })?;
    writer.finish()?;
    Ok(n)
}

/// b'. Con el escritor CSV de resultados (lo que hace `--formato csv`).
fn lib_csv<W: Write>(program: &Program, path: &Path, w: W) -> io::Result<usize> {
    let ev = Evaluator::new(program);
    let mut writer = Csv::new(w, program, b';')?;
    let mut n = 0;
    for row in open(program, path) {
        writer.write(&evaluate_row(&ev, row, Detail::Level))?;
        n += 1;
    }
    writer.finish()?;
    Ok(n)
}

/// The writer `reglas evaluar --formato jsonl` uses for `detail`: with
/// `Detail::Trace`, a trace file.
fn jsonl_writer<W: Write>(ev: &Evaluator, w: W, detail: Detail) -> JsonLines<W> {
    match detail {
        Detail::Trace => JsonLines::with_trace(w, ev.header().clone()),
        _ => JsonLines::new(w),
    }
}

/// c. JSON Lines: `Detail::Full` es `evaluate(&fila, true)`, la explicación
/// completa en cada línea (lo que escribe `--formato json --detalle-completo`);
/// `Detail::Trace`, el archivo de traza de `--formato jsonl --detalle-completo`
/// (la misma explicación, lo común una vez); `Detail::Compact` es lo que
/// `reglas evaluar --formato jsonl` escribe por omisión (resultado de cada
/// criterio por su nombre).
fn lib_jsonl<W: Write>(program: &Program, path: &Path, w: W, detail: Detail) -> io::Result<usize> {
    let ev = Evaluator::new(program);
    let mut writer = jsonl_writer(&ev, w, detail);
    let mut n = 0;
    for row in open(program, path) {
        writer.write(&evaluate_row(&ev, row, detail))?;
        n += 1;
    }
    writer.finish()?;
    Ok(n)
}

/// Cuenta los bytes escritos sin guardarlos.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// d. El binario real
// ---------------------------------------------------------------------------

struct BinRun {
    peak_kb: u64,
    wall: Duration,
    /// Tiempo de CPU (usuario + sistema), si se pudo saber.
    cpu: Option<Duration>,
    status: i32,
    method: &'static str,
}

fn time_field(stderr: &str, name: &str) -> Option<f64> {
    stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix(name))
        .and_then(|v| v.trim().parse().ok())
}

fn run_binary(data: &Path, format: &str, extra: &[&str], out: &Path) -> io::Result<BinRun> {
    let mut args = vec![
        "evaluar",
        RULES,
        data.to_str().unwrap_or_default(),
        "--formato",
        format,
        "--salida",
        out.to_str().unwrap_or_default(),
    ];
    args.extend_from_slice(extra);
    let time = Path::new("/usr/bin/time");
    let start = Instant::now();
    if time.exists() {
        let output = Command::new(time)
            .arg("-v")
            .arg(BIN)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()?;
        let wall = start.elapsed();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let user = time_field(&stderr, "User time (seconds):");
        let sys = time_field(&stderr, "System time (seconds):");
        return Ok(BinRun {
            peak_kb: time_field(&stderr, "Maximum resident set size (kbytes):").unwrap_or(0.0)
                as u64,
            wall,
            cpu: user.zip(sys).map(|(u, s)| Duration::from_secs_f64(u + s)),
            status: time_field(&stderr, "Exit status:").map_or(-1, |v| v as i32),
            method: "/usr/bin/time -v",
        });
    }
    // Sin /usr/bin/time: se sondea VmHWM en /proc mientras corre.
    let mut child = Command::new(BIN)
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let status = loop {
        let mut s = String::new();
        if File::open(&status_path)
            .and_then(|mut f| f.read_to_string(&mut s))
            .is_ok()
        {
            if let Some(v) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kb = peak_kb.max(v);
            }
        }
        if let Some(st) = child.try_wait()? {
            break st.code().unwrap_or(-1);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Ok(BinRun {
        peak_kb,
        wall: start.elapsed(),
        cpu: None,
        status,
        method: "VmHWM de /proc (sondeo)",
    })
}

// ---------------------------------------------------------------------------
// Medición e informe
// ---------------------------------------------------------------------------

/// Tiempo de CPU de este hilo, en ns (`/proc/thread-self/schedstat`): no
/// cuenta el tiempo que el hilo esperó a otros procesos de la máquina.
fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Reloj y CPU de una medición.
#[derive(Clone, Copy)]
struct Times {
    wall: Duration,
    cpu: Option<Duration>,
}

/// Pasado este tiempo no se repite una medición (las lentas ya son estables).
const REPEAT_BUDGET: Duration = Duration::from_secs(5);

/// El mejor tiempo (de reloj y de CPU, por separado) de hasta `reps` corridas.
fn best<F: FnMut()>(reps: usize, mut f: F) -> Times {
    let mut out = Times {
        wall: Duration::MAX,
        cpu: None,
    };
    let started = Instant::now();
    for i in 0..reps {
        if i > 0 && started.elapsed() > REPEAT_BUDGET {
            break;
        }
        let c0 = thread_cpu();
        let t = Instant::now();
        f();
        let wall = t.elapsed();
        let cpu = thread_cpu().zip(c0).map(|(b, a)| b.saturating_sub(a));
        out.wall = out.wall.min(wall);
        out.cpu = match (out.cpu, cpu) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
    }
    out
}

/// Filas por segundo de CPU y de reloj.
#[derive(Clone, Copy, Default)]
struct Rate {
    cpu: Option<f64>,
    wall: f64,
}

impl Rate {
    fn of(n: usize, t: Times) -> Rate {
        Rate {
            cpu: t
                .cpu
                .filter(|d| !d.is_zero())
                .map(|d| n as f64 / d.as_secs_f64()),
            wall: n as f64 / t.wall.as_secs_f64(),
        }
    }
    /// Con varios hilos el tiempo de CPU del hilo principal no dice nada:
    /// solo cuenta el reloj.
    fn wall_only(self) -> Rate {
        Rate { cpu: None, ..self }
    }
    /// La cifra que se compara con los objetivos: CPU si se sabe.
    fn main(self) -> f64 {
        self.cpu.unwrap_or(self.wall)
    }
    fn show(self) -> String {
        match self.cpu {
            Some(c) => format!("{} ({})", fmt_rate(c), fmt_rate(self.wall)),
            None => format!("— ({})", fmt_rate(self.wall)),
        }
    }
}

fn fmt_rate(r: f64) -> String {
    let s = format!("{:.0}", r);
    // Separador de miles con espacio fino, como en los documentos.
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('\u{202F}');
        }
        out.push(ch);
    }
    out
}

fn fmt_n(n: usize) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

#[derive(Default)]
struct Line {
    n: usize,
    csv_bytes: u64,
    hand: Rate,
    read_only: Rate,
    levels: Rate,
    direct: Rate,
    csv_out: Rate,
    jsonl_sink: Rate,
    jsonl_bytes: u64,
    jsonl_file: Option<Rate>,
    compact_sink: Rate,
    compact_bytes: u64,
    agree: usize,
    agree_direct: usize,
    parallel: Rate,
    agree_parallel: usize,
    compact_parallel: Rate,
    trace_sink: Rate,
    trace_bytes: u64,
    trace_parallel: Rate,
    rows: usize,
    dist: [usize; 9],
    /// (memoria máxima en kB, filas/s) de `--formato jsonl`,
    /// `--formato jsonl --detalle-completo` y `--formato csv`.
    bin: [Option<(u64, Rate)>; 3],
}

const BIN_RUNS: [(&str, &str, &[&str]); 3] = [
    ("jsonl", "jsonl", &[]),
    ("jsonl --detalle-completo", "jsonl", &["--detalle-completo"]),
    ("csv", "csv", &[]),
];

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_else(|| "desconocido".into())
}

fn main() {
    let cfg = config();
    let loaded = reglas::load::load_file(Path::new(RULES));
    let Some(program) = loaded.program.as_ref() else {
        panic!("rules/cepac.reglas no carga");
    };
    let declared: Vec<&str> = program
        .schema
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(
        declared, COLUMNS,
        "las columnas del banco no coinciden con rules/cepac.reglas"
    );

    // Solo generar los datos (para perfilar o probar el binario a mano).
    if let Some(path) = std::env::var_os("REGLAS_BENCH_GENERAR") {
        let n = cfg.sizes.first().copied().unwrap_or(10_000);
        let bytes = generate(Path::new(&path), n).unwrap_or_else(|e| panic!("generar: {e}"));
        eprintln!(
            "{} organizaciones escritas en {} ({})",
            n,
            Path::new(&path).display(),
            mb(bytes)
        );
        return;
    }

    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("reglas — banco `evaluar`");
    println!("CPU: {} × {}", cpus, cpu_model());
    println!("Binario: {BIN}");
    println!(
        "Tamaños: {:?}; carpeta temporal: {}",
        cfg.sizes,
        cfg.dir.display()
    );
    println!("Cifras: filas por segundo de CPU (entre paréntesis, por segundo de reloj).");

    let dir = match tempfile::Builder::new()
        .prefix("reglas-bench-")
        .tempdir_in(&cfg.dir)
    {
        Ok(d) => d,
        Err(e) => panic!("no se pudo crear la carpeta temporal: {e}"),
    };
    let mut lines = Vec::new();
    for &n in &cfg.sizes {
        let mut line = Line {
            n,
            ..Line::default()
        };
        let reps = cfg.reps_override.unwrap_or(if n <= 10_000 {
            5
        } else if n <= 100_000 {
            3
        } else {
            1
        });
        let data = dir.path().join(format!("organizaciones-{n}.csv"));
        let t = Instant::now();
        line.csv_bytes = generate(&data, n).unwrap_or_else(|e| panic!("generar: {e}"));
        println!(
            "\n== N = {} ({} de CSV, generado en {:.1} s; hasta {reps} repeticiones mientras no pasen de 5 s; se toma la mejor)",
            fmt_n(n),
            mb(line.csv_bytes),
            t.elapsed().as_secs_f64()
        );

        // a. A mano.
        let mut hand = Vec::with_capacity(n);
        let t = best(reps, || {
            hand_written(&data, &mut hand).unwrap_or_else(|e| panic!("{e}"))
        });
        line.hand = Rate::of(hand.len(), t);
        println!(
            "a.  escrito a mano (csv ByteRecord)      {}",
            line.hand.show()
        );

        // Solo lectura.
        let mut read = 0;
        let t = best(reps, || read = lib_read_only(program, &data));
        line.read_only = Rate::of(read, t);
        println!(
            "    biblioteca, solo leer filas          {}",
            line.read_only.show()
        );

        // b. Solo nivel.
        let mut lib = Vec::with_capacity(n);
        let t = best(reps, || lib_levels(program, &data, &mut lib));
        line.levels = Rate::of(lib.len(), t);
        println!(
            "b.  biblioteca, solo nivel               {}  = {:.1} % del escrito a mano",
            line.levels.show(),
            100.0 * line.levels.main() / line.hand.main()
        );

        line.rows = lib.len();
        line.agree = hand.iter().zip(&lib).filter(|(a, b)| a == b).count();
        for &c in &lib {
            line.dist[c as usize] += 1;
        }
        println!(
            "    coincidencia a mano = biblioteca:    {} de {} filas{}",
            line.agree,
            line.rows,
            if hand.len() != lib.len() {
                format!(
                    " (¡distinta cantidad de filas: {} y {}!)",
                    hand.len(),
                    lib.len()
                )
            } else {
                String::new()
            }
        );
        let mismatches = hand
            .iter()
            .zip(&lib)
            .enumerate()
            .filter(|(_, (a, b))| a != b);
        for (i, (a, b)) in mismatches.take(5) {
            println!(
                "    DIFERENCIA en la fila {} del archivo: a mano {a} / biblioteca {b}",
                i + 2
            );
        }

        let mut direct = Vec::with_capacity(n);
        let t = best(reps, || lib_levels_direct(program, &data, &mut direct));
        line.direct = Rate::of(direct.len(), t);
        line.agree_direct = direct.iter().zip(&lib).filter(|(a, b)| a == b).count();
        println!(
            "b.  nivel directo (compute + niveles)    {}  = {:.1} % del escrito a mano; coincide en {} filas",
            line.direct.show(),
            100.0 * line.direct.main() / line.hand.main(),
            line.agree_direct
        );

        let mut parallel = Vec::with_capacity(n);
        let t = best(reps, || lib_levels_parallel(program, &data, &mut parallel));
        line.parallel = Rate::of(parallel.len(), t).wall_only();
        line.agree_parallel = parallel.iter().zip(&lib).filter(|(a, b)| a == b).count();
        println!(
            "b2. solo nivel, todos los núcleos        {}  = {:.1} % del escrito a mano (de reloj); coincide en {} filas",
            line.parallel.show(),
            100.0 * line.parallel.wall / line.hand.wall,
            line.agree_parallel
        );

        let mut written = 0;
        let t = best(reps, || {
            written = lib_csv(program, &data, io::sink()).unwrap_or_else(|e| panic!("{e}"))
        });
        line.csv_out = Rate::of(written, t);
        println!(
            "b'. biblioteca + escritor CSV → sink     {}",
            line.csv_out.show()
        );

        // c. JSONL con explicación completa, y el compacto que el programa escribe por omisión.
        let mut counter = Counter(0);
        let t = best(reps, || {
            counter.0 = 0;
            written = lib_jsonl(program, &data, &mut counter, Detail::Full)
                .unwrap_or_else(|e| panic!("{e}"));
        });
        line.jsonl_sink = Rate::of(written, t);
        line.jsonl_bytes = counter.0;
        println!(
            "c.  JSONL explicación completa → sink    {}  ({} de salida, {:.1} kB por fila)",
            line.jsonl_sink.show(),
            mb(line.jsonl_bytes),
            line.jsonl_bytes as f64 / 1e3 / written.max(1) as f64
        );

        if cfg.to_file {
            let out = dir.path().join(format!("resultados-{n}.jsonl"));
            let t = best(1, || {
                let f = File::create(&out).unwrap_or_else(|e| panic!("{e}"));
                written = lib_jsonl(
                    program,
                    &data,
                    BufWriter::with_capacity(1 << 16, f),
                    Detail::Full,
                )
                .unwrap_or_else(|e| panic!("{e}"));
            });
            let _ = std::fs::remove_file(&out);
            let r = Rate::of(written, t);
            line.jsonl_file = Some(r);
            println!("c.  JSONL explicación completa → archivo {}", r.show());
        }

        let t = best(reps, || {
            counter.0 = 0;
            written = lib_jsonl(program, &data, &mut counter, Detail::Compact)
                .unwrap_or_else(|e| panic!("{e}"));
        });
        line.compact_sink = Rate::of(written, t);
        line.compact_bytes = counter.0;
        println!(
            "c'. JSONL compacto (por omisión) → sink  {}  ({} de salida, {:.1} kB por fila)",
            line.compact_sink.show(),
            mb(line.compact_bytes),
            line.compact_bytes as f64 / 1e3 / written.max(1) as f64
        );

        let t = best(reps, || {
            counter.0 = 0;
            written = lib_jsonl_parallel(program, &data, &mut counter, Detail::Compact)
                .unwrap_or_else(|e| panic!("{e}"));
        });
        line.compact_parallel = Rate::of(written, t).wall_only();
        println!(
            "c''. JSONL compacto, todos los núcleos   {}",
            line.compact_parallel.show()
        );

        // c3. El archivo de traza (`--formato jsonl --detalle-completo`).
        let t = best(reps, || {
            counter.0 = 0;
            written = lib_jsonl(program, &data, &mut counter, Detail::Trace)
                .unwrap_or_else(|e| panic!("{e}"));
        });
        line.trace_sink = Rate::of(written, t);
        line.trace_bytes = counter.0;
        println!(
            "c3. traza (jsonl --detalle-completo) → sink {}  ({} de salida, {:.0} bytes por fila)",
            line.trace_sink.show(),
            mb(line.trace_bytes),
            line.trace_bytes as f64 / written.max(1) as f64
        );
        let t = best(reps, || {
            counter.0 = 0;
            written = lib_jsonl_parallel(program, &data, &mut counter, Detail::Trace)
                .unwrap_or_else(|e| panic!("{e}"));
        });
        line.trace_parallel = Rate::of(written, t).wall_only();
        println!(
            "c3''. traza, todos los núcleos          {}",
            line.trace_parallel.show()
        );

        // d. Binario.
        if cfg.run_binary {
            for (i, (label, format, extra)) in BIN_RUNS.iter().enumerate() {
                let out = dir.path().join(format!("binario-{n}-{i}.{format}"));
                match run_binary(&data, format, extra, &out) {
                    Ok(r) => {
                        let rate = Rate::of(
                            n,
                            Times {
                                wall: r.wall,
                                cpu: r.cpu,
                            },
                        );
                        println!(
                            "d.  binario --formato {label:<24} {}  memoria máxima {:.1} MB ({}; código de salida {})",
                            rate.show(),
                            r.peak_kb as f64 / 1024.0,
                            r.method,
                            r.status
                        );
                        line.bin[i] = Some((r.peak_kb, rate));
                    }
                    Err(e) => println!("d.  no se pudo correr el binario: {e}"),
                }
                let _ = std::fs::remove_file(&out);
            }
        }
        let _ = std::fs::remove_file(&data);
        let _ = io::stdout().flush();
        lines.push(line);
    }
    report(&lines);
}

/// Tablas en Markdown, para pegar en docs/rendimiento.md.
fn report(lines: &[Line]) {
    let mut o = String::new();
    o.push_str("\n### Biblioteca: filas por segundo de CPU (entre paréntesis, de reloj)\n\n");
    o.push_str("| N | a. a mano | solo lectura | b. solo nivel | b ÷ a | nivel directo | b'. + CSV | c. JSONL completo → sink | c. JSONL completo → archivo | c'. JSONL compacto → sink | c3. traza → sink (bytes por fila) | coincidencia a = b |\n");
    o.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for l in lines {
        o.push_str(&format!(
            "| {} | {} | {} | {} | {:.1} % | {} | {} | {} | {} | {} | {} ({:.0}) | {} de {} |\n",
            fmt_n(l.n),
            l.hand.show(),
            l.read_only.show(),
            l.levels.show(),
            100.0 * l.levels.main() / l.hand.main(),
            l.direct.show(),
            l.csv_out.show(),
            l.jsonl_sink.show(),
            l.jsonl_file.map_or("—".into(), Rate::show),
            l.compact_sink.show(),
            l.trace_sink.show(),
            l.trace_bytes as f64 / l.rows.max(1) as f64,
            l.agree,
            l.rows,
        ));
    }
    o.push_str(
        "\n### Biblioteca en todos los núcleos (`evaluate_stream`): filas por segundo de reloj\n\n",
    );
    o.push_str("| N | a. a mano (1 hilo) | b2. solo nivel | b2 ÷ a | coincidencia b2 = b | c''. JSONL compacto → sink | c3''. traza → sink |\n");
    o.push_str("|---|---|---|---|---|---|---|\n");
    for l in lines {
        o.push_str(&format!(
            "| {} | {} | {} | {:.1} % | {} de {} | {} | {} |\n",
            fmt_n(l.n),
            fmt_rate(l.hand.wall),
            fmt_rate(l.parallel.wall),
            100.0 * l.parallel.wall / l.hand.wall,
            l.agree_parallel,
            l.rows,
            fmt_rate(l.compact_parallel.wall),
            fmt_rate(l.trace_parallel.wall),
        ));
    }
    o.push_str("\n### Programa `reglas evaluar`: memoria máxima y filas por segundo de CPU (entre paréntesis, de reloj)\n\n");
    o.push_str("| N | CSV de entrada | JSONL compacto | JSONL completo |");
    for (label, _, _) in BIN_RUNS {
        o.push_str(&format!(" memoria `{label}` | filas/s `{label}` |"));
    }
    o.push_str("\n|---|---|---|---|");
    for _ in BIN_RUNS {
        o.push_str("---|---|");
    }
    o.push('\n');
    for l in lines {
        o.push_str(&format!(
            "| {} | {} | {} | {} |",
            fmt_n(l.n),
            mb(l.csv_bytes),
            mb(l.compact_bytes),
            mb(l.jsonl_bytes)
        ));
        for b in &l.bin {
            match b {
                Some((kb, r)) => {
                    o.push_str(&format!(" {:.1} MB | {} |", *kb as f64 / 1024.0, r.show()))
                }
                None => o.push_str(" — | — |"),
            }
        }
        o.push('\n');
    }
    if let Some(l) = lines.last() {
        let d = &l.dist;
        o.push_str(&format!(
            "\nNiveles con N = {}: consolidada {}, en_proceso {}, embrionaria {}, sin nivel {} \
             (provisionales: {}), rechazadas {}.\n",
            fmt_n(l.n),
            d[0] + d[4],
            d[1] + d[5],
            d[2] + d[6],
            d[3] + d[7],
            d[4] + d[5] + d[6] + d[7],
            d[8],
        ));
    }
    print!("{o}");
    let _ = io::stdout().flush();
}
