use pest::Parser;
use reglas::syntax::{ReglasParser, Rule};
fn main() {
    pest::set_error_detail(true);
    let text = std::env::args().nth(1).unwrap_or_default();
    if let Err(e) = ReglasParser::parse(Rule::file, &text) {
        println!("{:?}", e.location);
        println!("{:?}", e.variant);
        if let Some(a) = e.parse_attempts() {
            println!("max {}", a.max_position);
            println!("tokens {:?}", a.expected_tokens());
            for s in a.call_stacks() { println!("stack {:?}", s); }
        }
    }
}
