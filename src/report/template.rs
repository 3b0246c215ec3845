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

/// Why a folder of templates could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("{path}: cannot read the templates folder ({source})")]
    Folder { path: std::path::PathBuf, source: std::io::Error },
    #[error("{path}: cannot read the template ({source})")]
    Read { path: std::path::PathBuf, source: std::io::Error },
    #[error("{path}: the template has an error ({source})")]
    Syntax { path: std::path::PathBuf, source: minijinja::Error },
}

/// The built-in templates, each replaced by the file of the same name in `dir` if there is
/// one (`*.j2`), so a user may change one template and keep the others.
pub fn from_dir(dir: &std::path::Path) -> Result<Environment<'static>, TemplateError> {
    let syntax = |path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| TemplateError::Syntax { path, source }
    };
    let mut env = builtin().map_err(syntax(dir))?;
    let folder = |source| TemplateError::Folder { path: dir.to_path_buf(), source };
    for entry in std::fs::read_dir(dir).map_err(folder)? {
        let path = entry.map_err(folder)?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        if !name.ends_with(".j2") {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|source| TemplateError::Read { path: path.clone(), source })?;
        env.add_template_owned(name.to_string(), text).map_err(syntax(&path))?;
    }
    Ok(env)
}

/// Writes the built-in templates to `dir` (the reports' and the web site's, with its
/// stylesheet and script), leaving files that already exist unless
/// `force`; returns the files written and those left alone.
pub fn export(
    dir: &std::path::Path,
    force: bool,
) -> std::io::Result<(Vec<std::path::PathBuf>, Vec<std::path::PathBuf>)> {
    std::fs::create_dir_all(dir)?;
    let (mut written, mut kept) = (Vec::new(), Vec::new());
    for (name, text) in crate::embedded::TEMPLATE_FILES.iter().chain(crate::embedded::SITE_FILES) {
        let path = dir.join(name);
        if path.exists() && !force {
            kept.push(path);
        } else {
            crate::export::write_atomic(&path, text.as_bytes())?;
            written.push(path);
        }
    }
    Ok((written, kept))
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
