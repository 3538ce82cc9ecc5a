//! The page, its script and its styles, compiled into the program: nothing
//! is fetched from the internet and nothing needs installing.

use super::http::Reply;

const INDEX: &str = include_str!("static/index.html");
const SCRIPT: &str = include_str!("static/app.js");
const STYLE: &str = include_str!("static/estilo.css");

/// The page, with the key in the addresses of its script and styles (they
/// are refused without it, like every other request).
pub fn index(key: &str) -> Reply {
    let page = INDEX.replace("__CLAVE__", key);
    Reply::bytes("text/html; charset=utf-8", page.into_bytes())
}

pub fn script() -> Reply {
    Reply::bytes("text/javascript; charset=utf-8", SCRIPT.as_bytes().to_vec())
}

pub fn style() -> Reply {
    Reply::bytes("text/css; charset=utf-8", STYLE.as_bytes().to_vec())
}
