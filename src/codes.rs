//! The catalogue of diagnostic codes. Each code is stable (users search for it)
//! and documented in `docs/errores.md`; a test checks that every code listed
//! here appears there.

macro_rules! codes {
    ($($variant:ident => $code:literal, $summary:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        pub enum Code { $($variant),* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as shown to users, e.g. `reglas::sintaxis`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),* }
            }

            /// One line in Spanish saying what the code means.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary),* }
            }
        }
    };
}

codes! {
    Syntax => "reglas::sintaxis", "El texto no sigue la forma del lenguaje.";
    Nesting => "reglas::anidamiento", "Demasiados paréntesis o condiciones anidadas.";
    NotUtf8 => "reglas::codificacion", "El archivo de reglas no está en UTF-8.";
    EmptyFile => "reglas::archivo_vacio", "El archivo de reglas está vacío.";
    FileNotFound => "reglas::archivo", "No se pudo leer el archivo de reglas.";
    RepeatedClause => "reglas::clausula_repetida", "Una cláusula aparece dos veces en la misma declaración.";
    Duplicate => "reglas::duplicado", "Dos declaraciones con el mismo nombre.";
    UnknownName => "reglas::nombre_desconocido", "Se usa un nombre que no está declarado.";
    WrongKind => "reglas::tipo_de_nombre", "Un nombre se usa donde se espera otra clase de declaración.";
    TypeMismatch => "reglas::tipos", "Se combinan valores de tipos que no son compatibles.";
    UnknownCategory => "reglas::categoria_desconocida", "Un valor de categoría que no está en la lista del campo.";
    NotConstant => "reglas::parametro_no_constante", "Un parámetro depende de los datos.";
    Cycle => "reglas::ciclo", "Valores o criterios que dependen de sí mismos.";
    MissingCondition => "reglas::falta_condicion", "Un criterio o nivel sin condición.";
    NoCatchAll => "reglas::falta_en_otro_caso", "La lista de niveles no termina con un nivel `en otro caso`.";
    CatchAllNotLast => "reglas::en_otro_caso_no_es_ultimo", "Un nivel `en otro caso` que no es el último.";
    NoLevels => "reglas::sin_niveles", "El archivo no declara niveles.";
    BadTarget => "reglas::destino_desconocido", "Una recomendación para un nivel o criterio que no existe.";
    UnknownFunction => "reglas::funcion_desconocida", "Una función que el lenguaje no conoce.";
    Arity => "reglas::argumentos", "Una función con un número de argumentos equivocado.";
    Placeholder => "reglas::marcador", "Un `{nombre}` en una frase que no corresponde a nada declarado.";
    MissingCodeField => "reglas::falta_codigo", "El archivo no declara el campo `codigo`.";
    BadQuantity => "reglas::cantidad", "La cantidad de `al menos N de` no es válida.";
    ExampleData => "reglas::datos_de_ejemplo", "Los datos de un `ejemplo` no podrían venir en una planilla (un campo mayor que su `máximo`).";
    NoBase => "reglas::sin_base", "`cambia` o `quita` en un archivo que no está `basado en` otro.";
    OverrideMissing => "reglas::cambia_inexistente", "`cambia` o `quita` de algo que el archivo base no declara.";
    Redefined => "reglas::redefinido", "Un nombre del archivo base declarado otra vez sin `cambia`.";
    BaseFile => "reglas::archivo_base", "El archivo base no se puede leer, o los archivos se basan unos en otros en círculo.";
    UnusedField => "reglas::campo_sin_uso", "Un campo declarado que ninguna regla usa.";
    UnusedParam => "reglas::parametro_sin_uso", "Un parámetro declarado que ninguna regla usa.";
    UnusedValue => "reglas::valor_sin_uso", "Un valor derivado que ninguna regla usa.";
    UnusedCriterion => "reglas::criterio_sin_uso", "Un criterio que no usa ningún nivel ni está en un grupo usado.";
    UnusedGroup => "reglas::grupo_sin_uso", "Un grupo que ningún nivel ni criterio usa.";
    ConstantCriterion => "reglas::criterio_constante", "Un criterio que, con los tipos y categorías declarados, siempre se cumple o nunca se cumple.";
    LadderNotNested => "reglas::escalera_no_anidada", "Un nivel que se puede cumplir sin cumplir el nivel que le sigue: la escalera no está anidada.";
    UnreachableLevel => "reglas::nivel_inalcanzable", "Un nivel al que ninguna organización puede llegar, porque un nivel anterior se cumple siempre antes.";
    Bands => "reglas::tramos", "Tramos de un mismo valor con huecos (valores que no caen en ningún tramo) o que se superponen.";
    PercentAsFraction => "reglas::porcentaje_como_fraccion", "Se compara un porcentaje con una fracción como 0.6, que significa 0,6 % y no 60 %.";
    ParamWithoutPercent => "reglas::parametro_sin_porcentaje", "Un parámetro escrito sin `%` que se compara con porcentajes.";
    PercentOver100 => "reglas::porcentaje_mayor_a_100", "Se compara un porcentaje con un número mayor que 100.";
    BadOption => "reglas::opcion", "Una opción de la línea de comandos que no existe, le falta su valor, tiene un valor que no sirve o no va con las demás.";
    Variants => "reglas::variantes", "Las variantes regionales de `--variantes` no se pueden usar: la carpeta no existe o no tiene reglas, un archivo no corresponde a una región, no está basado en el archivo general o cambia sus niveles.";
    Output => "reglas::salida", "No se pudo escribir el resultado: la carpeta no existe, no hay permiso, el disco está lleno, o el destino es un archivo que no se debe sobrescribir.";
    InputFile => "reglas::entrada", "Un archivo auxiliar (registro de correcciones, casos de prueba) o una organización pedida que no se puede leer o no está.";
    ConfusableName => "reglas::nombre_confuso", "Un nombre con letras de otro alfabeto (cirílico, griego) que se ven iguales a las latinas.";
}
