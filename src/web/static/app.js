// reglas web: the page. Plain JavaScript, no libraries; every answer comes
// from the program on this machine (see src/web/).
"use strict";

const CLAVE = new URLSearchParams(location.search).get("clave") || "";
const POR_PAGINA = 50;
const LINEA = 20; // px, as --linea in estilo.css

const $ = (id) => document.getElementById(id);
const estado = {
  archivos: null,
  evaluacion: null,
  desde: 0,
  orden: "fila",
  desc: false,
  elegida: null,
  editor: { archivo: null, guardado: "", version: "", parametros: [], variantes: [] },
};

// ---------------------------------------------------------------- requests

let pendientes = 0;
function ocupado(delta) {
  pendientes += delta;
  document.body.dataset.ocupado = String(pendientes);
}

async function api(ruta, cuerpo, opciones = {}) {
  const init = { headers: { "X-Reglas-Clave": CLAVE } };
  if (cuerpo !== undefined) {
    init.method = "POST";
    if (cuerpo instanceof Blob) {
      init.body = cuerpo;
    } else {
      init.body = JSON.stringify(cuerpo);
      init.headers["Content-Type"] = "application/json";
    }
  }
  ocupado(1);
  try {
    let r;
    try {
      r = await fetch(ruta, init);
    } catch (e) {
      throw new Error("No se pudo hablar con el programa: ¿se cerró la ventana de reglas web?");
    }
    let datos = null;
    try { datos = await r.json(); } catch (e) { datos = null; }
    if (!r.ok && !(opciones.aceptar || []).includes(r.status)) {
      const msg = datos && datos.error ? datos.error : "error " + r.status;
      const err = new Error(msg.charAt(0).toUpperCase() + msg.slice(1) + (datos && datos.ayuda ? "\n" + datos.ayuda : ""));
      err.estado = r.status;
      err.datos = datos;
      throw err;
    }
    return { estado: r.status, datos };
  } finally {
    ocupado(-1);
  }
}

function avisar(texto, bien) {
  const a = $("aviso");
  a.textContent = texto;
  a.classList.toggle("bien", !!bien);
  a.hidden = !texto;
}

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function opcion(valor, texto) {
  const o = document.createElement("option");
  o.value = valor;
  o.textContent = texto;
  return o;
}

function insignia(titulo, color) {
  return `<span class="nivel" style="background:${esc(color)}">${esc(titulo)}</span>`;
}

// ------------------------------------------------------------------- tabs

function mostrar(vista) {
  for (const b of document.querySelectorAll(".pestanas button")) {
    b.setAttribute("aria-selected", String(b.dataset.vista === vista));
  }
  $("vista-resultados").hidden = vista !== "resultados";
  $("vista-reglas").hidden = vista !== "reglas";
  if (vista === "reglas") ajustarEditor();
}

// ------------------------------------------------------------ files, start

async function iniciar() {
  document.body.dataset.ocupado = "0";
  for (const b of document.querySelectorAll(".pestanas button")) {
    b.addEventListener("click", () => mostrar(b.dataset.vista));
  }
  try {
    const { datos } = await api("/api/archivos");
    estado.archivos = datos;
    $("carpeta").textContent = "Carpeta: " + datos.carpeta;
    const reglas = $("reglas");
    for (const r of datos.reglas) reglas.appendChild(opcion(r, r));
    if (datos.preseleccion) reglas.value = datos.preseleccion;
    const sel = $("datos");
    sel.appendChild(opcion("", datos.datos.length ? "— elija un archivo —" : "— ninguno en la carpeta: suba uno —"));
    for (const d of datos.datos) sel.appendChild(opcion(d, d));
    if (!datos.reglas.length) avisar("La carpeta no tiene archivos de reglas (.reglas). Abra reglas web en la carpeta de sus reglas.");
    else await abrirReglas(reglas.value);
  } catch (e) {
    avisar(e.message);
  }
  $("eleccion").addEventListener("submit", (ev) => { ev.preventDefault(); evaluar(); });
  $("datos").addEventListener("change", () => { if ($("datos").value) evaluar(); });
  $("reglas").addEventListener("change", async () => {
    if (editorCambiado()) {
      avisar(`Las reglas de ${estado.editor.archivo} tienen cambios sin guardar: el editor sigue con ese archivo.`);
    } else {
      await abrirReglas($("reglas").value);
    }
    if ($("datos").value) evaluar();
  });
  prepararSubida();
  prepararTabla();
  prepararEditor();
}

function prepararSubida() {
  const zona = $("zona-subir");
  $("archivo").addEventListener("change", () => {
    const f = $("archivo").files[0];
    if (f) subir(f);
  });
  for (const t of ["dragenter", "dragover"]) {
    document.addEventListener(t, (ev) => { ev.preventDefault(); zona.classList.add("encima"); });
  }
  for (const t of ["dragleave", "drop"]) {
    document.addEventListener(t, (ev) => { ev.preventDefault(); zona.classList.remove("encima"); });
  }
  document.addEventListener("drop", (ev) => {
    const f = ev.dataTransfer && ev.dataTransfer.files[0];
    if (f) subir(f);
  });
}

async function subir(archivo) {
  try {
    avisar("");
    const { datos } = await api("/api/subir?nombre=" + encodeURIComponent(archivo.name), archivo);
    const sel = $("datos");
    sel.appendChild(opcion(datos.datos, datos.nombre + " (subido)"));
    sel.value = datos.datos;
    await evaluar();
  } catch (e) {
    avisar(e.message);
  }
}

// ---------------------------------------------------------------- results

async function evaluar() {
  const reglas = $("reglas").value, datos = $("datos").value;
  if (!reglas || !datos) {
    avisar("Elija un archivo de reglas y un archivo de datos.");
    return;
  }
  avisar("");
  try {
    const { datos: ev } = await api("/api/evaluar", { reglas, datos });
    estado.evaluacion = ev;
    estado.desde = 0;
    estado.elegida = null;
    $("explicacion").hidden = true;
    $("tabla-zona").querySelector(".dividida").classList.remove("con-explicacion");
    mostrarResumen(ev);
    await cargarPagina();
  } catch (e) {
    avisar(e.message);
  }
}

function mostrarResumen(ev) {
  const t = ev.totales;
  const tarjetas = ev.niveles.map((n) =>
    `<div class="tarjeta" data-nivel="${esc(n.id)}" style="border-left-color:${esc(n.color)}"><b>${n.total}</b><span>${esc(n.titulo)}</span></div>`);
  if (t.sin_nivel) tarjetas.push(`<div class="tarjeta" data-nivel="sin_nivel"><b>${t.sin_nivel}</b><span>Sin nivel</span></div>`);
  tarjetas.push(`<div class="tarjeta" data-nivel=""><b>${t.evaluadas}</b><span>Evaluadas (${t.provisionales} provisionales)</span></div>`);
  if (t.rechazadas) tarjetas.push(`<div class="tarjeta" data-rechazadas="1" style="border-left-color:#b3261e"><b>${t.rechazadas}</b><span>Rechazadas por errores en los datos</span></div>`);
  $("tarjetas").innerHTML = tarjetas.join("");
  for (const c of document.querySelectorAll(".tarjeta[data-nivel]")) {
    c.addEventListener("click", () => { $("filtro-nivel").value = c.dataset.nivel; filtrar(); });
  }
  const rech = document.querySelector(".tarjeta[data-rechazadas]");
  if (rech) rech.addEventListener("click", () => { $("rechazadas").open = true; $("rechazadas").scrollIntoView(); });
  $("lectura").textContent = `${ev.datos}: ${ev.lectura}. Reglas: ${ev.reglas}.`;
  $("advertencias").innerHTML = ev.advertencias.map((a) => `<p class="advertencia">Advertencia: ${esc(a)}</p>`).join("");
  const q = (f) => `/api/descargar?formato=${f}&reglas=${encodeURIComponent(ev.reglas)}&datos=${encodeURIComponent($("datos").value)}&clave=${CLAVE}`;
  $("bajar-xlsx").href = q("xlsx");
  $("bajar-csv").href = q("csv");
  $("bajar-html").href = q("html");
  $("bajar-auditoria").href = q("auditoria");
  const llenar = (sel, valores, todos) => {
    const antes = sel.value;
    sel.innerHTML = "";
    sel.appendChild(opcion("", todos));
    for (const [v, t] of valores) sel.appendChild(opcion(v, t));
    sel.value = valores.some(([v]) => v === antes) ? antes : "";
  };
  const niveles = ev.niveles.map((n) => [n.id, n.titulo]);
  if (t.sin_nivel) niveles.push(["sin_nivel", "Sin nivel"]);
  llenar($("filtro-nivel"), niveles, "todos");
  llenar($("filtro-region"), ev.regiones.map((r) => [r, r]), "todas");
  llenar($("filtro-rubro"), ev.rubros.map((r) => [r, r]), "todos");
  mostrarRechazadas(ev);
  $("inicio").hidden = true;
  $("resumen").hidden = false;
  $("tabla-zona").hidden = false;
}

function mostrarRechazadas(ev) {
  const d = $("rechazadas");
  const n = ev.totales.rechazadas;
  d.hidden = n === 0;
  if (!n) return;
  const mostradas = ev.rechazadas.length;
  d.querySelector("summary").textContent =
    `${n} ${n === 1 ? "fila rechazada" : "filas rechazadas"} por errores en los datos` +
    (mostradas < n ? ` (se muestran las primeras ${mostradas}; todas están en las descargas)` : "");
  const filas = [];
  for (const r of ev.rechazadas) {
    for (const e of r.errores) {
      filas.push(`<tr><td class="num">${r.fila}</td><td class="codigo-org">${esc(r.codigo)}</td><td>${esc(e.columna)}</td><td>${esc(e.valor)}</td><td>${esc(e.mensaje)}</td></tr>`);
    }
  }
  d.querySelector("tbody").innerHTML = filas.join("");
}

function prepararTabla() {
  for (const th of document.querySelectorAll("#tabla th")) {
    th.addEventListener("click", () => {
      const o = th.dataset.orden;
      estado.desc = estado.orden === o ? !estado.desc : false;
      estado.orden = o;
      estado.desde = 0;
      cargarPagina();
    });
  }
  for (const id of ["filtro-nivel", "filtro-region", "filtro-rubro"]) $(id).addEventListener("change", filtrar);
  let espera = null;
  $("filtro-buscar").addEventListener("input", () => { clearTimeout(espera); espera = setTimeout(filtrar, 250); });
  $("anterior").addEventListener("click", () => { estado.desde = Math.max(0, estado.desde - POR_PAGINA); cargarPagina(); });
  $("siguiente").addEventListener("click", () => { estado.desde += POR_PAGINA; cargarPagina(); });
}

function filtrar() {
  estado.desde = 0;
  for (const c of document.querySelectorAll(".tarjeta[data-nivel]")) {
    c.classList.toggle("elegida", c.dataset.nivel !== "" && c.dataset.nivel === $("filtro-nivel").value);
  }
  cargarPagina();
}

async function cargarPagina() {
  const ev = estado.evaluacion;
  if (!ev) return;
  const p = new URLSearchParams({
    id: ev.id, desde: estado.desde, cuantas: POR_PAGINA, orden: estado.orden, desc: estado.desc ? "1" : "0",
    nivel: $("filtro-nivel").value, region: $("filtro-region").value, rubro: $("filtro-rubro").value, buscar: $("filtro-buscar").value,
  });
  try {
    const { datos } = await api("/api/filas?" + p);
    mostrarFilas(datos);
  } catch (e) {
    avisar(e.message);
  }
}

function mostrarFilas(pagina) {
  const cuerpo = document.querySelector("#tabla tbody");
  cuerpo.innerHTML = pagina.filas.map((f) => `<tr data-fila="${f.fila}" class="${f.fila === estado.elegida ? "elegida" : ""}">
    <td class="codigo-org">${esc(f.codigo)}</td><td>${esc(f.nombre)}</td><td>${esc(f.region)}</td><td>${esc(f.rubro)}</td>
    <td>${insignia(f.nivel_titulo || "Sin nivel", f.color)}${f.provisional ? ' <span class="prov solo-estrecha">provisional</span>' : ""}</td>
    <td>${f.provisional ? '<span class="prov" title="Faltan datos para decidir un nivel más alto">provisional</span>' : ""}</td>
    <td class="num">${f.no_cumple}</td></tr>`).join("");
  for (const tr of cuerpo.querySelectorAll("tr")) {
    tr.addEventListener("click", () => explicar(Number(tr.dataset.fila)));
  }
  for (const th of document.querySelectorAll("#tabla th")) {
    th.classList.toggle("orden", th.dataset.orden === estado.orden);
    th.classList.toggle("desc", th.dataset.orden === estado.orden && estado.desc);
  }
  const hasta = Math.min(pagina.total, pagina.desde + pagina.filas.length);
  $("pagina").textContent = pagina.total ? `${pagina.desde + 1}–${hasta} de ${pagina.total}` : "ninguna organización con esos filtros";
  $("cuenta").textContent = `${pagina.total} organizaciones`;
  $("anterior").disabled = pagina.desde === 0;
  $("siguiente").disabled = hasta >= pagina.total;
}

// ------------------------------------------------------------- explanation

const MARCAS = { "sí": ["si", "cumple"], "no": ["no", "no cumple"], "sin dato": ["sin", "sin decidir"] };

function marca(c) {
  if (!c.aplica) return '<span class="marca na">no aplica</span>';
  const [clase, texto] = MARCAS[c.resultado] || ["sin", c.resultado];
  return `<span class="marca ${clase}">${texto}</span>`;
}

async function explicar(fila) {
  const ev = estado.evaluacion;
  estado.elegida = fila;
  for (const tr of document.querySelectorAll("#tabla tbody tr")) tr.classList.toggle("elegida", Number(tr.dataset.fila) === fila);
  const panel = $("explicacion");
  try {
    const { datos } = await api("/api/explicar", { reglas: ev.reglas, datos: $("datos").value, fila });
    panel.innerHTML = datos.rechazada ? explicacionRechazada(datos.rechazada) : explicacionHtml(datos);
    panel.hidden = false;
    panel.parentElement.classList.add("con-explicacion");
    panel.scrollTop = 0;
  } catch (e) {
    avisar(e.message);
  }
}

function explicacionRechazada(r) {
  return `<h2>${esc(r.codigo)} — ${esc(r.nombre)}</h2><p class="veredicto">No se evaluó: su fila (${r.fila}) tiene errores en los datos.</p>
    <ul>${r.errores.map((e) => `<li>${e.columna ? `columna <b>${esc(e.columna)}</b>: ` : ""}${esc(e.mensaje)}</li>`).join("")}</ul>`;
}

function explicacionHtml({ resultado: r, texto, fuente, resumen: b }) {
  const ev = estado.evaluacion;
  const nivel = ev.niveles.find((n) => n.id === r.nivel);
  const e = r.explicacion;
  const lugarTexto = Object.fromEntries(fuente.map((f) => [f.lugar, f.texto]));
  let h = `<h2>${esc(r.codigo)} — ${esc(r.nombre)}</h2>`;
  h += `<p class="veredicto">${r.nivel ? insignia(r.nivel_titulo, nivel ? nivel.color : "#5f6b64") : insignia("Sin nivel", "#8a8a82")}`;
  if (r.provisional) h += ` <span class="prov">provisional</span>`;
  h += `</p><p id="veredicto">${esc(b.veredicto)}</p>`;
  if (b.tolerados) h += `<p>${esc(b.tolerados)}</p>`;
  if (b.siguiente && b.le_falta.length) {
    h += `<p><b>Para llegar a «${esc(b.siguiente)}»</b> le falta:</p><ul>${b.le_falta.map((f) =>
      `<li>${esc(f.texto)}${f.opciones && f.opciones.length ? `<ul>${f.opciones.map((o) => `<li>${esc(o)}</li>`).join("")}</ul>` : ""}</li>`).join("")}</ul>`;
  }
  if (b.fragil.length) h += `<p><b>Resultado frágil:</b></p><ul>${b.fragil.map((f) => `<li>${esc(f)}</li>`).join("")}</ul>`;
  if (b.recomendaciones.length) {
    h += `<p><b>Recomendaciones</b></p><ul>${b.recomendaciones.map((x) => `<li>${esc(x)}</li>`).join("")}</ul>`;
    if (b.mas_recomendaciones) h += `<p class="suave">y ${b.mas_recomendaciones} más (en el texto completo, abajo).</p>`;
  }
  if (e) {
    h += `<p><b>Criterios</b> <span class="suave">(pulse uno para ver sus datos y la regla)</span></p>`;
    const orden = { "no": 0, "sin dato": 1, "sí": 2 };
    const criterios = [...e.criterios].sort((a, b) => (a.aplica ? orden[a.resultado] ?? 1 : 3) - (b.aplica ? orden[b.resultado] ?? 1 : 3));
    for (const c of criterios) {
      h += `<details class="criterio" data-criterio="${esc(c.id)}"><summary>${marca(c)} ${esc(c.titulo)}</summary><div class="detalle">`;
      if (c.frase) h += `<p>${esc(c.frase)}</p>`;
      if (c.politica_sin_dato) h += `<p class="suave">Sin dato: ${esc(c.politica_sin_dato)}</p>`;
      if (c.datos.length) {
        h += `<table><tr><th>Dato</th><th>Valor</th></tr>${c.datos.map((d) => `<tr><td>${esc(d.nombre)} <span class="suave">(${esc(d.clase)})</span></td><td>${esc(d.texto)}${d.motivo ? ` <span class="suave">— ${esc(d.motivo)}</span>` : ""}</td></tr>`).join("")}</table>`;
      }
      h += `<p>Regla <code>${esc(c.id)}</code> en <b>${esc(c.lugar)}</b>${c.seccion ? `, sección ${esc(c.seccion)} del documento` : ""}${c.cambia ? ` (cambia ${esc(c.cambia)})` : ""}:</p>`;
      h += `<pre>${esc(lugarTexto[c.lugar] || "condición " + c.condicion)}</pre></div></details>`;
    }
  }
  h += `<details class="texto-completo"><summary>Texto completo (el mismo de <code>reglas explicar … --detalle completo</code>)</summary><pre>${esc(texto)}</pre></details>`;
  return h;
}

// ------------------------------------------------------------------ editor

const CLAVES = new Set(("reglas versión version basado en campo parámetro parametro valor grupo criterio nivel " +
  "recomendación recomendacion ejemplo revisar cambia quita sección seccion si sí falta dato no cumple sin decidir " +
  "aplica otro caso espera fallan recomendaciones como con pregunta también tambien máximo maximo título titulo " +
  "condición condicion puntos para requiere tolera tiene al menos todos ninguno de entonces y o").split(" "));
const TIPOS = new Set("entero número numero porcentaje texto categoría categoria".split(" "));
const FICHA = /(#.*$)|("(?:[^"\\]|\\.)*"?)|(\d+(?:[.,]\d+)?\s?%?)|(s[íi]\/no)|([\p{L}_][\p{L}\p{N}_]*)|([^#"\d\p{L}_]+)/gu;

function resaltarLinea(linea) {
  let h = "";
  for (const m of linea.matchAll(FICHA)) {
    const [todo, com, cad, num, sino, pal] = m;
    if (com) h += `<span class="c">${esc(com)}</span>`;
    else if (cad) h += `<span class="s">${esc(cad)}</span>`;
    else if (num) h += `<span class="n">${esc(num)}</span>`;
    else if (sino) h += `<span class="t">${esc(sino)}</span>`;
    else if (pal && CLAVES.has(pal)) h += `<span class="k">${esc(pal)}</span>`;
    else if (pal && TIPOS.has(pal)) h += `<span class="t">${esc(pal)}</span>`;
    else h += esc(todo);
  }
  return h;
}

let diagnosticos = [];

function pintarEditor() {
  const texto = $("texto").value;
  const lineas = texto.split("\n");
  const conError = new Map();
  for (const d of diagnosticos) {
    if (!conError.has(d.linea) || d.gravedad === "error") conError.set(d.linea, d.gravedad);
  }
  $("resaltado").innerHTML = lineas.map((l, i) => {
    const g = conError.get(i + 1);
    const html = resaltarLinea(l) || " ";
    return g === "error" ? `<span class="subrayado">${html}</span>` : html;
  }).join("\n") + "\n";
  $("numeros").innerHTML = lineas.map((_, i) => {
    const g = conError.get(i + 1);
    const clase = g === "error" ? "con-error" : g ? "con-advertencia" : "";
    return `<div><span class="${clase}">${i + 1}</span></div>`;
  }).join("");
  // Each problem in a bubble right under its line (errors first, a few).
  const burbujas = diagnosticos.slice(0, 6).map((d) => {
    const arriba = 8 + d.linea * LINEA;
    return `<div class="burbuja ${d.gravedad === "error" ? "" : "advertencia"}" data-linea="${d.linea}" style="top:${arriba}px">` +
      `<b>${d.gravedad === "error" ? "Error" : "Advertencia"}</b> (línea ${d.linea}): ${esc(d.mensaje)}${d.detalle ? ` — ${esc(d.detalle)}` : ""}` +
      `${d.ayuda ? `<br><span>${esc(d.ayuda)}</span>` : ""}</div>`;
  });
  $("burbujas").innerHTML = burbujas.join("");
  ajustarEditor();
}

function ajustarEditor() {
  const t = $("texto");
  t.style.height = "0px";
  t.style.height = t.scrollHeight + "px";
  t.style.width = Math.max(600, t.scrollWidth) + "px";
}

function editorCambiado() {
  return estado.editor.archivo !== null && $("texto").value !== estado.editor.guardado;
}

async function abrirReglas(archivo) {
  try {
    const { datos } = await api("/api/reglas?archivo=" + encodeURIComponent(archivo));
    estado.editor = { archivo, guardado: datos.texto, version: datos.version, parametros: datos.parametros || [], variantes: datos.variantes };
    $("texto").value = datos.texto;
    $("editor-archivo").textContent = archivo;
    mostrarVerificacion(datos);
    mostrarParametros();
    $("impacto").innerHTML = '<p class="suave">Todavía no cambió nada.</p>';
    $("guardar").disabled = true;
  } catch (e) {
    avisar(e.message);
  }
}

function mostrarVerificacion(v) {
  diagnosticos = v.diagnosticos;
  if (v.parametros) estado.editor.parametros = v.parametros;
  const partes = [];
  partes.push(v.errores ? `${v.errores} ${v.errores === 1 ? "error" : "errores"}` : "sin errores");
  if (v.advertencias) partes.push(`${v.advertencias} ${v.advertencias === 1 ? "advertencia" : "advertencias"}`);
  $("editor-estado").textContent = (editorCambiado() ? "cambios sin guardar · " : "") + partes.join(", ");
  $("diagnosticos").innerHTML = v.diagnosticos.map((d, i) =>
    `<div class="diagnostico ${d.gravedad === "error" ? "" : "advertencia"}" data-i="${i}">` +
    `<b>Línea ${d.linea}</b>${d.en_otro_archivo ? ` (en ${esc(d.en_otro_archivo)})` : ""}: ${esc(d.mensaje)} <code>${esc(d.codigo)}</code>` +
    `${d.ayuda ? `<br><span class="suave">${esc(d.ayuda)}</span>` : ""}</div>`).join("");
  for (const el of document.querySelectorAll(".diagnostico")) {
    el.addEventListener("click", () => irALinea(diagnosticos[Number(el.dataset.i)].linea));
  }
  pintarEditor();
}

function irALinea(n) {
  const t = $("texto");
  const lineas = t.value.split("\n");
  const pos = lineas.slice(0, n - 1).reduce((s, l) => s + l.length + 1, 0);
  t.focus();
  t.setSelectionRange(pos, pos + (lineas[n - 1] || "").length);
  $("editor").scrollTop = Math.max(0, (n - 5) * LINEA);
}

function prepararEditor() {
  let espera = null;
  $("texto").addEventListener("input", () => {
    pintarEditor();
    $("guardar").disabled = !editorCambiado();
    clearTimeout(espera);
    espera = setTimeout(alEditar, 400);
  });
  $("texto").addEventListener("keydown", (ev) => {
    if (ev.key === "Tab") {
      ev.preventDefault();
      document.execCommand("insertText", false, "  ");
    }
  });
  $("guardar").addEventListener("click", () => guardar(false));
  $("confirmar-si").addEventListener("click", () => { $("confirmar").hidden = true; guardar(true); });
  $("confirmar-no").addEventListener("click", () => { $("confirmar").hidden = true; });
  window.addEventListener("beforeunload", (ev) => { if (editorCambiado()) ev.preventDefault(); });
}

let ultimaVerificacion = 0;
async function alEditar() {
  const n = ++ultimaVerificacion;
  const texto = $("texto").value;
  try {
    const { datos } = await api("/api/verificar", { archivo: estado.editor.archivo, texto });
    if (n !== ultimaVerificacion) return; // a newer edit is on its way
    mostrarVerificacion(datos);
    mostrarParametros();
    if (datos.errores) {
      $("impacto").innerHTML = '<p class="suave">Corrija los errores de las reglas para ver qué organizaciones cambian de nivel.</p>';
    } else {
      await comparar(texto);
    }
  } catch (e) {
    avisar(e.message);
  }
}

function mostrarParametros() {
  const caja = $("parametros");
  const activo = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.parametro : null;
  caja.innerHTML = estado.editor.parametros.map((p) => `<div class="parametro">
      <label for="param-${esc(p.nombre)}"><span>${esc(p.nombre)}</span>
        <input id="param-${esc(p.nombre)}" data-parametro="${esc(p.nombre)}" value="${esc(p.valor)}" ${p.editable ? "" : "disabled"}></label>
      ${p.titulo ? `<p>${esc(p.titulo)}</p>` : ""}
      ${p.comentario ? `<p class="porque" title="${esc(p.comentario)}">${esc(p.comentario.replace(/\n/g, " "))}</p>` : ""}
      <p>Línea ${p.linea}${p.editable ? "" : ` — se declara en ${esc(p.lugar)}`}</p></div>`).join("");
  for (const input of caja.querySelectorAll("input")) {
    let espera = null;
    input.addEventListener("input", () => {
      clearTimeout(espera);
      espera = setTimeout(() => cambiarParametro(input.dataset.parametro, input.value), 300);
    });
  }
  if (activo && $("param-" + activo)) $("param-" + activo).focus();
}

/// Writes the new value on the parameter's line of the text being edited.
function cambiarParametro(nombre, valor) {
  const p = estado.editor.parametros.find((x) => x.nombre === nombre);
  if (!p) return;
  const t = $("texto");
  const lineas = t.value.split("\n");
  const linea = lineas[p.linea - 1] || "";
  const m = linea.match(/^([^=]*=\s*)([^#]*?)(\s*(#.*)?)$/);
  if (!m) return;
  lineas[p.linea - 1] = m[1] + valor.trim() + m[3];
  t.value = lineas.join("\n");
  p.valor = valor.trim();
  $("param-" + nombre).classList.add("cambiado");
  $("guardar").disabled = !editorCambiado();
  pintarEditor();
  alEditar();
}

function textoNivel(id) {
  if (!id) return "Sin nivel";
  const ev = estado.evaluacion;
  const n = ev && ev.niveles.find((x) => x.id === id);
  return n ? n.titulo : id;
}

function insigniaNivel(id) {
  const ev = estado.evaluacion;
  const n = ev && ev.niveles.find((x) => x.id === id);
  return insignia(textoNivel(id), n ? n.color : "#8a8a82");
}

const PALABRA = { "sí": "cumple", "no": "no cumple", "sin dato": "sin decidir" };

async function comparar(texto) {
  const caja = $("impacto");
  const datos = $("datos").value;
  if (texto === estado.editor.guardado) {
    caja.innerHTML = '<p class="suave">Sin cambios respecto del archivo guardado.</p>';
    return;
  }
  if (!datos) {
    caja.innerHTML = '<p class="suave">Elija un archivo de datos en «Resultados» para ver qué organizaciones cambian de nivel.</p>';
    return;
  }
  const { datos: c } = await api("/api/comparar", { reglas: estado.editor.archivo, antes: estado.editor.guardado, despues: texto, datos });
  let h = "";
  // Each name by its title, with the name the rule file uses beside it.
  const conTitulo = (titulos, id) => (titulos[id] ? `«${esc(titulos[id])}» <code>${esc(id)}</code>` : `<code>${esc(id)}</code>`);
  const criterio = (id) => conTitulo(c.titulos.criterios, id);
  if (c.parametros_cambiados.length) {
    h += `<p>${c.parametros_cambiados.map((p) => `<b>${conTitulo(c.titulos.parametros, p.nombre)}</b>: ${esc(p.antes ?? "(no existe)")} → ${esc(p.despues ?? "(no existe)")}`).join("<br>")}</p>`;
  }
  const otros = [["criterios nuevos", c.criterios_nuevos, criterio], ["criterios quitados", c.criterios_quitados, criterio], ["criterios con otra condición", c.criterios_con_otra_condicion, criterio], ["niveles con otra condición", c.niveles_con_otra_condicion, (id) => conTitulo(c.titulos.niveles, id)]];
  for (const [t, l, nombre] of otros) if (l.length) h += `<p>${t}: ${l.map(nombre).join(", ")}</p>`;
  h += `<p id="cambian"><b>${c.cambios.length} de ${c.evaluadas}</b> organizaciones cambian de nivel.</p>`;
  for (const x of c.cambios) {
    const porque = x.criterios.length
      ? x.criterios.map((k) => `${criterio(k.id)}: ${PALABRA[k.antes] || "no existe"} → ${PALABRA[k.despues] || "no existe"}`).join("<br>")
      : "ningún criterio cambió: cambió la condición de un nivel o un parámetro que lee";
    h += `<div class="cambio" data-codigo="${esc(x.codigo)}"><span class="codigo-org">${esc(x.codigo)}</span> ${esc(x.nombre)}` +
      `<div class="niveles">${insigniaNivel(x.antes)} <span class="flecha">→</span> ${insigniaNivel(x.despues)}</div>` +
      `<div class="porque">Por qué: ${porque}</div></div>`;
  }
  caja.innerHTML = h;
}

async function guardar(confirmado) {
  const texto = $("texto").value;
  try {
    const r = await api("/api/guardar", { archivo: estado.editor.archivo, texto, version: estado.editor.version, confirmar_base: confirmado }, { aceptar: [] });
    estado.editor.guardado = texto;
    estado.editor.version = r.datos.version;
    $("guardar").disabled = true;
    for (const i of document.querySelectorAll(".parametro input.cambiado")) i.classList.remove("cambiado");
    avisar(`Guardado ${estado.editor.archivo}. La versión anterior quedó en ${r.datos.respaldo}.`, true);
    $("editor-estado").textContent = $("editor-estado").textContent.replace("cambios sin guardar · ", "");
    $("impacto").innerHTML = '<p class="suave">Sin cambios respecto del archivo guardado.</p>';
    if ($("reglas").value === estado.editor.archivo && $("datos").value) evaluar();
  } catch (e) {
    if (e.estado === 409 && !confirmado && e.datos && e.datos.confirmar) {
      $("confirmar-texto").textContent = e.message;
      $("confirmar").hidden = false;
    } else {
      avisar(e.message);
    }
  }
}

iniciar();
