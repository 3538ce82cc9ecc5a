//! Banco de `reglas web` (`cargo bench --bench web`): cuánto tarda la página
//! en tener la tabla de N organizaciones, es decir, `POST /api/evaluar` (leer
//! la planilla, evaluar todas las filas, guardar la tabla) más `GET
//! /api/filas` (la primera página de 50, ordenada por nivel), por HTTP, como
//! la pide el navegador; y cuánto tarda después cada página (ordenar y
//! filtrar todas las filas en el servidor).
//!
//! Los datos son las 20 organizaciones de `rules/ejemplos/organizaciones.csv`
//! repetidas con códigos distintos. No hay aserciones de tiempo: solo se
//! informa (mediana de 5 corridas). Tamaños: argumentos (`cargo bench --bench
//! web -- 5000 200000`); por omisión 5000. Ver `docs/rendimiento.md`.

// Un banco: si algo falla al prepararlo, lo correcto es detenerse con el mensaje.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use reglas::web::{Options, Server};

/// El mismo asignador de memoria que el programa (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 5;

/// `n` organizations: the example rows again and again, each with its own code.
fn write_data(path: &Path, n: usize) {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/rules/ejemplos/organizaciones.csv"
    ))
    .unwrap();
    let mut lines = example.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    let mut out = String::with_capacity(n * 300);
    out.push_str(header);
    out.push('\n');
    for i in 0..n {
        let row = rows[i % rows.len()];
        let (code, rest) = row.split_once(',').unwrap();
        out.push_str(&format!("{code}-{i},{rest}\n"));
    }
    std::fs::write(path, out).unwrap();
}

/// One request on its own connection; the answer's body.
fn request(addr: SocketAddr, key: &str, method: &str, path: &str, body: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nX-Reglas-Clave: {key}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "{}",
        &answer[..answer.len().min(300)]
    );
    answer.split_once("\r\n\r\n").unwrap().1.to_string()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() { vec![5000] } else { sizes };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/rules/cepac.reglas"),
        dir.path().join("cepac.reglas"),
    )
    .unwrap();
    let server = Server::start(Options::new(dir.path())).unwrap();
    let addr = server.address();
    let url = server.url();
    let key = url.split("clave=").nth(1).unwrap().to_string();
    std::thread::spawn(move || server.run());
    println!("reglas web: tabla de N organizaciones (mediana de {RUNS} corridas, reloj)");
    for n in sizes {
        let name = format!("datos-{n}.csv");
        write_data(&dir.path().join(&name), n);
        let body = format!(r#"{{"reglas":"cepac.reglas","datos":"{name}"}}"#);
        let mut first = Vec::new();
        let mut pages = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            let ev = request(addr, &key, "POST", "/api/evaluar", &body);
            let id: serde_json::Value = serde_json::from_str(&ev).unwrap();
            let id = id["id"].as_u64().unwrap();
            let page = request(
                addr,
                &key,
                "GET",
                &format!("/api/filas?id={id}&cuantas=50&orden=nivel"),
                "",
            );
            first.push(start.elapsed());
            assert!(page.contains(&format!("\"total\":{n}")));
            let start = Instant::now();
            request(
                addr,
                &key,
                "GET",
                &format!("/api/filas?id={id}&desde=100&cuantas=50&orden=nombre&region=Chaco"),
                "",
            );
            pages.push(start.elapsed());
        }
        println!(
            "{n:>8} organizaciones: evaluar y primera página {:>8.1} ms; otra página (ordenar por nombre y filtrar) {:>6.1} ms",
            median(first).as_secs_f64() * 1000.0,
            median(pages).as_secs_f64() * 1000.0,
        );
    }
}
