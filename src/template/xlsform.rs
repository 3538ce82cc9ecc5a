//! The XLSForm template for KoboToolbox / ODK: sheets `survey` (one question
//! per field, with its type and checks), `choices` (the answers of sí/no and
//! of each category) and `settings` (title, id, version). Field names become
//! question names, so the data exported from Kobo has the columns the rules
//! expect.

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::{fields, TemplateError, TemplateField};
use crate::data::FieldType;
use crate::program::Program;

/// Builds the XLSForm workbook in memory. `form_id` identifies the form on
/// the server (see [`super::form_id`]).
pub fn xlsform(program: &Program, form_id: &str) -> Result<Vec<u8>, TemplateError> {
    let fields = fields(program);
    let bold = Format::new().set_bold();
    // The list of sí/no answers, under a name no category field uses.
    let mut yes_no = "sino".to_string();
    while fields.iter().any(|f| f.name == yes_no) {
        yes_no.push('_');
    }
    let mut wb = Workbook::new();
    survey_sheet(wb.add_worksheet(), program, &fields, &yes_no, &bold)?;
    choices_sheet(wb.add_worksheet(), &fields, &yes_no, &bold)?;
    settings_sheet(wb.add_worksheet(), program, form_id, &bold)?;
    Ok(wb.save_to_buffer()?)
}

/// One question per field; the code is required.
fn survey_sheet(
    survey: &mut Worksheet,
    program: &Program,
    fields: &[TemplateField],
    yes_no: &str,
    bold: &Format,
) -> Result<(), TemplateError> {
    let code = program
        .schema
        .fields
        .get(program.code_field)
        .map(|f| f.name.clone());
    survey.set_name("survey")?;
    let cols = [
        "type",
        "name",
        "label",
        "required",
        "constraint",
        "constraint_message",
    ];
    header(survey, &cols, bold)?;
    for (i, f) in fields.iter().enumerate() {
        let r = row(i + 1)?;
        let q = question(f, fields, yes_no);
        survey.write_string(r, 0, q.ty)?;
        survey.write_string(r, 1, &f.name)?;
        survey.write_string(r, 2, f.label())?;
        if code.as_deref() == Some(f.name.as_str()) {
            survey.write_string(r, 3, "yes")?;
        }
        if let Some((constraint, message)) = q.constraint {
            survey.write_string(r, 4, constraint)?;
            survey.write_string(r, 5, message)?;
        }
    }
    survey.set_column_width(0, 28)?;
    survey.set_column_width(1, 28)?;
    survey.set_column_width(2, 60)?;
    survey.set_column_width(4, 34)?;
    survey.set_column_width(5, 50)?;
    Ok(())
}

/// The answers of sí/no (when a field uses it) and of each category field.
fn choices_sheet(
    choices: &mut Worksheet,
    fields: &[TemplateField],
    yes_no: &str,
    bold: &Format,
) -> Result<(), TemplateError> {
    choices.set_name("choices")?;
    header(choices, &["list_name", "name", "label"], bold)?;
    let mut r = 1usize;
    let mut choice =
        |list: &str, name: &str, label: &str, ws: &mut Worksheet| -> Result<(), TemplateError> {
            let rr = row(r)?;
            ws.write_string(rr, 0, list)?;
            ws.write_string(rr, 1, name)?;
            ws.write_string(rr, 2, label)?;
            r += 1;
            Ok(())
        };
    if fields.iter().any(|f| f.ty == FieldType::Bool) {
        choice(yes_no, "si", "Sí", choices)?;
        choice(yes_no, "no", "No", choices)?;
    }
    for f in fields {
        if let FieldType::Category(values) = &f.ty {
            for (i, v) in values.iter().enumerate() {
                // The label the rules give (with its accents), else one
                // made from the name.
                let label = match f.labels.get(i) {
                    Some(l) if l != v => l.clone(),
                    _ => label_of(v),
                };
                choice(&f.name, v, &label, choices)?;
            }
        }
    }
    choices.set_column_width(0, 28)?;
    choices.set_column_width(1, 28)?;
    choices.set_column_width(2, 40)?;
    Ok(())
}

fn settings_sheet(
    settings: &mut Worksheet,
    program: &Program,
    form_id: &str,
    bold: &Format,
) -> Result<(), TemplateError> {
    settings.set_name("settings")?;
    header(settings, &["form_title", "form_id", "version"], bold)?;
    settings.write_string(1, 0, &program.title)?;
    settings.write_string(1, 1, form_id)?;
    if let Some(v) = &program.version {
        settings.write_string(1, 2, v)?;
    }
    settings.set_column_width(0, 50)?;
    settings.set_column_width(1, 20)?;
    Ok(())
}

struct Question {
    ty: String,
    constraint: Option<(String, String)>,
}

/// The XLSForm type of a field and its check.
fn question(f: &TemplateField, all: &[TemplateField], yes_no: &str) -> Question {
    // The other field as the interviewer saw it: its question.
    let at_most = f.at_most.as_ref().map(|o| {
        let label = all
            .iter()
            .find(|g| &g.name == o)
            .map_or(o.as_str(), |g| g.label());
        (format!(" and . <= ${{{o}}}"), label.to_string())
    });
    match &f.ty {
        FieldType::Bool => Question {
            ty: format!("select_one {yes_no}"),
            constraint: None,
        },
        FieldType::Category(_) => Question {
            ty: format!("select_one {}", f.name),
            constraint: None,
        },
        FieldType::Integer => Question {
            ty: "integer".to_string(),
            constraint: Some(match at_most {
                Some((extra, other)) => (
                    format!(". >= 0{extra}"),
                    format!("Debe ser 0 o más, y no mayor que la respuesta a «{other}»."),
                ),
                None => (". >= 0".to_string(), "Debe ser 0 o más.".to_string()),
            }),
        },
        FieldType::Number => Question {
            ty: "decimal".to_string(),
            constraint: at_most.map(|(extra, other)| {
                (
                    extra.trim_start_matches(" and ").to_string(),
                    format!("No puede ser mayor que la respuesta a «{other}»."),
                )
            }),
        },
        FieldType::Percent => Question {
            ty: "decimal".to_string(),
            constraint: Some((
                format!(
                    ". >= 0 and . <= 100{}",
                    at_most.as_ref().map_or("", |(e, _)| e.as_str())
                ),
                "Debe ser un porcentaje de 0 a 100.".to_string(),
            )),
        },
        FieldType::Text => Question {
            ty: "text".to_string(),
            constraint: None,
        },
    }
}

/// `norte_integrado` → `Norte integrado`: what the interviewer reads.
fn label_of(value: &str) -> String {
    let spaced = value.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn header(ws: &mut Worksheet, cols: &[&str], bold: &Format) -> Result<(), TemplateError> {
    for (c, name) in cols.iter().enumerate() {
        let c = u16::try_from(c).map_err(|_| TemplateError("demasiadas columnas".to_string()))?;
        ws.write_string_with_format(0, c, *name, bold)?;
    }
    Ok(())
}

fn row(i: usize) -> Result<u32, TemplateError> {
    u32::try_from(i).map_err(|_| TemplateError("demasiadas filas".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_like_words() {
        assert_eq!(label_of("norte_integrado"), "Norte integrado");
        assert_eq!(label_of("otra"), "Otra");
    }
}
