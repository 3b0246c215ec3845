//! minijinja templates that render Typst source. Templates named `*.typ` or `*.typ.j2`
//! escape every printed value for Typst markup unless it is marked `|safe`, so whatever a
//! city wrote prints literally; `|typst_str` escapes a value for the inside of a Typst
//! string literal (`#set document(title: "{{ name|typst_str }}")`).

use minijinja::{AutoEscape, Environment, Value};

use super::escape;

/// The escaping mode of Typst templates.
const TYPST: AutoEscape = AutoEscape::Custom("typst");

/// A template environment with Typst escaping.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".typ") || name.ends_with(".typ.j2") {
            TYPST
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(|out, state, value| {
        if state.auto_escape() == TYPST && !value.is_safe() {
            let text = if value.is_undefined() || value.is_none() {
                String::new()
            } else {
                value.to_string()
            };
            out.write_str(&escape::markup(&text)).map_err(minijinja::Error::from)
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env.add_filter("typst_str", |v: Value| Value::from_safe_string(escape::string(&v.to_string())));
    env
}

/// The environment with the templates built into hrcities (`templates/*.j2`).
pub fn builtin() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = environment();
    for (name, text) in crate::embedded::TEMPLATE_FILES {
        env.add_template(name, text)?;
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_values_are_escaped_for_typst() {
        let mut env = environment();
        env.add_template(
            "t.typ.j2",
            "#set document(title: \"{{ name|typst_str }}\")\n= {{ name }}\n{{ raw|safe }} {{ n }}",
        )
        .unwrap();
        let out = env
            .get_template("t.typ.j2")
            .unwrap()
            .render(minijinja::context! {
                name => "#read(\"/etc/passwd\") *x*",
                raw => "#strong[ok]",
                n => "12,5 %",
            })
            .unwrap();
        assert_eq!(
            out,
            "#set document(title: \"#read(\\\"/etc/passwd\\\") *x*\")\n\
             = \\#read(\\\"\\/etc\\/passwd\\\") \\*x\\*\n#strong[ok] 12,5 %"
        );
    }
}
