//! The XLSX template: sheet `datos` (the header row, bold and frozen, and
//! checks on each column: drop-down lists for sí/no and categories, whole
//! numbers, 0–100 for percentages, the question shown when a cell is
//! selected) and sheet `campos` documenting each field.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatBorder, Formula,
    Workbook, Worksheet,
};

use super::{fields, TemplateError, TemplateField};
use crate::data::FieldType;
use crate::program::Program;

/// Last row (0-based) the column checks cover: the whole sheet.
const LAST_ROW: u32 = 1_048_575;

/// Builds the workbook in memory.
pub fn xlsx(program: &Program) -> Result<Vec<u8>, TemplateError> {
    let fields = fields(program);
    let mut wb = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_border_bottom(FormatBorder::Thin);
    let text_cells = Format::new().set_num_format("@");

    let ws = wb.add_worksheet();
    ws.set_name("datos")?;
    for (i, f) in fields.iter().enumerate() {
        let col = column(i)?;
        ws.write_string_with_format(0, col, &f.name, &header)?;
        let width = (f.name.chars().count() + 3).clamp(10, 40);
        ws.set_column_width(col, width as f64)?;
        if f.ty == FieldType::Text {
            // Codes like 007 stay as written.
            ws.set_column_format(col, &text_cells)?;
        }
        if let Some(v) = validation(f, &fields)? {
            ws.add_data_validation(1, col, LAST_ROW, col, &v)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;

    let doc = wb.add_worksheet();
    doc.set_name("campos")?;
    write_fields_sheet(doc, &fields, program, &header)?;

    Ok(wb.save_to_buffer()?)
}

fn column(i: usize) -> Result<u16, TemplateError> {
    u16::try_from(i).map_err(|_| TemplateError("demasiados campos para una planilla".to_string()))
}

/// The check on a column, with the question as the message shown when a
/// cell is selected.
fn validation(
    f: &TemplateField,
    all: &[TemplateField],
) -> Result<Option<DataValidation>, TemplateError> {
    let col_of = |name: &str| all.iter().position(|g| g.name == name);
    let (v, error) = match &f.ty {
        FieldType::Bool => (
            DataValidation::new().allow_list_strings(&["sí", "no"])?,
            "Elija sí o no, o deje la celda vacía si no hay dato.".to_string(),
        ),
        FieldType::Category(names) => {
            // People pick the labels (the readers accept them), unless one
            // has a comma, which an Excel list cannot hold.
            let values =
                if f.labels.len() == names.len() && !f.labels.iter().any(|l| l.contains(',')) {
                    &f.labels
                } else {
                    names
                };
            let joined: usize = values.iter().map(|v| v.encode_utf16().count() + 1).sum();
            if joined > 255 {
                // Too long for an Excel list: only the message.
                (DataValidation::new().allow_any_value(), String::new())
            } else {
                (
                    DataValidation::new().allow_list_strings(values)?,
                    format!(
                        "Elija uno de: {}; o deje la celda vacía si no hay dato.",
                        values.join(", ")
                    ),
                )
            }
        }
        FieldType::Integer => match f.at_most.as_deref().and_then(col_of) {
            Some(other) => {
                let me = cell_name(all, f)?;
                let them = format!("{}2", column_letters(other));
                (
                    DataValidation::new().allow_custom(Formula::new(format!(
                        "=AND(INT({me})={me},{me}>=0,OR(ISBLANK({them}),{me}<={them}))"
                    ))),
                    format!(
                        "Escriba un número entero, 0 o más, no mayor que {}.",
                        f.at_most.as_deref().unwrap_or("")
                    ),
                )
            }
            None => (
                DataValidation::new()
                    .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
                "Escriba un número entero, 0 o más.".to_string(),
            ),
        },
        FieldType::Percent => (
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 100.0)),
            "Escriba un número de 0 a 100.".to_string(),
        ),
        // Any number; the reader also takes `78,5` typed as text.
        FieldType::Number => (DataValidation::new().allow_any_value(), String::new()),
        FieldType::Text => (DataValidation::new().allow_any_value(), String::new()),
    };
    // A warning, not a stop: the reader also accepts `si`, `1`, `78,5`…
    let mut v = v
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_input_title(truncate(&f.name, 32))?
        .set_input_message(truncate(f.label(), 255))?;
    if !error.is_empty() {
        v = v
            .set_error_title(truncate(&f.name, 32))?
            .set_error_message(truncate(&error, 255))?;
    }
    Ok(Some(v))
}

/// `B2`: the first data cell of a field's column (relative, so Excel applies
/// the check row by row).
fn cell_name(all: &[TemplateField], f: &TemplateField) -> Result<String, TemplateError> {
    let i = all
        .iter()
        .position(|g| g.name == f.name)
        .ok_or_else(|| TemplateError(format!("campo `{}` no encontrado", f.name)))?;
    Ok(format!("{}2", column_letters(i)))
}

/// Excel column letters: 0 → A, 25 → Z, 26 → AA.
fn column_letters(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// At most `max` UTF-16 units (Excel's limits on messages), cut at a
/// character boundary with an ellipsis.
fn truncate(s: &str, max: usize) -> String {
    if s.encode_utf16().count() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut units = 0;
    for c in s.chars() {
        if units + c.len_utf16() > max.saturating_sub(1) {
            break;
        }
        units += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    out
}

fn write_fields_sheet(
    ws: &mut Worksheet,
    fields: &[TemplateField],
    program: &Program,
    header: &Format,
) -> Result<(), TemplateError> {
    let wrap = Format::new().set_text_wrap();
    let titles = [
        ("campo", 26.0),
        ("tipo", 12.0),
        ("pregunta", 60.0),
        ("valores permitidos", 40.0),
        ("sección", 12.0),
        ("otros nombres de columna aceptados", 30.0),
    ];
    for (c, (t, w)) in titles.iter().enumerate() {
        let c = column(c)?;
        ws.write_string_with_format(0, c, *t, header)?;
        ws.set_column_width(c, *w)?;
    }
    for (i, f) in fields.iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(|_| TemplateError("demasiados campos".to_string()))?;
        ws.write_string(r, 0, &f.name)?;
        ws.write_string(r, 1, f.type_word())?;
        ws.write_string_with_format(r, 2, f.question.as_deref().unwrap_or(""), &wrap)?;
        ws.write_string_with_format(r, 3, f.allowed(), &wrap)?;
        ws.write_string(r, 4, f.section.as_deref().unwrap_or(""))?;
        ws.write_string(r, 5, f.aliases.join(", "))?;
    }
    ws.set_freeze_panes(1, 1)?;
    // Where the fields come from, under the table.
    let below = u32::try_from(fields.len() + 2)
        .map_err(|_| TemplateError("demasiados campos".to_string()))?;
    let mut source = format!("Campos de las reglas «{}»", program.title);
    if let Some(v) = &program.version {
        source.push_str(&format!(", versión {v}"));
    }
    source
        .push_str(". Una celda vacía es «sin dato»: no escriba 0 ni «no» si no sabe la respuesta.");
    ws.write_string(below, 0, source)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_like_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn truncates_to_excel_limits() {
        assert_eq!(truncate("abc", 32), "abc");
        let t = truncate(&"á".repeat(300), 255);
        assert_eq!(t.encode_utf16().count(), 255);
    }
}
