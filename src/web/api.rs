//! The table of addresses: each request is checked by the guard, then
//! handed to its handler.

use tiny_http::{Header, Method, Request, Response};

use super::guard::{self, Asked, KEY_HEADER};
use super::http::{read_body, too_large, Handled, Reply, WebError};
use super::state::State;
use super::{assets, compare, download, explain, files, results, rules};

/// The largest JSON body a page sends: two versions of a rule file (each at
/// most 4 MB, see `load`) for a comparison.
const MAX_JSON_BYTES: u64 = 9 * 1024 * 1024;

/// Answers one request (on its own thread).
pub fn handle(state: &State, mut request: Request) {
    // A fault of the program (a bug in a library) still gets a Spanish
    // answer in the page, not a closed connection.
    let answered =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| answer(state, &mut request)));
    let reply = answered
        .unwrap_or_else(|_| {
            Err(WebError::internal(
                "error interno de reglas: el pedido no se pudo completar",
            )
            .help("Vuelva a intentarlo; si se repite, avise a quien mantiene el programa con lo que hizo."))
        })
        .unwrap_or_else(Reply::from);
    let _ = request.respond(response(reply));
}

fn header<'r>(request: &'r Request, name: &'static str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

/// Long only because it is the table of addresses.
fn answer(state: &State, request: &mut Request) -> Handled {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let asked = Asked {
        host: header(request, "Host"),
        origin: header(request, "Origin"),
        header_key: header(request, KEY_HEADER),
        query,
    };
    guard::check(&asked, &state.host, &state.key)?;
    let method = request.method().clone();
    match (method, path) {
        (Method::Get, "/") => Ok(assets::index(&state.key)),
        (Method::Get, "/app.js") => Ok(assets::script()),
        (Method::Get, "/estilo.css") => Ok(assets::style()),
        (Method::Get, "/api/archivos") => Ok(Reply::json(&files::list(&state.root))),
        (Method::Post, "/api/subir") => {
            let name = super::http::query_value(query, "nombre").unwrap_or_default();
            if request
                .body_length()
                .is_some_and(|n| n as u64 > state.max_upload)
            {
                return Err(too_large(state.max_upload));
            }
            let body = read_body(request.as_reader(), state.max_upload)?;
            Ok(Reply::json(&state.uploads.add(&name, &body)?))
        }
        (Method::Get, "/api/filas") => results::page(state, query),
        (Method::Get, "/api/reglas") => rules::open(state, query),
        (Method::Get, "/api/descargar") => download::download(state, query),
        (Method::Post, api) => {
            let body = read_body(request.as_reader(), MAX_JSON_BYTES)?;
            match api {
                "/api/evaluar" => results::evaluate(state, &body),
                "/api/explicar" => explain::explain(state, &body),
                "/api/verificar" => rules::check(state, &body),
                "/api/comparar" => compare::compare(state, &body),
                "/api/guardar" => rules::save(state, &body),
                _ => Err(not_found()),
            }
        }
        _ => Err(not_found()),
    }
}

fn not_found() -> WebError {
    WebError::new(404, "esa dirección no existe en este servidor")
}

fn response(reply: Reply) -> Response<std::io::Cursor<Vec<u8>>> {
    // Always with Content-Length (never chunked): simpler for every client.
    let mut r = Response::from_data(reply.body)
        .with_status_code(reply.status)
        .with_chunked_threshold(usize::MAX);
    let mut headers = vec![
        ("Content-Type", reply.content_type.to_string()),
        // The address holds the key: never send it to another site.
        ("Referrer-Policy", "no-referrer".to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
        ("X-Frame-Options", "DENY".to_string()),
        ("Cache-Control", "no-store".to_string()),
        (
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
                .to_string(),
        ),
    ];
    if let Some(name) = reply.download_name {
        headers.push((
            "Content-Disposition",
            format!(
                "attachment; filename=\"{}\"",
                name.replace(['"', '\\'], "_")
            ),
        ));
    }
    for (k, v) in headers {
        if let Ok(h) = Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            r.add_header(h);
        }
    }
    r
}
