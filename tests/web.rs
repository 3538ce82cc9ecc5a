//! `reglas web`: every address of the server, as the page uses it, and the
//! refusals (another Host, no key, a path outside the folder, a file too
//! large, a save over a file that changed). The server runs in this process
//! on a copy of `rules/`; requests are written by hand on a TCP socket so
//! that the headers are exactly the ones under test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::cli_levels;
use reglas::web::{Options, Server};
use serde_json::{json, Value};

struct App {
    addr: SocketAddr,
    key: String,
    dir: tempfile::TempDir,
    uploads: PathBuf,
}

/// The server runs until the test process ends (its drop never comes):
/// remove its uploads folder here.
impl Drop for App {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.uploads);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn start_with(max_upload: u64) -> App {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("rules"), &dir.path().join("rules"));
    let mut options = Options::new(&dir.path().join("rules"));
    options.max_upload = max_upload;
    let server = Server::start(options).unwrap();
    let addr = server.address();
    let uploads = server.uploads_dir().to_path_buf();
    let url = server.url();
    let key = url.split("clave=").nth(1).unwrap().to_string();
    assert_eq!(url, format!("http://{addr}/?clave={key}"));
    assert!(addr.ip().is_loopback());
    std::thread::spawn(move || server.run());
    App {
        addr,
        key,
        dir,
        uploads,
    }
}

fn start() -> App {
    start_with(reglas::web::MAX_UPLOAD_BYTES)
}

struct Answer {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request with exactly these headers (`host`/`key` None: left out).
fn raw(
    app: &App,
    method: &str,
    path: &str,
    host: Option<&str>,
    key: Option<&str>,
    body: &[u8],
) -> Answer {
    let mut s = TcpStream::connect(app.addr).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(h) = host {
        head.push_str(&format!("Host: {h}\r\n"));
    }
    if let Some(k) = key {
        head.push_str(&format!("X-Reglas-Clave: {k}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may refuse before reading a large body: ignore a reset.
    let _ = s.write_all(body);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP answer");
    let headers = String::from_utf8_lossy(&out[..split]).into_owned();
    let status = headers[9..12].parse().unwrap();
    Answer {
        status,
        headers,
        body: out[split + 4..].to_vec(),
    }
}

fn get(app: &App, path: &str) -> Answer {
    raw(
        app,
        "GET",
        path,
        Some(&app.addr.to_string()),
        Some(&app.key),
        b"",
    )
}

fn post(app: &App, path: &str, body: &Value) -> Answer {
    let body = serde_json::to_vec(body).unwrap();
    raw(
        app,
        "POST",
        path,
        Some(&app.addr.to_string()),
        Some(&app.key),
        &body,
    )
}

fn rules_dir(app: &App) -> PathBuf {
    app.dir.path().join("rules")
}

const EXAMPLE: &str = "ejemplos/organizaciones.csv";

/// (code, level) of each row of a page of the table.
fn levels_of(page: &Value) -> Vec<(String, Option<String>)> {
    page["filas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let code = r["codigo"].as_str().unwrap().to_string();
            (code, r["nivel"].as_str().map(str::to_string))
        })
        .collect()
}

fn evaluate(app: &App) -> Value {
    let a = post(
        app,
        "/api/evaluar",
        &json!({"reglas": "cepac.reglas", "datos": EXAMPLE}),
    );
    assert_eq!(a.status, 200, "{}", a.text());
    a.json()
}

fn all_rows(app: &App, id: u64, extra: &str) -> Value {
    let a = get(app, &format!("/api/filas?id={id}&cuantas=500{extra}"));
    assert_eq!(a.status, 200, "{}", a.text());
    a.json()
}

#[test]
fn the_page_script_and_styles_are_served_with_the_key() {
    let app = start();
    let page = get(&app, &format!("/?clave={}", app.key));
    assert_eq!(page.status, 200);
    assert!(page.headers.contains("text/html"));
    assert!(page.text().contains(&format!("/app.js?clave={}", app.key)));
    assert!(page.text().contains("lang=\"es\""));
    assert!(page.headers.contains("Referrer-Policy: no-referrer"));
    for asset in ["/app.js", "/estilo.css"] {
        let a = raw(
            &app,
            "GET",
            &format!("{asset}?clave={}", app.key),
            Some(&app.addr.to_string()),
            None,
            b"",
        );
        assert_eq!(a.status, 200, "{asset}");
        assert!(!a.body.is_empty());
    }
}

#[test]
fn refuses_another_host_a_missing_or_wrong_key() {
    let app = start();
    let host = app.addr.to_string();
    let port = app.addr.port();
    for bad_host in [
        format!("localhost:{port}"),
        format!("evil.example:{port}"),
        "127.0.0.1".to_string(),
    ] {
        let a = raw(
            &app,
            "GET",
            "/api/archivos",
            Some(&bad_host),
            Some(&app.key),
            b"",
        );
        assert_eq!(a.status, 403, "{bad_host}");
        assert!(a.json()["error"]
            .as_str()
            .unwrap()
            .contains("solo responde en la dirección"));
    }
    let a = raw(&app, "GET", "/api/archivos", None, Some(&app.key), b"");
    assert_eq!(a.status, 403);
    let a = raw(&app, "GET", "/api/archivos", Some(&host), None, b"");
    assert_eq!(a.status, 403);
    assert!(a.json()["error"].as_str().unwrap().contains("clave"));
    let wrong = "0".repeat(app.key.len());
    let a = raw(&app, "GET", "/api/archivos", Some(&host), Some(&wrong), b"");
    assert_eq!(a.status, 403);
    let a = raw(&app, "GET", "/", Some(&host), None, b"");
    assert_eq!(a.status, 403, "the page itself needs the key");
    // The key in the query works as well as in the header (downloads).
    let a = raw(
        &app,
        "GET",
        &format!("/api/archivos?clave={}", app.key),
        Some(&host),
        None,
        b"",
    );
    assert_eq!(a.status, 200);
}

#[test]
fn lists_the_folders_rule_and_data_files() {
    let app = start();
    let a = get(&app, "/api/archivos").json();
    assert_eq!(a["preseleccion"], "cepac.reglas");
    let reglas: Vec<&str> = a["reglas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(reglas.contains(&"cepac.reglas") && reglas.contains(&"regiones/chaco.reglas"));
    let datos = a["datos"].as_array().unwrap();
    assert!(datos.iter().any(|d| d == EXAMPLE));
}

#[test]
fn evaluates_the_example_with_the_levels_of_reglas_evaluar() {
    let app = start();
    let ev = evaluate(&app);
    assert_eq!(ev["totales"]["leidas"], 20);
    let id = ev["id"].as_u64().unwrap();
    let rows = all_rows(&app, id, "");
    assert_eq!(rows["total"], 20);
    let web = levels_of(&rows);
    let dir = rules_dir(&app);
    assert_eq!(
        web,
        cli_levels(&dir.join("cepac.reglas"), &dir.join(EXAMPLE), "nivel")
    );
    // Totals per level add up to the organizations evaluated.
    let per_level: u64 = ev["niveles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["total"].as_u64().unwrap())
        .sum();
    assert_eq!(per_level + ev["totales"]["sin_nivel"].as_u64().unwrap(), 20);
    let first = &rows["filas"][0];
    for key in [
        "nombre",
        "region",
        "rubro",
        "nivel_titulo",
        "color",
        "provisional",
        "no_cumple",
    ] {
        assert!(first.get(key).is_some(), "{key}");
    }
}

#[test]
fn the_table_pages_sorts_and_filters() {
    let app = start();
    let id = evaluate(&app)["id"].as_u64().unwrap();
    let page = get(&app, &format!("/api/filas?id={id}&desde=5&cuantas=5")).json();
    assert_eq!(page["total"], 20);
    assert_eq!(page["filas"].as_array().unwrap().len(), 5);
    assert_eq!(page["desde"], 5);
    // Regions by the label people read (`Chaco`), as the report shows them.
    let chaco = all_rows(&app, id, "&region=Chaco");
    assert!(chaco["total"].as_u64().unwrap() > 0);
    assert!(chaco["filas"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["region"] == "Chaco"));
    let by_level = all_rows(&app, id, "&orden=nivel");
    let first = &by_level["filas"][0];
    assert_eq!(first["nivel"], "consolidada");
    let searched = all_rows(&app, id, "&buscar=amb-001");
    assert_eq!(searched["total"], 1);
    let none = all_rows(&app, id, "&nivel=sin_nivel");
    assert!(none["filas"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["nivel"].is_null()));
    let gone = get(&app, "/api/filas?id=999");
    assert_eq!(gone.status, 404);
}

#[test]
fn explains_an_organization_as_reglas_explicar_does() {
    let app = start();
    let a = post(
        &app,
        "/api/explicar",
        &json!({"reglas": "cepac.reglas", "datos": EXAMPLE, "fila": 2}),
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let e = a.json();
    assert_eq!(e["resultado"]["codigo"], "AMB-001");
    // Verdict first, in the library's words (render::brief).
    let verdict = e["resumen"]["veredicto"].as_str().unwrap();
    assert!(verdict.starts_with("Nivel «"), "{verdict}");
    let dir = rules_dir(&app);
    let cli = Command::new(env!("CARGO_BIN_EXE_reglas"))
        .arg("explicar")
        .arg(dir.join("cepac.reglas"))
        .arg(dir.join(EXAMPLE))
        .arg("AMB-001")
        .args(["--detalle", "completo"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        e["texto"].as_str().unwrap(),
        String::from_utf8(cli.stdout).unwrap()
    );
    // Each criterion carries its data, rule text, place and section.
    let c = &e["resultado"]["explicacion"]["criterios"][0];
    for key in ["datos", "condicion", "lugar", "seccion", "resultado"] {
        assert!(c.get(key).is_some(), "{key}");
    }
    let lugar = c["lugar"].as_str().unwrap();
    let fuente = e["fuente"].as_array().unwrap();
    let line = fuente.iter().find(|f| f["lugar"] == lugar).unwrap();
    assert!(line["texto"].as_str().unwrap().starts_with("criterio "));
}

#[test]
fn refuses_paths_outside_the_folder() {
    let app = start();
    let outside = app.dir.path().join("fuera.reglas");
    std::fs::copy("rules/cepac.reglas", &outside).unwrap();
    let abs = outside.display().to_string();
    for name in [
        "../fuera.reglas",
        abs.as_str(),
        "ejemplos/../../fuera.reglas",
    ] {
        let a = get(&app, &format!("/api/reglas?archivo={name}"));
        assert_eq!(a.status, 403, "{name}: {}", a.text());
        assert!(a.json()["error"]
            .as_str()
            .unwrap()
            .contains("fuera de la carpeta"));
        let a = post(
            &app,
            "/api/evaluar",
            &json!({"reglas": name, "datos": EXAMPLE}),
        );
        assert_eq!(a.status, 403, "{name}");
        let a = post(
            &app,
            "/api/guardar",
            &json!({"archivo": name, "texto": "x", "version": ""}),
        );
        assert_eq!(a.status, 403, "{name}");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, rules_dir(&app).join("enlace.reglas")).unwrap();
        let a = get(&app, "/api/reglas?archivo=enlace.reglas");
        assert_eq!(a.status, 403, "a link out of the folder: {}", a.text());
        let listed = get(&app, "/api/archivos").json();
        assert!(!listed["reglas"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "enlace.reglas"));
    }
    let a = post(
        &app,
        "/api/evaluar",
        &json!({"reglas": "cepac.reglas", "datos": "../../etc/passwd"}),
    );
    assert_eq!(a.status, 403);
}

#[test]
fn uploads_a_data_file_and_refuses_one_too_large() {
    let app = start_with(4096);
    let host = app.addr.to_string();
    let csv = std::fs::read("rules/ejemplos/organizaciones.csv").unwrap();
    assert!(csv.len() > 4096);
    let a = raw(
        &app,
        "POST",
        "/api/subir?nombre=grande.csv",
        Some(&host),
        Some(&app.key),
        &csv,
    );
    assert_eq!(a.status, 413);
    assert!(a.json()["error"]
        .as_str()
        .unwrap()
        .contains("demasiado grande"));
    let small: Vec<u8> = csv
        .split(|b| *b == b'\n')
        .take(3)
        .collect::<Vec<_>>()
        .join(&b'\n');
    let a = raw(
        &app,
        "POST",
        "/api/subir?nombre=..%2F..%2Fdos.csv",
        Some(&host),
        Some(&app.key),
        &small,
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let up = a.json();
    assert_eq!(up["nombre"], "dos.csv", "the name keeps no path");
    let ev = post(
        &app,
        "/api/evaluar",
        &json!({"reglas": "cepac.reglas", "datos": up["datos"]}),
    );
    assert_eq!(ev.status, 200, "{}", ev.text());
    assert_eq!(ev.json()["totales"]["leidas"], 2);
    let a = raw(
        &app,
        "POST",
        "/api/subir?nombre=notas.txt",
        Some(&host),
        Some(&app.key),
        b"hola",
    );
    assert_eq!(a.status, 400);
    assert!(a.json()["error"]
        .as_str()
        .unwrap()
        .contains("no es un archivo de datos"));
}

#[test]
fn rejected_rows_come_with_their_spanish_errors() {
    let app = start();
    let a = post(
        &app,
        "/api/evaluar",
        &json!({"reglas": "cepac.reglas", "datos": "ejemplos/organizaciones-con-errores.csv"}),
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let ev = a.json();
    let n = ev["totales"]["rechazadas"].as_u64().unwrap();
    assert!(n > 0);
    let first = &ev["rechazadas"][0];
    assert!(first["fila"].as_u64().is_some());
    assert!(!first["errores"][0]["mensaje"].as_str().unwrap().is_empty());
}

#[test]
fn checks_the_text_being_edited_line_by_line() {
    let app = start();
    let opened = get(&app, "/api/reglas?archivo=cepac.reglas").json();
    assert_eq!(opened["errores"], 0);
    let text = opened["texto"].as_str().unwrap();
    let params = opened["parametros"].as_array().unwrap();
    let umbral = params
        .iter()
        .find(|p| p["nombre"] == "umbral_mujeres")
        .unwrap();
    assert_eq!(umbral["valor"], "40%");
    let declared = text
        .lines()
        .position(|l| l.starts_with("parámetro umbral_mujeres"))
        .unwrap();
    assert_eq!(umbral["linea"], declared + 1);
    assert!(umbral["comentario"].as_str().unwrap().contains("FFARM"));
    assert_eq!(
        opened["variantes"],
        json!(["regiones/chaco.reglas", "regiones/chiquitania.reglas"])
    );
    // A syntax error on line 245: the diagnostic says so, in Spanish.
    let mut lines: Vec<&str> = text.lines().collect();
    // Its title, on the next line, without the closing quote.
    assert!(lines[declared + 1].starts_with("  título \""));
    lines[declared + 1] = lines[declared + 1].trim_end_matches('"');
    let broken = lines.join("\n");
    let a = post(
        &app,
        "/api/verificar",
        &json!({"archivo": "cepac.reglas", "texto": broken}),
    );
    assert_eq!(a.status, 200);
    let v = a.json();
    assert!(v["errores"].as_u64().unwrap() >= 1);
    let d = &v["diagnosticos"][0];
    assert_eq!(d["linea"], declared + 2, "{d}");
    assert_eq!(d["gravedad"], "error");
    assert!(d["mensaje"].as_str().unwrap().contains("comillas"), "{d}");
    assert!(v["parametros"].is_null());
}

#[test]
fn shows_which_organizations_change_level_with_a_parameter() {
    let app = start();
    let text = std::fs::read_to_string(rules_dir(&app).join("cepac.reglas")).unwrap();
    let changed = text.replace(
        "parámetro umbral_mujeres = 40%",
        "parámetro umbral_mujeres = 50%",
    );
    assert_ne!(changed, text);
    let a = post(
        &app,
        "/api/comparar",
        &json!({"reglas": "cepac.reglas", "antes": text, "despues": changed, "datos": EXAMPLE}),
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let c = a.json();
    assert_eq!(c["parametros_cambiados"][0]["nombre"], "umbral_mujeres");
    let cambios = c["cambios"].as_array().unwrap();
    assert!(!cambios.is_empty());
    assert!(cambios.iter().any(|x| x["criterios"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["id"] == "participacion_mujeres_alta")));
    // The page shows titles: each name the comparison uses has one.
    assert_eq!(
        c["titulos"]["criterios"]["participacion_mujeres_alta"],
        "Alto nivel de participación de mujeres"
    );
    assert_eq!(
        c["titulos"]["parametros"]["umbral_mujeres"],
        "Participación mínima de mujeres entre los socios"
    );
    assert_eq!(
        c["titulos"]["niveles"]["consolidada"],
        "Organización consolidada"
    );
    // The same as `reglas comparar` with the two files.
    let after = rules_dir(&app).join("despues.reglas");
    std::fs::write(&after, &changed).unwrap();
    let cli = Command::new(env!("CARGO_BIN_EXE_reglas"))
        .args(["comparar", "--formato", "json"])
        .arg(rules_dir(&app).join("cepac.reglas"))
        .arg(&after)
        .arg(rules_dir(&app).join(EXAMPLE))
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(cli["cambios"], c["cambios"]);
}

#[test]
fn saves_after_a_backup_and_tells_the_second_save_the_file_changed() {
    let app = start();
    let opened = get(&app, "/api/reglas?archivo=regiones/chaco.reglas").json();
    let version = opened["version"].as_str().unwrap().to_string();
    let original = opened["texto"].as_str().unwrap().to_string();
    let first = format!("{original}\n# primera pestaña\n");
    let second = format!("{original}\n# segunda pestaña\n");
    let a = post(
        &app,
        "/api/guardar",
        &json!({"archivo": "regiones/chaco.reglas", "texto": first, "version": version}),
    );
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.json()["respaldo"], "regiones/chaco.reglas.respaldo");
    let path = rules_dir(&app).join("regiones/chaco.reglas");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
    assert_eq!(
        std::fs::read_to_string(rules_dir(&app).join("regiones/chaco.reglas.respaldo")).unwrap(),
        original
    );
    // A second tab that loaded the same version is told, and nothing is lost.
    let b = post(
        &app,
        "/api/guardar",
        &json!({"archivo": "regiones/chaco.reglas", "texto": second, "version": version}),
    );
    assert_eq!(b.status, 409);
    assert!(b.json()["error"]
        .as_str()
        .unwrap()
        .contains("cambió desde que lo abrió"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
    // No temporary file is left next to it.
    let names: Vec<String> = std::fs::read_dir(rules_dir(&app).join("regiones"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn concurrent_saves_of_one_version_keep_exactly_one() {
    let app = start();
    let opened = get(&app, "/api/reglas?archivo=regiones/chiquitania.reglas").json();
    let version = opened["version"].as_str().unwrap().to_string();
    let original = opened["texto"].as_str().unwrap().to_string();
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let (app, version, original) = (&app, &version, &original);
                s.spawn(move || {
                    let texto = format!("{original}\n# pestaña {i}\n");
                    post(app, "/api/guardar", &json!({"archivo": "regiones/chiquitania.reglas", "texto": texto, "version": version})).status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        3,
        "{statuses:?}"
    );
}

#[test]
fn saving_the_base_of_variants_asks_first() {
    let app = start();
    let opened = get(&app, "/api/reglas?archivo=cepac.reglas").json();
    let version = opened["version"].as_str().unwrap();
    let texto = format!("{}\n# cambio\n", opened["texto"].as_str().unwrap());
    let a = post(
        &app,
        "/api/guardar",
        &json!({"archivo": "cepac.reglas", "texto": texto, "version": version}),
    );
    assert_eq!(a.status, 409);
    let j = a.json();
    assert_eq!(j["confirmar"], true);
    assert!(j["error"]
        .as_str()
        .unwrap()
        .contains("es la base de 2 variantes"));
    let unchanged = std::fs::read_to_string(rules_dir(&app).join("cepac.reglas")).unwrap();
    assert_eq!(unchanged, opened["texto"].as_str().unwrap());
    let a = post(
        &app,
        "/api/guardar",
        &json!({"archivo": "cepac.reglas", "texto": texto, "version": version, "confirmar_base": true}),
    );
    assert_eq!(a.status, 200, "{}", a.text());
}

#[test]
fn downloads_the_files_the_command_line_writes() {
    let app = start();
    let dir = rules_dir(&app);
    let q = |f: &str| format!("/api/descargar?formato={f}&reglas=cepac.reglas&datos={EXAMPLE}");
    let csv = get(&app, &q("csv"));
    assert_eq!(csv.status, 200);
    assert!(csv
        .headers
        .contains("attachment; filename=\"resultados.csv\""));
    let out = app.dir.path().join("cli.csv");
    let status = Command::new(env!("CARGO_BIN_EXE_reglas"))
        .arg("evaluar")
        .arg(dir.join("cepac.reglas"))
        .arg(dir.join(EXAMPLE))
        .arg("--salida")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(csv.text(), std::fs::read_to_string(&out).unwrap());
    let xlsx = get(&app, &q("xlsx"));
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"), "a zip (xlsx)");
    let html = get(&app, &q("html"));
    assert_eq!(html.status, 200);
    assert!(html.text().contains("<html"));
    let audit = get(&app, &q("auditoria"));
    assert_eq!(audit.status, 200);
    let beside: Value = serde_json::from_str(
        &std::fs::read_to_string(app.dir.path().join("cli.auditoria.json")).unwrap(),
    )
    .unwrap();
    let mut web_audit = audit.json();
    // The same record but for the data file's path as given.
    web_audit["auditoria"]["datos"][0]["archivo"] =
        beside["auditoria"]["datos"][0]["archivo"].clone();
    assert_eq!(web_audit, beside);
    let bad = get(&app, &q("pdf"));
    assert_eq!(bad.status, 400);
}

#[test]
fn errors_are_spanish_sentences() {
    let app = start();
    let a = get(&app, "/no-existe");
    assert_eq!(a.status, 404);
    assert!(a.json()["error"].as_str().unwrap().contains("no existe"));
    let host = app.addr.to_string();
    let a = raw(
        &app,
        "POST",
        "/api/evaluar",
        Some(&host),
        Some(&app.key),
        b"{no es json",
    );
    assert_eq!(a.status, 400);
    assert!(a.json()["error"].as_str().unwrap().contains("no es válido"));
    let a = post(
        &app,
        "/api/evaluar",
        &json!({"reglas": "cepac.reglas", "datos": "ejemplos/no-esta.csv"}),
    );
    assert_eq!(a.status, 404);
    assert!(a.json()["error"]
        .as_str()
        .unwrap()
        .starts_with("no se puede abrir"));
    // Rules with errors are refused with the first one and its line.
    let a = post(
        &app,
        "/api/evaluar",
        &json!({"reglas": "cepac.reglas", "texto": "reglas \"x\"\ncriterio", "datos": EXAMPLE}),
    );
    assert_eq!(a.status, 422);
    assert!(a.json()["error"].as_str().unwrap().contains("línea"));
}

#[test]
fn uploaded_spreadsheets_and_kobo_exports_read_as_on_the_command_line() {
    let app = start();
    let host = app.addr.to_string();
    for f in ["mini.reglas", "mini-kobo.reglas"] {
        std::fs::copy(Path::new("docs/ejemplos").join(f), rules_dir(&app).join(f)).unwrap();
    }
    for (rules, data) in [
        ("mini.reglas", "mini.xlsx"),
        ("mini-kobo.reglas", "kobo.csv"),
        ("mini.reglas", "kobo.json"),
    ] {
        let source = Path::new("docs/ejemplos").join(data);
        let body = std::fs::read(&source).unwrap();
        let up = raw(
            &app,
            "POST",
            &format!("/api/subir?nombre={data}"),
            Some(&host),
            Some(&app.key),
            &body,
        );
        assert_eq!(up.status, 200, "{data}: {}", up.text());
        let ev = post(
            &app,
            "/api/evaluar",
            &json!({"reglas": rules, "datos": up.json()["datos"]}),
        );
        assert_eq!(ev.status, 200, "{data}: {}", ev.text());
        let id = ev.json()["id"].as_u64().unwrap();
        let rows = all_rows(&app, id, "");
        let web = levels_of(&rows);
        let cli: Vec<(String, Option<String>)> =
            cli_levels(&rules_dir(&app).join(rules), &source, "nivel")
                .into_iter()
                .filter(|(code, _)| web.iter().any(|(c, _)| c == code))
                .collect();
        assert!(!web.is_empty(), "{data}");
        assert_eq!(web, cli, "{data}");
    }
}
