//! `reglas web` in a real browser: headless Chromium, driven through its
//! DevTools protocol, goes through what an analyst does: open the app, load
//! the example data, see the 20 organizations with the levels of `reglas
//! evaluar`, click one and read its verdict, change `umbral_mujeres` and see
//! which organizations change level, break a line of the rules and see the
//! Spanish diagnostic under it. A screenshot of each screen (1366×768) goes
//! to `REGLAS_CAPTURAS` (a folder) when set: that is how the pictures of
//! docs/usar-desde-el-navegador.md are made.
//!
//! Without Chromium the test says so and passes, unless
//! `REGLAS_PROBAR_NAVEGADOR` is set (CI installs Chromium and sets it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::cli_levels;
use serde_json::{json, Value};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// Ends a child process when the test ends, even on a failed assertion.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
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

/// Starts `reglas web` on a folder; its process and the address it printed.
fn start_server(folder: &Path) -> (Killed, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reglas"))
        .arg("web")
        .arg(folder)
        .arg("--no-abrir")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let child = Killed(child);
    let mut lines = BufReader::new(out).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("reglas web printed its address")
            .unwrap();
        if let Some(url) = line.strip_prefix("Dirección: ") {
            break url.to_string();
        }
    };
    // Keep reading its output so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}

/// Starts headless Chromium; its process and the DevTools address.
fn start_browser(exe: &Path, profile: &Path) -> (Killed, String) {
    let mut child = Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
            "--remote-debugging-port=0",
            "--window-size=1366,768",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = child.stderr.take().unwrap();
    let child = Killed(child);
    let mut lines = BufReader::new(err).lines();
    let ws = loop {
        let line = lines
            .next()
            .expect("Chromium printed its DevTools address")
            .unwrap();
        if let Some(at) = line.find("ws://") {
            break line[at..].trim().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, ws)
}

/// A page of the browser, through one DevTools session.
struct Page {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    session: Option<String>,
    next: u64,
}

impl Page {
    fn open(ws_url: &str) -> Page {
        let (ws, _) = tungstenite::connect(ws_url).unwrap();
        let mut page = Page {
            ws,
            session: None,
            next: 0,
        };
        let target = page.call("Target.createTarget", json!({"url": "about:blank"}));
        let target = target["targetId"].as_str().unwrap().to_string();
        let attached = page.call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        );
        page.session = Some(attached["sessionId"].as_str().unwrap().to_string());
        page.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": false}),
        );
        page.call("Page.enable", json!({}));
        page
    }

    /// Sends a command and waits for its answer (events in between are skipped).
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let mut msg = json!({"id": self.next, "method": method, "params": params});
        if let Some(s) = &self.session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(Message::text(msg.to_string())).unwrap();
        loop {
            let m = self.ws.read().unwrap();
            let Message::Text(t) = m else { continue };
            let v: Value = serde_json::from_str(t.as_str()).unwrap();
            if v["id"] == json!(self.next) {
                if let Some(e) = v.get("error") {
                    panic!("{method}: {e}");
                }
                return v["result"].clone();
            }
        }
    }

    /// Runs a script in the page (awaiting a promise) and gives its value.
    fn eval(&mut self, script: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": script, "awaitPromise": true, "returnByValue": true}),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{script}: {e}");
        }
        r["result"]["value"].clone()
    }

    /// Waits until `condition` (a script) is true and no request is pending.
    fn wait_for(&mut self, condition: &str) {
        let script =
            format!("!!document.body && document.body.dataset.ocupado === '0' && !!({condition})");
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if self.eval(&script) == json!(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let aviso = self.eval("document.getElementById('aviso').textContent");
        panic!("timed out waiting for {condition} (aviso: {aviso})");
    }

    fn screenshot(&mut self, name: &str) {
        let Some(dir) = std::env::var_os("REGLAS_CAPTURAS") else {
            return;
        };
        let r = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let png = base64(r["data"].as_str().unwrap());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

fn base64(text: &str) -> Vec<u8> {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|c| *c != b'=') {
        acc = (acc << 6) | ABC.iter().position(|x| *x == c).unwrap() as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[test]
fn an_analyst_goes_through_the_app_in_chromium() {
    let Some(exe) = chromium() else {
        assert!(
            std::env::var_os("REGLAS_PROBAR_NAVEGADOR").is_none(),
            "REGLAS_PROBAR_NAVEGADOR is set but Chromium is not installed"
        );
        eprintln!("SE OMITE: no está Chromium (/usr/bin/chromium); instálelo con `apt-get install chromium` para probar reglas web en un navegador");
        return;
    };
    // A readable name: the folder shows in the screenshots.
    let dir = tempfile::Builder::new()
        .prefix("reglas-ejemplo-")
        .tempdir()
        .unwrap();
    let rules = dir.path().join("rules");
    copy_dir(Path::new("rules"), &rules);
    // 1-based lines of the declarations the test looks at.
    let text = std::fs::read_to_string(rules.join("cepac.reglas")).unwrap();
    let line_of = |start: &str| text.lines().position(|l| l.starts_with(start)).unwrap() + 1;
    let param_line = line_of("parámetro umbral_mujeres");
    let criterion_line = line_of("criterio participacion_mujeres_alta");
    let (_server, url) = start_server(&rules);
    let (_browser, ws) = start_browser(&exe, &dir.path().join("perfil"));
    let mut page = Page::open(&ws);
    page.call("Page.navigate", json!({"url": url}));
    page.wait_for("document.getElementById('reglas').value === 'cepac.reglas'");

    // Load the example data: 20 organizations, the levels of `reglas evaluar`.
    page.eval(
        "const d = document.getElementById('datos'); d.value = 'ejemplos/organizaciones.csv'; \
         d.dispatchEvent(new Event('change'));",
    );
    page.wait_for("document.querySelectorAll('#tabla tbody tr').length === 20");
    let shown = page.eval(
        "[...document.querySelectorAll('#tabla tbody tr')].map(tr => \
         [tr.cells[0].textContent, tr.cells[4].querySelector('.nivel').textContent])",
    );
    let shown: Vec<(String, String)> = serde_json::from_value(shown).unwrap();
    let expected: Vec<(String, String)> = cli_levels(
        &rules.join("cepac.reglas"),
        &rules.join("ejemplos/organizaciones.csv"),
        "nivel_titulo",
    )
    .into_iter()
    .map(|(code, title)| (code, title.unwrap_or_else(|| "Sin nivel".to_string())))
    .collect();
    assert_eq!(shown, expected);
    let cards = page.eval("document.getElementById('tarjetas').textContent");
    assert!(cards.as_str().unwrap().contains("Evaluadas"), "{cards}");
    page.screenshot("web-resultados");

    // Click an organization: its verdict first, criteria that open.
    page.eval("document.querySelector('#tabla tbody tr[data-fila=\"7\"]').click()");
    page.wait_for("document.getElementById('veredicto')");
    let verdict = page.eval("document.getElementById('veredicto').textContent");
    let (code, title) = &expected[5];
    assert_eq!(code, "CHA-001");
    assert!(
        verdict.as_str().unwrap().contains(title.as_str()),
        "{verdict}"
    );
    page.screenshot("web-veredicto");
    let heading = page.eval("document.querySelector('#explicacion h2').textContent");
    assert!(
        heading.as_str().unwrap().starts_with("CHA-001"),
        "{heading}"
    );
    page.eval(
        "const c = document.querySelector('details.criterio[data-criterio=\"participacion_mujeres_alta\"]'); \
         c.open = true; document.getElementById('explicacion').scrollTop = c.offsetTop - 90;",
    );
    let detail = page.eval(
        "document.querySelector('details.criterio[data-criterio=\"participacion_mujeres_alta\"] .detalle').textContent",
    );
    let detail = detail.as_str().unwrap();
    assert!(
        detail.contains(&format!("cepac.reglas:{criterion_line}")) && detail.contains("3.3.1"),
        "{detail}"
    );
    assert!(detail.contains("umbral_mujeres"), "{detail}");
    page.screenshot("web-explicacion");

    // Change `umbral_mujeres`: which organizations change level, and why.
    page.eval("document.getElementById('pestana-reglas').click()");
    page.wait_for("document.getElementById('param-umbral_mujeres')");
    page.eval(
        "const i = document.getElementById('param-umbral_mujeres'); i.value = '50%'; \
         i.dispatchEvent(new Event('input'));",
    );
    page.wait_for("(document.getElementById('cambian') || {}).textContent === '1 de 20 organizaciones cambian de nivel.'");
    let row = page.eval("document.querySelector('#impacto [data-codigo=\"CHA-001\"]').textContent");
    let row = row.as_str().unwrap();
    // The criterion by its title, with its name in the rules beside it.
    assert!(
        row.contains("«Alto nivel de participación de mujeres» participacion_mujeres_alta: cumple → no cumple"),
        "{row}"
    );
    assert!(
        row.contains("Organización consolidada") && row.contains("en proceso"),
        "{row}"
    );
    let line = page.eval(&format!(
        "document.getElementById('texto').value.split('\\n')[{}]",
        param_line - 1
    ));
    assert_eq!(line, json!("parámetro umbral_mujeres = 50%"));
    page.eval(&format!("irALinea({param_line})"));
    page.screenshot("web-parametros");

    // A syntax error: the Spanish diagnostic under the right line.
    // Line `param_line + 1` (index `param_line`): the parameter's title.
    page.eval(&format!(
        "const t = document.getElementById('texto'); const l = t.value.split('\\n'); \
         l[{param_line}] = l[{param_line}].replace(/\"$/, ''); t.value = l.join('\\n'); \
         t.dispatchEvent(new Event('input'));"
    ));
    page.wait_for("document.querySelector('.burbuja')");
    let bubble = page.eval(
        "const b = document.querySelector('.burbuja'); [b.dataset.linea, b.textContent, \
         document.querySelector('#numeros .con-error').textContent]",
    );
    let title_line = (param_line + 1).to_string();
    assert_eq!(bubble[0], json!(title_line), "{bubble}");
    assert_eq!(bubble[2], json!(title_line), "{bubble}");
    let text = bubble[1].as_str().unwrap();
    assert!(
        text.starts_with(&format!("Error (línea {title_line}):")) && text.contains("comillas"),
        "{text}"
    );
    page.eval(&format!("irALinea({title_line})"));
    page.screenshot("web-error");
}
