//! What rules mean: three-valued logic, blanks, `aplica si`, quantifiers,
//! division by zero, provisional and undecidable levels, recommendations and
//! group functions. Each case is a small rule file and a CSV in
//! `tests/fixtures/semantica/`, evaluated through the library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use reglas::eval::{CriterioTraza, Dato, Evaluator, Resultado, Tri};

const DIR: &str = "tests/fixtures/semantica";

/// Loads `<name>.reglas`, reads `<name>.csv` and evaluates every row (with
/// the explanation).
fn evaluate(name: &str) -> Vec<Resultado> {
    let rules = format!("{DIR}/{name}.reglas");
    let text = std::fs::read_to_string(&rules).unwrap();
    let loaded = reglas::load::load_text(&rules, text);
    assert!(
        loaded.problems.is_empty(),
        "{rules}: {:#?}",
        loaded.problems
    );
    let program = loaded.program.as_ref().expect("programa");
    let data = format!("{DIR}/{name}.csv");
    let source = reglas::data::open(Path::new(&data), &program.schema, &Default::default())
        .unwrap_or_else(|e| panic!("{data}: {e:?}"));
    let evaluator = Evaluator::new(program);
    source
        .map(|row| {
            assert!(
                row.errors.is_empty(),
                "{data} fila {}: {:?}",
                row.line,
                row.errors
            );
            evaluator.evaluate(&row, true)
        })
        .collect()
}

fn row<'a>(results: &'a [Resultado], code: &str) -> &'a Resultado {
    results
        .iter()
        .find(|r| r.codigo.as_deref() == Some(code))
        .unwrap_or_else(|| panic!("no hay fila {code}"))
}

fn criterion<'a>(r: &'a Resultado, id: &str) -> &'a CriterioTraza {
    let e = r.explicacion.as_ref().expect("explicación");
    e.criterios
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no hay criterio {id}"))
}

fn tri(r: &Resultado, id: &str) -> Tri {
    criterion(r, id).resultado
}

fn value<'a>(r: &'a Resultado, name: &str) -> &'a Dato {
    let e = r.explicacion.as_ref().expect("explicación");
    e.valores
        .iter()
        .find(|d| d.nombre == name)
        .unwrap_or_else(|| panic!("no hay valor {name}"))
}

/// Checks many criteria of one row at once, reporting every mismatch.
fn assert_criteria(results: &[Resultado], code: &str, want: &[(&str, Tri)]) {
    let r = row(results, code);
    let wrong: Vec<String> = want
        .iter()
        .filter(|(id, t)| tri(r, id) != *t)
        .map(|(id, t)| {
            format!(
                "{id}: se esperaba {}, resultó {}",
                t.word(),
                tri(r, id).word()
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{code}:\n  {}", wrong.join("\n  "));
}

use Tri::{No, Unknown as SinDato, Yes as Si};

// ---------------------------------------------------------------- Kleene logic

#[test]
fn no_and_blank_is_no_yes_or_blank_is_yes() {
    let rs = evaluate("logica");
    assert_criteria(
        &rs,
        "NO-Y-VACIO",
        &[
            ("a_y_b", No),
            ("a_o_b", SinDato),
            ("no_a", Si),
            ("a_es_no", Si),
        ],
    );
    assert_criteria(
        &rs,
        "SI-O-VACIO",
        &[
            ("a_y_b", SinDato),
            ("a_o_b", Si),
            ("no_a", No),
            ("a_es_no", No),
        ],
    );
    assert_criteria(&rs, "CERO", &[("a_y_b", No), ("a_o_b", No)]);
    assert_criteria(&rs, "SIETE", &[("a_y_b", Si), ("a_o_b", Si)]);
}

#[test]
fn a_blank_is_never_no_nor_zero() {
    let rs = evaluate("logica");
    assert_criteria(
        &rs,
        "VACIOS",
        &[
            ("a_y_b", SinDato),
            ("a_o_b", SinDato),
            // `no` of a blank is still blank, and a blank is not equal to `no`.
            ("no_a", SinDato),
            ("a_es_no", SinDato),
            ("a_tiene_dato", No),
            ("a_sin_dato", Si),
            // A blank number is not 0 and not less than 1.
            ("n_es_cero", SinDato),
            ("n_menor_que_1", SinDato),
            ("n_al_menos_3", SinDato),
            ("cat_en_rojo_verde", SinDato),
            ("cat_no_en_rojo", SinDato),
            ("cat_es_azul", SinDato),
        ],
    );
    // The real 0 and `no` are data.
    assert_criteria(
        &rs,
        "CERO",
        &[
            ("n_es_cero", Si),
            ("n_menor_que_1", Si),
            ("n_al_menos_3", No),
            ("a_es_no", Si),
            ("a_tiene_dato", Si),
            ("a_sin_dato", No),
        ],
    );
    // In the trace a blank field is null / "sin dato", with the reason.
    let r = row(&rs, "VACIOS");
    let a = criterion(r, "no_a")
        .datos
        .iter()
        .find(|d| d.nombre == "a")
        .unwrap();
    assert_eq!(a.valor, serde_json::Value::Null);
    assert_eq!(a.texto, "sin dato");
    assert_eq!(a.motivo.as_deref(), Some("falta el dato `a`"));
    assert_eq!(
        criterion(r, "no_a").politica_sin_dato.as_deref(),
        Some("sin decidir: falta el dato `a`")
    );
    let zero = criterion(row(&rs, "CERO"), "n_es_cero")
        .datos
        .iter()
        .find(|d| d.nombre == "n")
        .unwrap();
    assert_eq!(zero.valor, serde_json::json!(0.0));
    assert_eq!(zero.texto, "0");
    assert!(zero.motivo.is_none());
}

#[test]
fn categories_in_lists() {
    let rs = evaluate("logica");
    assert_criteria(
        &rs,
        "CERO",
        &[
            ("cat_en_rojo_verde", Si),
            ("cat_no_en_rojo", No),
            ("cat_es_azul", No),
        ],
    );
    assert_criteria(
        &rs,
        "SIETE",
        &[
            ("cat_en_rojo_verde", No),
            ("cat_no_en_rojo", Si),
            ("cat_es_azul", Si),
        ],
    );
    assert_criteria(
        &rs,
        "VACIO-DIEZ",
        &[
            ("cat_en_rojo_verde", Si),
            ("cat_no_en_rojo", Si),
            ("cat_es_azul", No),
        ],
    );
}

/// `(si a entonces n si no 10) >= 5`
#[test]
fn conditional_expression() {
    let rs = evaluate("logica");
    assert_criteria(&rs, "CERO", &[("condicional", Si)]); // a = no → 10
    assert_criteria(&rs, "SIETE", &[("condicional", Si)]); // a = sí → 7
    assert_criteria(&rs, "SI-O-VACIO", &[("condicional", SinDato)]); // a = sí → n, blank
    assert_criteria(&rs, "VACIO-DOS", &[("condicional", SinDato)]); // 2 or 10: unknown
                                                                    // a is blank but both branches give 10: the result does not depend on a.
    assert_criteria(&rs, "VACIO-DIEZ", &[("condicional", Si)]);
}

// ---------------------------------------------------------------- blank policy and `aplica si`

#[test]
fn blank_policy_no_cumple_versus_default() {
    let rs = evaluate("politica");
    let r = row(&rs, "ASOC-VACIO");
    let exigido = criterion(r, "registro_exigido");
    assert_eq!(exigido.resultado, No);
    assert_eq!(
        exigido.politica_sin_dato.as_deref(),
        Some("no cumple: falta el dato `registro`, y este criterio cuenta la falta de dato como no cumplido")
    );
    // The "no cumple" sentence would state data nobody has: the policy line
    // stands in for it.
    assert_eq!(exigido.frase, None);
    for id in ["registro_por_defecto", "registro_sin_decidir"] {
        let c = criterion(r, id);
        assert_eq!(c.resultado, SinDato, "{id}");
        assert_eq!(
            c.politica_sin_dato.as_deref(),
            Some("sin decidir: falta el dato `registro`"),
            "{id}"
        );
        assert!(c.frase.is_none(), "{id}");
    }
    // With the data, the policy plays no part.
    let r = row(&rs, "ASOC-NO");
    for id in [
        "registro_exigido",
        "registro_por_defecto",
        "registro_sin_decidir",
    ] {
        assert_eq!(tri(r, id), No, "{id}");
        assert!(criterion(r, id).politica_sin_dato.is_none(), "{id}");
    }
    // `alto` is excluded for sure, so the level is not provisional.
    assert_eq!(row(&rs, "ASOC-VACIO").nivel.as_deref(), Some("medio"));
    assert!(!row(&rs, "ASOC-VACIO").provisional);
}

#[test]
fn criteria_that_do_not_apply_leave_the_group_count() {
    let rs = evaluate("politica");
    // An association: the cooperative criterion does not apply. Of the two
    // that apply, one is met: 50 % < 60 %. (Counted as met it would be 2 of 3.)
    let r = row(&rs, "ASOC-VACIO");
    let coop = criterion(r, "solo_cooperativas");
    assert!(!coop.aplica);
    // Used directly in a condition, a criterion that does not apply is "sí"
    // (it prevents nothing); only counts leave it out.
    assert_eq!(coop.resultado, Si);
    let g = r
        .explicacion
        .as_ref()
        .unwrap()
        .grupos
        .iter()
        .find(|g| g.id == "g")
        .unwrap();
    assert_eq!(
        (g.cumplidos, g.no_cumplidos, g.sin_dato, g.no_aplican),
        (1, 1, 0, 1)
    );
    assert_eq!(value(r, "cuantos").valor, serde_json::json!(1.0));
    assert_eq!(value(r, "parte").valor, serde_json::json!(50.0));
    assert_eq!(value(r, "parte").texto, "50 %");
    let alto = &r.explicacion.as_ref().unwrap().niveles[0];
    assert_eq!(alto.resultado, No);

    // A cooperative: it applies and is met, 2 of 3.
    let r = row(&rs, "COOP-SI");
    assert!(criterion(r, "solo_cooperativas").aplica);
    assert_eq!(tri(r, "solo_cooperativas"), Si);
    assert_eq!(value(r, "cuantos").valor, serde_json::json!(2.0));
    assert_eq!(r.nivel.as_deref(), Some("alto"));

    // Unknown form: whether it applies is undecided, so the criterion is
    // undecided; 2 of 3 are met anyway, so `al menos 60%` is decided…
    let r = row(&rs, "FORMA-VACIA");
    assert_eq!(tri(r, "solo_cooperativas"), SinDato);
    assert_eq!(r.nivel.as_deref(), Some("alto"));
    assert!(!r.provisional);
    // …but the exact count is not known.
    assert_eq!(value(r, "cuantos").valor, serde_json::Value::Null);
    assert_eq!(value(r, "parte").valor, serde_json::Value::Null);
}

// ---------------------------------------------------------------- quantifiers

#[test]
fn at_least_n_of_a_list_with_blanks() {
    let rs = evaluate("cuantificadores");
    assert_criteria(&rs, "SI-SI-VACIO", &[("dos_de_tres", Si)]); // already 2
    assert_criteria(&rs, "SI-VACIO-VACIO", &[("dos_de_tres", SinDato)]); // 1, maybe 3
    assert_criteria(&rs, "NO-NO-VACIO", &[("dos_de_tres", No)]); // at most 1
    assert_criteria(&rs, "NO-VACIO", &[("dos_de_tres", SinDato)]); // 0, maybe 2
    assert_criteria(&rs, "TODOS-SI", &[("dos_de_tres", Si)]);
    assert_criteria(&rs, "TODOS-NO", &[("dos_de_tres", No)]);
}

#[test]
fn at_least_a_share_of_a_group_with_blanks() {
    // 60 % of 5 criteria: 3 are needed.
    let rs = evaluate("cuantificadores");
    assert_criteria(&rs, "SI-SI-VACIO", &[("sesenta_por_ciento", Si)]); // 3 met, 2 unknown
    assert_criteria(&rs, "SI-VACIO-VACIO", &[("sesenta_por_ciento", SinDato)]); // 2 met, 1 no, 2 unknown
    assert_criteria(&rs, "NO-NO-VACIO", &[("sesenta_por_ciento", No)]); // 1 met, 1 unknown
    assert_criteria(&rs, "NO-VACIO", &[("sesenta_por_ciento", SinDato)]); // 0 met, 4 unknown
    assert_criteria(&rs, "TODOS-SI", &[("sesenta_por_ciento", Si)]);
    assert_criteria(&rs, "TODOS-NO", &[("sesenta_por_ciento", No)]);
}

#[test]
fn all_of_and_none_of() {
    let rs = evaluate("cuantificadores");
    assert_criteria(
        &rs,
        "SI-SI-VACIO",
        &[
            ("todos_abc", SinDato),
            ("ninguno_abc", No),
            ("todo_el_grupo", SinDato),
        ],
    );
    assert_criteria(
        &rs,
        "SI-VACIO-VACIO",
        &[
            ("todos_abc", SinDato),
            ("ninguno_abc", No),
            ("todo_el_grupo", No),
        ],
    );
    assert_criteria(
        &rs,
        "NO-NO-VACIO",
        &[
            ("todos_abc", No),
            ("ninguno_abc", SinDato),
            ("todo_el_grupo", No),
        ],
    );
    assert_criteria(
        &rs,
        "TODOS-SI",
        &[
            ("todos_abc", Si),
            ("ninguno_abc", No),
            ("todo_el_grupo", Si),
        ],
    );
    assert_criteria(
        &rs,
        "TODOS-NO",
        &[
            ("todos_abc", No),
            ("ninguno_abc", Si),
            ("todo_el_grupo", No),
        ],
    );
    assert_criteria(
        &rs,
        "NO-VACIO",
        &[("todos_abc", No), ("ninguno_abc", SinDato)],
    );
}

// ---------------------------------------------------------------- division by zero

#[test]
fn division_by_zero_is_blank_with_its_reason() {
    let rs = evaluate("division");
    let r = row(&rs, "CERO-SOCIOS");
    for name in ["proporcion_socias", "participacion"] {
        let v = value(r, name);
        assert_eq!(v.valor, serde_json::Value::Null, "{name}");
        assert_eq!(v.texto, "sin dato", "{name}");
        let why = v.motivo.as_deref().unwrap_or_default();
        assert_eq!(
            why, "no se puede calcular: la organización registra 0 en `socios`",
            "{name}"
        );
    }
    // The reason reaches the criterion: what is 0, in words.
    let c = criterion(r, "mitad_mujeres");
    assert_eq!(c.resultado, SinDato);
    assert_eq!(
        c.politica_sin_dato.as_deref(),
        Some("sin decidir: no se puede calcular: la organización registra 0 en `socios`")
    );
    // No explanation says "división por cero" to a user.
    let brief = reglas::render::brief::brief(r);
    let short = reglas::render::brief::brief_text(&brief, &[]);
    let full = reglas::render::explanation::explain(r);
    for text in [&short, &full] {
        assert!(!text.contains("una división por cero"), "{text}");
    }
    assert!(
        short.contains("la organización registra 0 en `socios`"),
        "{short}"
    );
    // No level can be decided, and no field is missing: the data is there.
    assert_eq!(r.nivel, None);
    assert!(r.provisional);
    assert_eq!(r.posibles, ["paritaria", "otra"]);
    assert!(r.faltan.is_empty(), "{:?}", r.faltan);

    let r = row(&rs, "DIEZ-SOCIOS");
    assert_eq!(value(r, "proporcion_socias").valor, serde_json::json!(0.5));
    assert_eq!(value(r, "proporcion_socias").texto, "0,5");
    assert_eq!(value(r, "participacion").texto, "50 %");
    assert_eq!(r.nivel.as_deref(), Some("paritaria"));

    // A blank divisor is a missing datum, not a division by zero.
    let r = row(&rs, "SIN-SOCIOS");
    assert_eq!(
        value(r, "proporcion_socias").motivo.as_deref(),
        Some("falta el dato `socios`")
    );
    assert_eq!(r.faltan, ["socios"]);
}

// ---------------------------------------------------------------- levels

#[test]
fn decided_level() {
    let rs = evaluate("niveles");
    let r = row(&rs, "ALTO");
    assert_eq!(r.nivel.as_deref(), Some("alto"));
    assert_eq!(r.nivel_titulo.as_deref(), Some("Nivel alto"));
    assert_eq!(r.nombre.as_deref(), Some("Organización Ñandú"));
    assert!(!r.provisional);
    assert_eq!(r.posibles, ["alto"]);
    assert!(r.faltan.is_empty());
    let r = row(&rs, "BAJO");
    assert_eq!(r.nivel.as_deref(), Some("bajo"));
    assert!(!r.provisional);
    assert_eq!(r.posibles, ["bajo"]);
}

#[test]
fn provisional_level_says_what_is_missing() {
    let rs = evaluate("niveles");
    let r = row(&rs, "ALTO-PROV");
    // `alto` is undecided (w blank); `medio` holds for sure.
    assert_eq!(r.nivel.as_deref(), Some("medio"));
    assert!(r.provisional);
    assert_eq!(r.posibles, ["alto", "medio"]);
    assert_eq!(r.faltan, ["w"]);
    let niveles = &r.explicacion.as_ref().unwrap().niveles;
    let results: Vec<Tri> = niveles.iter().map(|n| n.resultado).collect();
    assert_eq!(results[..2], [SinDato, Si]);
}

#[test]
fn no_level_when_the_catch_all_cannot_be_decided() {
    let rs = evaluate("niveles");
    let r = row(&rs, "NINGUNO");
    assert_eq!(r.nivel, None);
    assert_eq!(r.nivel_titulo, None);
    assert!(r.provisional);
    // `alto` is excluded for sure (w = no); `medio` depends on x.
    assert_eq!(r.posibles, ["medio", "bajo"]);
    assert_eq!(r.faltan, ["x"]);
    let json = serde_json::to_value(r).unwrap();
    assert_eq!(json["nivel"], serde_json::Value::Null);
}

#[test]
fn recommendations_for_the_level_and_for_unmet_criteria() {
    let rs = evaluate("niveles");
    let ids = |code: &str| -> Vec<String> {
        row(&rs, code)
            .recomendaciones
            .iter()
            .map(|r| r.id.clone())
            .collect()
    };
    // Level recommendation only; every criterion is met.
    assert_eq!(ids("ALTO"), ["para_alto"]);
    // `medio` has none; cz is not met (z = no); cw is undecided: no
    // recommendation for it, but the blank is to be completed first.
    assert_eq!(ids("ALTO-PROV"), ["completar_ficha", "lograr_z"]);
    // No level: complete the survey, then the criteria that are not met.
    assert_eq!(ids("NINGUNO"), ["completar_ficha", "lograr_w", "lograr_z"]);
    // cz undecided (z blank): no recommendation for it.
    assert_eq!(ids("BAJO"), ["para_bajo"]);
    assert_eq!(ids("PUNTOS"), ["lograr_w"]);

    let r = row(&rs, "NINGUNO");
    let w = &r.recomendaciones[1];
    assert_eq!(w.motivo, "no cumple «Cumple w»");
    assert_eq!(w.seccion.as_deref(), Some("3.1"));
    assert_eq!(w.texto, "Trabajar en w.");
    assert!(w.lugar.starts_with("niveles.reglas:"), "{}", w.lugar);
    assert_eq!(
        row(&rs, "BAJO").recomendaciones[0].motivo,
        "nivel «Nivel bajo»"
    );
}

#[test]
fn score_count_and_share_of_a_group() {
    let rs = evaluate("niveles");
    // cx (3 points), cw (1.5) and cz (1) met.
    let r = row(&rs, "ALTO");
    assert_eq!(value(r, "puntos_h").valor, serde_json::json!(5.5));
    assert_eq!(value(r, "puntos_h").texto, "5,5");
    assert_eq!(value(r, "cumplidos_h").valor, serde_json::json!(3.0));
    assert_eq!(value(r, "proporcion_h").texto, "100 %");
    // cx and cz met, cw not: 4 points, 2 of 3.
    let r = row(&rs, "PUNTOS");
    assert_eq!(value(r, "puntos_h").valor, serde_json::json!(4.0));
    assert_eq!(value(r, "cumplidos_h").valor, serde_json::json!(2.0));
    assert_eq!(value(r, "proporcion_h").texto, "66,67 %");
    assert_eq!(tri(r, "puntaje_alto"), No);
    assert_eq!(r.nivel.as_deref(), Some("medio"));
    // An undecided member makes them unknown.
    let r = row(&rs, "ALTO-PROV");
    for name in ["puntos_h", "cumplidos_h", "proporcion_h"] {
        assert_eq!(value(r, name).valor, serde_json::Value::Null, "{name}");
    }
    assert_eq!(tri(r, "puntaje_alto"), SinDato);
}

#[test]
fn criterion_sentences_fill_in_the_values() {
    let rs = evaluate("niveles");
    assert_eq!(
        criterion(row(&rs, "ALTO"), "cx").frase.as_deref(),
        Some("x es sí.")
    );
    assert_eq!(
        criterion(row(&rs, "PUNTOS"), "cw").frase.as_deref(),
        Some("w es no, se espera sí.")
    );
    // Undecided: no sentence.
    assert_eq!(criterion(row(&rs, "ALTO-PROV"), "cw").frase, None);
}

/// Evaluation without the trace gives the same decision.
#[test]
fn trace_does_not_change_the_decision() {
    let rules = format!("{DIR}/niveles.reglas");
    let loaded = reglas::load::load_text(&rules, std::fs::read_to_string(&rules).unwrap());
    let program = loaded.program.unwrap();
    let evaluator = Evaluator::new(&program);
    let source = reglas::data::open(
        Path::new(&format!("{DIR}/niveles.csv")),
        &program.schema,
        &Default::default(),
    )
    .unwrap();
    for row in source {
        let with = evaluator.evaluate(&row, true);
        let without = evaluator.evaluate(&row, false);
        assert!(without.explicacion.is_none());
        assert_eq!(with.nivel, without.nivel);
        assert_eq!(with.provisional, without.provisional);
        assert_eq!(with.posibles, without.posibles);
        assert_eq!(with.faltan, without.faltan);
        let ids = |r: &Resultado| {
            r.recomendaciones
                .iter()
                .map(|x| x.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&with), ids(&without));
    }
}

// ---------------------------------------------------------------- whole results

/// Three representative results in full, as the JSON the users get.
#[test]
fn whole_results() {
    let niveles = evaluate("niveles");
    insta::assert_json_snapshot!("resultado__provisional", row(&niveles, "ALTO-PROV"));
    let division = evaluate("division");
    insta::assert_json_snapshot!(
        "resultado__division_por_cero",
        row(&division, "CERO-SOCIOS")
    );
    let politica = evaluate("politica");
    insta::assert_json_snapshot!(
        "resultado__no_aplica_y_sin_dato",
        row(&politica, "ASOC-VACIO")
    );
}

#[test]
fn a_multiple_choice_text_in_a_list_of_options() {
    let rs = evaluate("opcion_multiple");
    // A: «credito capacitacion»; B: «comercializacion»; C: blank;
    // D: «Capacitacion comercializacion» (any case); E: «credito».
    let got: Vec<(Tri, Tri)> = ["A", "B", "C", "D", "E"]
        .iter()
        .map(|c| {
            let r = row(&rs, c);
            (tri(r, "con_credito"), tri(r, "sin_comercializacion"))
        })
        .collect();
    assert_eq!(
        got,
        [
            (Tri::Yes, Tri::Yes),
            (Tri::No, Tri::No),
            (Tri::Unknown, Tri::Unknown),
            (Tri::Yes, Tri::No),
            (Tri::Yes, Tri::Yes),
        ]
    );
    assert_eq!(row(&rs, "A").nivel.as_deref(), Some("apoyada"));
    assert_eq!(row(&rs, "D").nivel.as_deref(), Some("otra"));
}

#[test]
fn a_tolerated_failure_is_named_and_the_level_holds() {
    let rs = evaluate("escalera");
    let r = row(&rs, "TOLERA-UNA");
    assert_eq!(r.nivel.as_deref(), Some("alto"));
    let e = r.explicacion.as_ref().unwrap();
    assert_eq!(e.niveles[0].tolerados, vec!["cb".to_string()]);
    let text = reglas::render::explanation::explain(r);
    assert!(text.contains("Se tolera: b (cb)"), "{text}");
    // Also in the short view, right under the verdict.
    let brief = reglas::render::brief::brief(r);
    assert_eq!(
        brief.tolerados.as_deref(),
        Some("Se tolera: «b» (no se cumple, pero el nivel lo admite).")
    );
    let short = reglas::render::brief::brief_text(&brief, &[]);
    assert!(
        short.lines().nth(2).unwrap().starts_with("Se tolera: «b»"),
        "{short}"
    );
    // Two failures are more than `tolera 1`: one level down, never two.
    assert_eq!(row(&rs, "DOS-FALTAS").nivel.as_deref(), Some("medio"));
    // Nothing tolerated, nothing said.
    let todo = row(&rs, "TODO");
    assert!(todo.explicacion.as_ref().unwrap().niveles[0]
        .tolerados
        .is_empty());
}

#[test]
fn a_required_level_is_part_of_the_level_above() {
    let rs = evaluate("escalera");
    // `alto` holds on its own clause, but not `medio`, which it requires.
    let r = row(&rs, "SIN-BASE");
    assert_eq!(r.nivel.as_deref(), Some("bajo"));
    let e = r.explicacion.as_ref().unwrap();
    assert_eq!(e.niveles[0].resultado, No);
    assert!(e.niveles[0].condicion.starts_with("nivel medio y "));
    assert!(e.niveles[0].criterios.contains(&"cbase".to_string()));
}

#[test]
fn unknown_applicability_is_undecided_even_when_blanks_fail() {
    let rs = evaluate("escalera");
    // Blank legal form: whether `inscrita` applies is unknown. Its
    // "si falta dato: no cumple" does not turn that into a failure.
    let r = row(&rs, "FORMA-VACIA");
    assert_eq!(tri(r, "inscrita"), SinDato);
    assert_eq!(r.nivel.as_deref(), Some("medio"));
    assert!(r.provisional);
    assert_eq!(r.posibles, vec!["alto".to_string(), "medio".to_string()]);
    assert!(
        !r.recomendaciones.iter().any(|x| x.id == "inscribir"),
        "{:?}",
        r.recomendaciones
    );
    // A cooperative with the register blank: it applies, and the policy
    // counts the blank as not met.
    let r = row(&rs, "COOP-VACIA");
    assert_eq!(tri(r, "inscrita"), No);
    assert!(r.recomendaciones.iter().any(|x| x.id == "inscribir"));
}

#[test]
fn conditional_recommendations_only_where_the_condition_holds() {
    let rs = evaluate("escalera");
    let ids = |code: &str| -> Vec<String> {
        row(&rs, code)
            .recomendaciones
            .iter()
            .map(|r| r.id.clone())
            .collect()
    };
    assert_eq!(ids("TODO"), vec!["consolidar_certificaciones".to_string()]);
    assert_eq!(ids("TOLERA-UNA"), vec!["certificar".to_string()]);
    // Unknown condition: neither is given.
    assert!(ids("CERT-VACIO").is_empty());
    let r = row(&rs, "TOLERA-UNA");
    assert_eq!(
        r.recomendaciones[0].motivo,
        "nivel «Alto», si certificaciones = 0"
    );
}

// ---------------------------------------------------------------- fragility

#[test]
fn fragile_only_when_one_answer_changes_the_whole_condition() {
    let rs = evaluate("fragilidad");
    let fragil = |code: &str| row(&rs, code).fragil.clone().expect("fragil");

    // One certification and an image, seeking support with one alliance:
    // one certification or alliance less leaves the other branch of the
    // `o` standing. Fifteen members are far from ten. Nothing is fragile.
    let f = fragil("OTRA-RAMA");
    assert_eq!(row(&rs, "OTRA-RAMA").nivel.as_deref(), Some("alto"));
    assert!(f.margen.is_empty(), "{f:?}");
    assert!(f.cambios.is_empty(), "{f:?}");

    // Without the image and without seeking support, each rests on one
    // unit: one answer less drops the level, and the answer is named.
    let f = fragil("JUSTO");
    assert_eq!(
        f.margen,
        ["diferenciados", "apoyo", "grande"].map(String::from)
    );
    let answers: Vec<(&str, &str, &str, Option<&str>)> = f
        .cambios
        .iter()
        .map(|c| {
            (
                c.campo.as_str(),
                c.ahora.as_str(),
                c.seria.as_str(),
                c.nivel.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        answers,
        [
            ("certificaciones", "1", "0", Some("bajo")),
            ("alianzas", "1", "0", Some("bajo")),
            ("socios_total", "10", "9", Some("bajo")),
        ]
    );
    let brief = reglas::render::brief::brief(row(&rs, "JUSTO"));
    assert_eq!(
        brief.fragil[2],
        "Con `socios_total` («Número total de socios») = 9 (ahora 10), sería «Bajo»: cambiaría «Al menos 10 socios»."
    );

    // Far from every threshold.
    let f = fragil("LEJOS");
    assert!(f.margen.is_empty() && f.cambios.is_empty(), "{f:?}");

    // Below: one answer more lifts it, and that is said too.
    let f = fragil("ABAJO");
    assert_eq!(row(&rs, "ABAJO").nivel.as_deref(), Some("bajo"));
    let up: Vec<&str> = f
        .cambios
        .iter()
        .filter(|c| c.nivel.is_some())
        .map(|c| c.campo.as_str())
        .collect();
    assert!(up.is_empty(), "two answers are missing, not one: {f:?}");
    assert_eq!(f.margen, ["diferenciados", "grande"].map(String::from));
}

#[test]
fn a_provisional_result_has_one_header_and_its_level_recommendations() {
    let rs = evaluate("escalera");
    let r = row(&rs, "FORMA-VACIA");
    assert!(r.provisional);
    let brief = reglas::render::brief::brief(r);
    assert!(
        brief.veredicto.starts_with("Provisional: es al menos «"),
        "{}",
        brief.veredicto
    );
    assert!(
        brief.veredicto.contains("Faltan estos datos: `forma`"),
        "{}",
        brief.veredicto
    );
    // The short view says it once; the full view starts with the same line.
    let short = reglas::render::brief::brief_text(&brief, &[]);
    let full = reglas::render::explanation::explain(r);
    assert_eq!(short.matches("Provisional").count(), 1, "{short}");
    assert_eq!(full.lines().nth(1), Some(brief.veredicto.as_str()));
    assert!(!full.contains("no se puede decidir"), "{full}");
}

// ---------------------------------------------------------------- category labels

#[test]
fn category_labels_are_read_and_shown_names_stay_in_json() {
    let rs = evaluate("etiquetas");
    let region = |code: &str| {
        let d = value_of_field(row(&rs, code), "region");
        (d.valor.clone(), d.texto.clone())
    };
    // The name or the label, any case, with or without accents.
    for code in ["NOMBRE", "ETIQUETA", "SIN-TILDE"] {
        assert_eq!(row(&rs, code).nivel.as_deref(), Some("a"), "{code}");
        assert_eq!(
            region(code),
            (serde_json::json!("amboro"), "Amboró".to_string())
        );
    }
    for code in ["ETIQUETA-NORTE", "NOMBRE-NORTE"] {
        assert_eq!(
            region(code),
            (
                serde_json::json!("norte_integrado"),
                "Norte Integrado".to_string()
            )
        );
    }
    // Without a label, the name is what people read.
    assert_eq!(
        region("SIN-ETIQUETA"),
        (serde_json::json!("chaco"), "chaco".to_string())
    );
    // The criterion's sentence and the explanation use the label.
    assert_eq!(
        criterion(row(&rs, "NOMBRE"), "en_amboro").frase.as_deref(),
        Some("Región: Amboró.")
    );
}

/// A field as the criteria's traces show it.
fn value_of_field<'a>(r: &'a Resultado, name: &str) -> &'a Dato {
    let e = r.explicacion.as_ref().expect("explicación");
    e.criterios
        .iter()
        .flat_map(|c| c.datos.iter())
        .find(|d| d.nombre == name)
        .unwrap_or_else(|| panic!("no hay dato {name}"))
}
