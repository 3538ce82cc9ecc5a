fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut sm = reglas::source::SourceMap::new();
    let id = sm.add(path, text);
    match reglas::syntax::parse(&sm, id) {
        Ok(f) => println!("{:#?}", f.decls.len()),
        Err(ps) => {
            for p in ps.items {
                let r = p.render_with(&sm);
                eprintln!("{:?}", miette::Report::new(r));
            }
        }
    }
}
