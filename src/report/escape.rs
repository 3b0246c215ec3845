//! Text from returns, made safe for Typst: whatever a city wrote prints literally and can
//! never run code, read a file, or change the layout.

/// `text` for Typst markup: every character markup gives a meaning to (`#`, `*`, `_`, `$`,
/// `@`, `<`, `[`, `/`, `=`, `-`, …) is escaped with a backslash, line breaks and tabs become
/// spaces, and other control characters are dropped.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '#' | '*' | '_' | '`' | '$' | '<' | '>' | '@' | '[' | ']' | '{' | '}' | '/'
            | '~' | '-' | '+' | '=' | '.' | ':' | '\'' | '"' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `text` as the inside of a Typst string literal (`"…"`), for code such as
/// `#set document(title: "…")`.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(markup("#read(\"/etc/passwd\")"), "\\#read(\\\"\\/etc\\/passwd\\\")");
        assert_eq!(markup("*x* $y$ <z> @w"), "\\*x\\* \\$y\\$ \\<z\\> \\@w");
        assert_eq!(markup("a\nb\u{0}c"), "a bc");
        assert_eq!(markup("광주광역시"), "광주광역시");
        assert_eq!(string("say \"hi\" \\ bye"), "say \\\"hi\\\" \\\\ bye");
    }
}
