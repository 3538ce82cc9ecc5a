//! Text of data cells that is not Spanish wording: Excel serial dates.
//! Folding, name keys, similarity and number formatting live in
//! [`crate::text`].

use crate::text::{civil_from_days, plain_number};

/// `2024-03-15` (or `2024-03-15 08:30:00`) from an Excel serial date
/// (days since 1899-12-30, fraction = time of day).
pub(crate) fn excel_serial_to_text(serial: f64) -> String {
    if !serial.is_finite() {
        return plain_number(serial);
    }
    let days = serial.floor() as i64;
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    // Days from 1970-01-01 to 1899-12-30 is -25569.
    let (y, m, d) = civil_from_days(days - 25_569);
    if secs == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        let (h, mi, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
        format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(excel_serial_to_text(45366.0), "2024-03-15");
        assert_eq!(excel_serial_to_text(45366.5), "2024-03-15 12:00:00");
    }
}
