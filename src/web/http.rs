//! Replies, errors and request parts (query, JSON body) for the handlers.

use std::io::Read;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// What a handler answers.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// `Content-Disposition` of a download: the file name offered.
    pub download_name: Option<String>,
}

impl Reply {
    pub fn json(value: &impl Serialize) -> Reply {
        match serde_json::to_vec(value) {
            Ok(body) => Reply {
                status: 200,
                content_type: "application/json; charset=utf-8",
                body,
                download_name: None,
            },
            Err(e) => Reply::from(WebError::internal(format!(
                "no se pudo preparar la respuesta: {e}"
            ))),
        }
    }

    pub fn bytes(content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            content_type,
            body,
            download_name: None,
        }
    }

    pub fn download(content_type: &'static str, body: Vec<u8>, name: String) -> Reply {
        Reply {
            download_name: Some(name),
            ..Reply::bytes(content_type, body)
        }
    }
}

/// An error shown in the page: a Spanish sentence and, when there is one,
/// how to fix it. Never a Rust error's debug text.
#[derive(Debug, Clone, Serialize)]
pub struct WebError {
    #[serde(skip)]
    pub status: u16,
    pub error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ayuda: Option<String>,
}

impl WebError {
    pub fn new(status: u16, message: impl Into<String>) -> WebError {
        WebError {
            status,
            error: message.into(),
            ayuda: None,
        }
    }

    pub fn bad(message: impl Into<String>) -> WebError {
        WebError::new(400, message)
    }

    pub fn internal(message: impl Into<String>) -> WebError {
        WebError::new(500, message)
    }

    pub fn help(mut self, text: impl Into<String>) -> WebError {
        self.ayuda = Some(text.into());
        self
    }
}

impl From<crate::diagnostic::Failure> for WebError {
    fn from(f: crate::diagnostic::Failure) -> WebError {
        WebError {
            status: 400,
            error: f.message,
            ayuda: f.help,
        }
    }
}

impl From<WebError> for Reply {
    fn from(e: WebError) -> Reply {
        let body = serde_json::to_vec(&e).unwrap_or_else(|_| b"{}".to_vec());
        Reply {
            status: e.status,
            content_type: "application/json; charset=utf-8",
            body,
            download_name: None,
        }
    }
}

pub type Handled = Result<Reply, WebError>;

/// The value of `name` in a query string (`a=1&b=x%20y`), decoded.
pub fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k) == name).then(|| percent_decode(v))
    })
}

/// `%C3%B1` → `ñ`, `+` → space; malformed escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(b) = hex {
                    out.push(b);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads at most `limit` bytes of a body; more is refused, not cut.
pub fn read_body(reader: &mut dyn Read, limit: u64) -> Result<Vec<u8>, WebError> {
    let mut body = Vec::new();
    reader.take(limit + 1).read_to_end(&mut body).map_err(|e| {
        WebError::bad(format!(
            "no se pudo recibir el pedido: {}",
            crate::text::system_error(&e)
        ))
    })?;
    if body.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(body)
}

/// The refusal of a body over the limit.
pub fn too_large(limit: u64) -> WebError {
    WebError::new(
        413,
        format!(
            "el archivo es demasiado grande (el máximo es {} MB)",
            limit / (1024 * 1024)
        ),
    )
    .help("Divida la planilla en partes más chicas o use `reglas evaluar` en la terminal.")
}

/// A JSON body as `T`; a malformed one is a Spanish error.
pub fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebError> {
    serde_json::from_slice(body)
        .map_err(|_| WebError::bad("el pedido de la página no es válido: recargue la página"))
}
