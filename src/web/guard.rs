//! Who may talk to the server: only the page it opened. A request must name
//! the printed address in `Host` (so a web site that points its own name at
//! 127.0.0.1 is refused) and carry the random key of the printed address
//! (so another program or user of the machine, or a page on another port,
//! is refused), as notebook servers do.

use crate::codes::Code;
use crate::diagnostic::Failure;

use super::http::{query_value, WebError};

/// The header the page's script sends the key in. A custom header also
/// keeps other sites' pages from sending the request at all without asking
/// first (a CORS preflight, which this server never grants).
pub const KEY_HEADER: &str = "X-Reglas-Clave";

/// The query parameter of the key, for the address opened and downloads.
pub const KEY_PARAM: &str = "clave";

/// 128 random bits from the system, as 32 hex digits.
pub fn random_key() -> Result<String, Failure> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        Failure::new(
            Code::Output,
            format!("no se pudo generar la clave del servidor local: {e}"),
        )
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// What the guard needs of a request.
pub struct Asked<'a> {
    pub host: Option<&'a str>,
    pub origin: Option<&'a str>,
    pub header_key: Option<&'a str>,
    pub query: &'a str,
}

/// Ok when the request comes from the page this server opened.
pub fn check(asked: &Asked, host: &str, key: &str) -> Result<(), WebError> {
    if asked.host != Some(host) {
        return Err(WebError::new(
            403,
            format!("este servidor solo responde en la dirección http://{host}/"),
        )
        .help("Abra la dirección exacta que mostró `reglas web` en la consola."));
    }
    if let Some(origin) = asked.origin {
        if origin != format!("http://{host}") {
            return Err(WebError::new(
                403,
                "el pedido viene de otra página: este servidor solo responde a la suya",
            ));
        }
    }
    let given = asked
        .header_key
        .map(str::to_string)
        .or_else(|| query_value(asked.query, KEY_PARAM));
    if !given.is_some_and(|g| same_key(&g, key)) {
        return Err(WebError::new(
            403,
            "falta la clave de acceso o no es la de este servidor",
        )
        .help("Abra la dirección completa que mostró `reglas web` en la consola (termina en `?clave=…`)."));
    }
    Ok(())
}

/// Compares without stopping at the first different character, so the time
/// taken says nothing about how much of a guess was right.
fn same_key(given: &str, key: &str) -> bool {
    given.len() == key.len()
        && given
            .bytes()
            .zip(key.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}
