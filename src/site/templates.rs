//! The site's templates (`templates/site/*.html.j2`) and assets (`site.css`, `site.js`):
//! built in, each replaceable by the file of the same name in a `--templates` folder.

use std::path::{Path, PathBuf};

use minijinja::value::Kwargs;
use minijinja::{AutoEscape, Environment, State};

use crate::i18n::{tr, Lang};

/// Why a folder of site templates could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SiteTemplateError {
    #[error("{path}: cannot read the template ({source})")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: the template has an error ({source})")]
    Syntax { path: PathBuf, source: minijinja::Error },
}

/// An environment for the site's HTML: every printed value is HTML-escaped unless marked
/// `|safe` (only the SVG charts hrcities draws are), and `t("key", name=value)` prints the
/// catalog's message `key` in the page's language (the context's `lang`).
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html.j2") || name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    // `&`, `<`, `>`, `"` and `'` escaped: enough for text and for the quoted attribute
    // values the templates write (minijinja's default also escapes `/`, which doubles the
    // length of every link and protects nothing here).
    env.set_formatter(|out, state, value| {
        if state.auto_escape() == AutoEscape::Html && !value.is_safe() {
            if value.is_undefined() || value.is_none() {
                return Ok(());
            }
            let text = value.to_string();
            out.write_str(&super::svg::esc(&text)).map_err(minijinja::Error::from)
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_function("t", |state: &State, key: &str, kwargs: Kwargs| {
        let lang = state
            .lookup("lang")
            .and_then(|l| l.as_str().and_then(Lang::from_code))
            .unwrap_or(Lang::En);
        let mut text = tr(lang, key).to_string();
        for arg in kwargs.args() {
            let value: minijinja::Value = kwargs.get(arg)?;
            text = text.replace(&format!("{{{arg}}}"), &value.to_string());
        }
        Ok(text)
    });
    env
}

/// The built-in templates.
pub fn builtin() -> Result<Environment<'static>, SiteTemplateError> {
    let mut env = environment();
    for (name, text) in crate::embedded::SITE_FILES {
        if name.ends_with(".j2") {
            env.add_template(name, text).map_err(|source| SiteTemplateError::Syntax {
                path: PathBuf::from("templates/site").join(name),
                source,
            })?;
        }
    }
    Ok(env)
}

/// The built-in templates, each replaced by the file of the same name in `dir` if there is
/// one.
pub fn from_dir(dir: &Path) -> Result<Environment<'static>, SiteTemplateError> {
    let mut env = builtin()?;
    for (name, _) in crate::embedded::SITE_FILES {
        let path = dir.join(name);
        if !name.ends_with(".j2") || !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|source| SiteTemplateError::Read { path: path.clone(), source })?;
        env.add_template_owned(name.to_string(), text)
            .map_err(|source| SiteTemplateError::Syntax { path, source })?;
    }
    Ok(env)
}

/// The stylesheet and the script, from `dir` where it has them.
pub fn assets(dir: &Option<PathBuf>) -> Vec<(&'static str, String)> {
    crate::embedded::SITE_FILES
        .iter()
        .filter(|(name, _)| !name.ends_with(".j2"))
        .map(|(name, text)| {
            let own = dir.as_ref().and_then(|d| std::fs::read_to_string(d.join(name)).ok());
            (*name, own.unwrap_or_else(|| text.to_string()))
        })
        .collect()
}
