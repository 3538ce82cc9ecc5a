//! Data readers: whatever the cells hold, every input row comes out exactly
//! once, in order, with the row number a spreadsheet would show.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "fixtures/datos/esquema.rs"]
mod esquema;

use esquema::mini;
use proptest::prelude::*;
use reglas::data::{open, ReadOptions};

/// Cell contents, good and bad, including separators, quotes and line breaks.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("si".to_string()),
        Just("No".to_string()),
        Just("quizás".to_string()),
        Just("amboro".to_string()),
        Just("actualizado".to_string()),
        Just("12".to_string()),
        Just("-3".to_string()),
        Just("1.200".to_string()),
        Just("78,5".to_string()),
        Just("150%".to_string()),
        Just("a;b,c\td".to_string()),
        Just("dice \"hola\"".to_string()),
        Just("dos\nlíneas".to_string()),
        Just("   ".to_string()),
        "[a-zñáé0-9 ]{0,8}",
    ]
}

fn code() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0u8..20).prop_map(|n| format!("C{n}")),
        1 => Just(String::new()),
    ]
}

fn row() -> impl Strategy<Value = (String, Vec<String>)> {
    (code(), proptest::collection::vec(cell(), 9))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_row_comes_out_once_in_order(
        rows in proptest::collection::vec(row(), 0..40),
        separator in prop_oneof![Just(b','), Just(b';'), Just(b'\t')],
        crlf in any::<bool>(),
    ) {
        let schema = mini();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("datos.csv");
        let mut writer = csv::WriterBuilder::new()
            .delimiter(separator)
            .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
            .from_path(&path)
            .unwrap();
        let header: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
        writer.write_record(&header).unwrap();
        for (i, (code, cells)) in rows.iter().enumerate() {
            // The name identifies the input row and keeps it from being blank.
            let name = format!("fila {i}");
            let mut record = vec![code.as_str(), name.as_str()];
            record.extend(cells.iter().map(String::as_str));
            writer.write_record(&record).unwrap();
        }
        writer.flush().unwrap();
        drop(writer);

        let source = open(&path, &schema, &ReadOptions::default()).unwrap();
        prop_assert_eq!(source.detected().separator, Some(char::from(separator)));
        let out: Vec<_> = source.collect();
        prop_assert_eq!(out.len(), rows.len());
        for (i, r) in out.iter().enumerate() {
            let name = format!("fila {i}");
            prop_assert_eq!(r.nombre.as_deref(), Some(name.as_str()));
            prop_assert_eq!(r.line, i + 2);
            prop_assert_eq!(r.values.len(), schema.fields.len());
            let code = &rows[i].0;
            prop_assert_eq!(r.codigo.as_deref(), (!code.is_empty()).then_some(code.as_str()));
            // A blank code or a repeated one is always reported.
            let repeated = rows[..i].iter().any(|(c, _)| c == code);
            if code.is_empty() || repeated {
                prop_assert!(!r.errors.is_empty());
            }
        }
    }
}

fn any_code() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u16..40).prop_map(|n| format!("OECA-{n}")),
        (0u16..40).prop_map(|n| format!("oeca-{n:03}")),
        (0u16..40).prop_map(|n| n.to_string()),
        (0u16..40).prop_map(|n| format!("Ñandú {n} sur")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Repeated codes, whatever their shape (numbered, with leading zeros,
    /// free text, in other case), are reported exactly: every repeat and
    /// no other row, each naming the row where the code first appeared.
    #[test]
    fn repeated_codes_are_exact(codes in proptest::collection::vec(any_code(), 1..80)) {
        let schema = mini();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("datos.csv");
        let mut writer = csv::Writer::from_path(&path).unwrap();
        let header: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
        writer.write_record(&header).unwrap();
        for code in &codes {
            let mut record = vec![code.clone(), "nombre".to_string()];
            record.resize(header.len(), String::new());
            writer.write_record(&record).unwrap();
        }
        drop(writer);
        let rows: Vec<_> = open(&path, &schema, &ReadOptions::default()).unwrap().collect();
        prop_assert_eq!(rows.len(), codes.len());
        for (i, r) in rows.iter().enumerate() {
            let key = codes[i].to_lowercase();
            let first = codes[..i].iter().position(|c| c.to_lowercase() == key);
            let repeat = r.errors.iter().find(|e| e.mensaje.contains("se repite"));
            match first {
                Some(f) => {
                    let repeat = repeat.map(|e| e.mensaje.as_str()).unwrap_or_default();
                    let named = format!("ya apareció en la fila {}", f + 2);
                    prop_assert!(repeat.contains(&named), "fila {}: {}", i + 2, repeat);
                }
                None => prop_assert!(repeat.is_none(), "fila {}: {:?}", i + 2, repeat),
            }
        }
    }
}
