//! Command-line arguments (clap), with Spanish help.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

const TEMPLATE: &str = "\
{before-help}{about-with-newline}
Uso: {usage}

{all-args}{after-help}";

#[derive(Parser, Debug)]
#[command(
    name = "reglas",
    version = reglas::build_info::TEXTO,
    about = "Aplica archivos de reglas `.reglas` a datos de organizaciones y explica cada decisión.",
    long_about = "Aplica archivos de reglas `.reglas` (criterios de caracterización de OECAs) a planillas \
                  de organizaciones, asigna a cada una su nivel y explica por qué.",
    after_help = "Ejemplos:\n  reglas verificar rules/cepac.reglas\n  reglas evaluar rules/cepac.reglas rules/ejemplos/organizaciones.csv\n  reglas explicar rules/cepac.reglas rules/ejemplos/organizaciones.csv AMB-001\n\nDocumentación: carpeta docs/ (empiece por docs/guia-analistas.md).",
    help_template = TEMPLATE,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "Comandos",
    subcommand_value_name = "COMANDO",
    next_help_heading = "Opciones"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    #[command(flatten)]
    pub global: Global,

    /// Muestra esta ayuda
    #[arg(short = 'h', long = "help", visible_alias = "ayuda", action = ArgAction::Help, global = true)]
    help: Option<bool>,

    /// Muestra la versión de reglas
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Cómo se muestran los errores: `humano` (con el texto marcado), `plano`
    /// (frases, para lectores de pantalla) o `json` (para editores)
    #[arg(
        long = "formato-errores",
        value_enum,
        default_value = "humano",
        global = true,
        value_name = "FORMATO"
    )]
    pub error_format: ErrorFormatArg,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFormatArg {
    Humano,
    Plano,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Revisa un archivo de reglas y muestra sus errores y advertencias
    #[command(help_template = TEMPLATE, next_help_heading = "Opciones")]
    Verificar {
        /// Archivo(s) de reglas a revisar
        #[arg(required = true, value_name = "REGLAS", help_heading = "Argumentos")]
        reglas: Vec<PathBuf>,
    },

    /// Reescribe archivos de reglas con la disposición de siempre (sangrías, espacios, tildes), sin perder comentarios
    #[command(help_template = TEMPLATE, next_help_heading = "Opciones")]
    Formatear {
        /// Archivo(s) de reglas a formatear
        #[arg(required = true, value_name = "REGLAS", help_heading = "Argumentos")]
        reglas: Vec<PathBuf>,
        /// No cambia nada: solo lista los archivos que cambiarían (y termina
        /// con código 1 si hay alguno), para la integración continua
        #[arg(long)]
        verificar: bool,
    },

    /// Crea una planilla vacía (CSV o XLSX) o un formulario XLSForm con los campos de las reglas
    #[command(help_template = TEMPLATE, next_help_heading = "Opciones")]
    Plantilla {
        /// Archivo de reglas
        #[arg(value_name = "REGLAS", help_heading = "Argumentos")]
        reglas: PathBuf,
        /// `csv` (planilla vacía), `xlsx` (planilla con listas desplegables y
        /// una hoja que explica cada campo) o `xlsform` (formulario para
        /// KoboToolbox/ODK) [por defecto: según la extensión de --salida; si
        /// no, csv]
        #[arg(long, value_enum, value_name = "FORMATO")]
        formato: Option<TemplateFormat>,
        /// Archivo a crear; `-` para mostrar el CSV en pantalla [por defecto:
        /// REGLAS-plantilla.csv, REGLAS-plantilla.xlsx o
        /// REGLAS-formulario.xlsx en la carpeta actual]
        #[arg(long, short = 'o', value_name = "ARCHIVO")]
        salida: Option<PathBuf>,
        #[command(flatten)]
        sobrescribir: Overwrite,
    },

    /// Evalúa todas las organizaciones de un archivo de datos
    #[command(help_template = TEMPLATE, next_help_heading = "Opciones")]
    Evaluar {
        /// Archivo de reglas
        #[arg(value_name = "REGLAS", help_heading = "Argumentos")]
        reglas: PathBuf,
        /// Archivo de datos (.csv, .tsv, .xlsx, .ods, .json, .jsonl)
        #[arg(value_name = "DATOS", help_heading = "Argumentos")]
        datos: PathBuf,
        /// Formato de salida [por defecto: el de la extensión de --salida; si no, tabla,
        /// vaya a la pantalla o a un archivo]
        #[arg(long, value_enum, value_name = "FORMATO")]
        formato: Option<OutputFormat>,
        /// Escribe el resultado en este archivo en lugar de la pantalla
        #[arg(long, short = 'o', value_name = "ARCHIVO")]
        salida: Option<PathBuf>,
        #[command(flatten)]
        sobrescribir: Overwrite,
        /// Separador de columnas del CSV de salida: `;` (el que espera Excel en
        /// castellano), `,` o `tab` [por defecto: `;`]
        #[arg(long = "separador-salida", value_name = "SEP")]
        separador_salida: Option<String>,
        /// En `jsonl`/`json`, la explicación completa de cada organización
        /// (títulos, frases, datos y lugares en las reglas) en lugar del
        /// resultado de cada criterio por su nombre. En `jsonl`, un archivo
        /// de traza: lo común una vez en la primera línea (`reglas explicar
        /// --desde` lo lee)
        #[arg(long = "detalle-completo")]
        detalle_completo: bool,
        /// Carpeta con las variantes regionales (`chaco.reglas`, basadas en
        /// REGLAS): cada fila se evalúa con la variante de su región, y la
        /// salida dice cuál; las demás filas, con REGLAS
        #[arg(long, value_name = "CARPETA")]
        variantes: Option<PathBuf>,
        /// Campo que elige la variante: su valor es el nombre del archivo
        /// (`region = chaco` → `chaco.reglas`) [por defecto: region]
        #[arg(long = "variante-por", value_name = "CAMPO", requires = "variantes")]
        variante_por: Option<String>,
        #[command(flatten)]
        lectura: ReadArgs,
        #[command(flatten)]
        auditoria: AuditArgs,
    },

    /// Corre los ejemplos de prueba (`ejemplo` en las reglas, o una planilla de casos)
    #[command(help_template = TEMPLATE, next_help_heading = "Opciones")]
    Probar {
        /// Archivo(s) de reglas con sus ejemplos
        #[arg(required = true, value_name = "REGLAS", help_heading = "Argumentos")]
        reglas: Vec<PathBuf>,
        /// Planilla de casos (CSV/XLSX): datos de la ficha más las columnas
        /// `nivel_esperado`, `fallan_esperados`, `recomendaciones_esperadas`
        #[arg(long, value_name = "ARCHIVO")]
        casos: Vec<PathBuf>,
        /// Lista los criterios, niveles y recomendaciones que ningún caso probó
        #[arg(long)]
        cobertura: bool,
        #[command(flatten)]
        lectura: ReadArgs,
    },

    /// Muestra qué organizaciones cambiarían de nivel con otra versión de las reglas
    #[command(help_template = TEMPLATE, next_help_heading = "Opciones")]
    Comparar {
        /// Reglas actuales
        #[arg(value_name = "ANTES", help_heading = "Argumentos")]
        antes: PathBuf,
        /// Reglas revisadas
        #[arg(value_name = "DESPUES", help_heading = "Argumentos")]
        despues: PathBuf,
        /// Archivo de datos
        #[arg(value_name = "DATOS", help_heading = "Argumentos")]
        datos: PathBuf,
        /// `texto` (para leer) o `json`
        #[arg(long, value_enum, default_value = "texto", value_name = "FORMATO")]
        formato: ExplainFormat,
        #[command(flatten)]
        lectura: ReadArgs,
    },

    /// Genera un informe (página HTML, PDF o Markdown) de todas las organizaciones
    #[command(help_template = TEMPLATE, next_help_heading = "Opciones")]
    Informe {
        /// Archivo de reglas
        #[arg(value_name = "REGLAS", help_heading = "Argumentos")]
        reglas: PathBuf,
        /// Archivo de datos (.csv, .tsv, .xlsx, .ods, .json, .jsonl)
        #[arg(value_name = "DATOS", help_heading = "Argumentos")]
        datos: PathBuf,
        /// Archivo donde guardar el informe (por ejemplo `informe.html`)
        #[arg(long, short = 'o', value_name = "ARCHIVO")]
        salida: Option<PathBuf>,
        #[command(flatten)]
        sobrescribir: Overwrite,
        /// `html` (una página para abrir en el navegador o imprimir), `pdf`
        /// (la misma página impresa, con Chromium o Chrome) o `md` (el resumen
        /// y un perfil por organización, para pegar en informes) [por defecto: según la
        /// extensión de --salida; si no, html]
        #[arg(long, value_enum, value_name = "FORMATO")]
        formato: Option<ReportFormat>,
        #[command(flatten)]
        presentacion: PresentationArgs,
        #[command(flatten)]
        lectura: ReadArgs,
        #[command(flatten)]
        auditoria: AuditArgs,
    },

    /// Compara una línea base con un seguimiento: qué organizaciones subieron, se mantuvieron o bajaron de nivel
    #[command(help_template = TEMPLATE, next_help_heading = "Opciones")]
    Avance {
        /// Archivo de reglas
        #[arg(value_name = "REGLAS", help_heading = "Argumentos")]
        reglas: PathBuf,
        /// Datos de la línea base
        #[arg(value_name = "LINEA_BASE", help_heading = "Argumentos")]
        linea_base: PathBuf,
        /// Datos del seguimiento (las organizaciones se emparejan por `codigo`)
        #[arg(value_name = "SEGUIMIENTO", help_heading = "Argumentos")]
        seguimiento: PathBuf,
        /// Otro archivo de reglas para el seguimiento (se advierte que los
        /// resultados no son comparables si las reglas difieren)
        #[arg(long = "reglas-seguimiento", value_name = "REGLAS")]
        reglas_seguimiento: Option<PathBuf>,
        /// `tabla`, `json`, `html` o `xlsx` [por defecto: según la extensión
        /// de --salida; si no, tabla]
        #[arg(long, value_enum, value_name = "FORMATO")]
        formato: Option<ProgressFormat>,
        /// Escribe el resultado en este archivo en lugar de la pantalla
        #[arg(long, short = 'o', value_name = "ARCHIVO")]
        salida: Option<PathBuf>,
        #[command(flatten)]
        sobrescribir: Overwrite,
        #[command(flatten)]
        lectura: ReadArgs,
        #[command(flatten)]
        auditoria: AuditArgs,
    },

    /// Explica en detalle el nivel de una organización
    #[command(help_template = TEMPLATE, next_help_heading = "Opciones")]
    Explicar {
        /// Archivo de reglas
        #[arg(
            value_name = "REGLAS",
            help_heading = "Argumentos",
            required_unless_present_any = ["desde", "fila"]
        )]
        reglas: Option<PathBuf>,
        /// Archivo de datos
        #[arg(
            value_name = "DATOS",
            help_heading = "Argumentos",
            required_unless_present = "desde"
        )]
        datos: Option<PathBuf>,
        /// Código de la organización (columna `codigo`)
        #[arg(
            value_name = "CODIGO",
            help_heading = "Argumentos",
            required_unless_present = "desde"
        )]
        codigo: Option<String>,
        /// Explica una organización de un archivo con la traza completa
        /// (`evaluar --formato jsonl --detalle-completo`), sin las reglas
        /// ni los datos: `--desde resultados.jsonl CODIGO`
        #[arg(long, value_name = "ARCHIVO", conflicts_with = "correcciones")]
        desde: Option<PathBuf>,
        /// Con `--desde`: la organización de esta fila de la planilla (la
        /// clave `fila`), en lugar de su código
        #[arg(long, value_name = "N", requires = "desde")]
        fila: Option<usize>,
        /// `texto` (para leer) o `json` (la traza estructurada)
        #[arg(long, value_enum, default_value = "texto", value_name = "FORMATO")]
        formato: ExplainFormat,
        /// En texto: `resumen` (una pantalla: el nivel y por qué, qué le
        /// falta, las primeras recomendaciones) o `completo` (cada nivel,
        /// criterio y dato, con su lugar en las reglas)
        #[arg(long, value_enum, default_value = "resumen", value_name = "DETALLE")]
        detalle: ExplainDetail,
        #[command(flatten)]
        lectura: ReadArgs,
        /// Registro de correcciones de datos (CSV: codigo, campo,
        /// valor_anterior, valor_nuevo, motivo)
        #[arg(long, value_name = "ARCHIVO")]
        correcciones: Option<PathBuf>,
    },

    /// Abre reglas en el navegador: elegir reglas y datos, ver los niveles, leer las explicaciones y editar las reglas
    #[command(help_template = TEMPLATE, next_help_heading = "Opciones")]
    Web {
        /// Carpeta con los archivos de reglas y de datos (solo se leen y se
        /// guardan archivos de esta carpeta) [por defecto: la actual]
        #[arg(value_name = "CARPETA", help_heading = "Argumentos")]
        carpeta: Option<PathBuf>,
        /// No abre el navegador: solo muestra la dirección
        #[arg(long)]
        no_abrir: bool,
    },
}

/// How `reglas informe` is presented and which rows it covers.
#[derive(Args, Debug, Clone, Default)]
pub struct PresentationArgs {
    /// Título del informe (en la portada y al pie de cada página impresa)
    #[arg(long, value_name = "TEXTO")]
    pub titulo: Option<String>,
    /// Nombre del proyecto, sobre el título
    #[arg(long, value_name = "TEXTO")]
    pub proyecto: Option<String>,
    /// Período que cubre el informe, por ejemplo "enero a junio de 2025"
    #[arg(long, value_name = "TEXTO")]
    pub periodo: Option<String>,
    /// Solo el resumen, sin las secciones de cada organización
    #[arg(long)]
    pub solo_resumen: bool,
    /// Solo las organizaciones de esta región (campo `region`)
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Solo las organizaciones de este rubro (campo `rubro`)
    #[arg(long, value_name = "RUBRO")]
    pub rubro: Option<String>,
    /// Solo las filas cuyo campo tiene ese valor; se puede repetir (todas
    /// deben cumplirse), por ejemplo `--filtro forma_juridica=cooperativa`
    #[arg(long, value_name = "CAMPO=VALOR")]
    pub filtro: Vec<String>,
    /// Además, el resultado de cada organización en un libro de Excel
    #[arg(long, value_name = "ARCHIVO.xlsx")]
    pub organizaciones: Option<PathBuf>,
    /// Con más organizaciones que este número, el informe no lleva un perfil
    /// por organización (solo el resumen, los gráficos y las tablas)
    #[arg(long, value_name = "N", default_value_t = reglas::report::LIMITE_PERFILES)]
    pub limite_perfiles: usize,
}

/// The same rule in every command that writes a file: an existing file is
/// only replaced when asked.
#[derive(Args, Debug, Clone, Copy)]
pub struct Overwrite {
    /// Reemplaza el archivo de --salida si ya existe (sin esta opción, un
    /// archivo que ya existe no se toca)
    #[arg(long = "sobrescribir")]
    pub yes: bool,
}

#[derive(Args, Debug, Clone)]
pub struct AuditArgs {
    /// Fecha de evaluación que se registra en la salida, AAAA-MM-DD
    /// [por defecto: hoy]; con la misma fecha, las mismas entradas dan
    /// exactamente la misma salida
    #[arg(long, value_name = "AAAA-MM-DD", value_parser = parse_date)]
    pub fecha: Option<String>,
    /// Registro de correcciones de datos (CSV: codigo, campo,
    /// valor_anterior, valor_nuevo, motivo) que se aplica antes de evaluar
    #[arg(long, value_name = "ARCHIVO")]
    pub correcciones: Option<PathBuf>,
}

fn parse_date(s: &str) -> Result<String, String> {
    let parts: Vec<&str> = s.split('-').collect();
    let shaped = parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
    let number = |i: usize| {
        parts
            .get(i)
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let (year, month, day) = (number(0), number(1), number(2));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    let ok = shaped && (1..=days).contains(&day);
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`{s}` no es una fecha AAAA-MM-DD (por ejemplo 2026-03-15)"
        ))
    }
}

#[derive(Args, Debug, Clone)]
pub struct ReadArgs {
    /// Separador de columnas del CSV: `,` `;` o `tab` [por defecto: se detecta]
    #[arg(long, value_name = "SEP")]
    pub separador: Option<String>,
    /// Codificación del CSV: `utf-8` o `windows-1252` [por defecto: se detecta]
    #[arg(long, value_name = "COD")]
    pub codificacion: Option<String>,
    /// Hoja de la planilla (nombre o número) [por defecto: la primera con encabezados]
    #[arg(long, value_name = "HOJA")]
    pub hoja: Option<String>,
    /// Una columna de las reglas que no está en el archivo se toma como sin dato en todas las filas (con una advertencia), en lugar de rechazar el archivo
    #[arg(long)]
    pub columnas_faltantes_sin_dato: bool,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Resumen legible, con conteos por nivel
    Tabla,
    /// Una fila por organización (UTF-8 con BOM, para Excel)
    Csv,
    /// Un objeto JSON por línea: nivel, recomendaciones y el resultado de cada criterio
    Jsonl,
    /// Una lista JSON con los mismos objetos que `jsonl`
    Json,
    /// Libro de Excel: resultados, criterios por organización y filas rechazadas
    Xlsx,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateFormat {
    /// Planilla vacía: solo la fila de encabezados (UTF-8 con BOM, para Excel)
    Csv,
    /// Planilla de Excel: hoja `datos` para llenar y hoja `campos` que explica cada campo
    Xlsx,
    /// Formulario XLSForm para KoboToolbox u ODK
    Xlsform,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExplainFormat {
    Texto,
    Json,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExplainDetail {
    Resumen,
    Completo,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Una página HTML autónoma (se abre sin conexión y se imprime bien)
    Html,
    /// La página impresa en PDF (necesita Chromium, Chrome o Edge)
    Pdf,
    /// El resumen y un perfil por organización en Markdown
    Md,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressFormat {
    /// Texto legible en la terminal
    Tabla,
    /// Los datos de la comparación en JSON
    Json,
    /// Una página HTML autónoma
    Html,
    /// Un libro de Excel: resumen, matriz, por región y rubro, organizaciones
    Xlsx,
}
