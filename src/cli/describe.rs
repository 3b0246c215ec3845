//! An error that stops a command, said in the user's language (`--lang`): the errors of the
//! stages are turned into the message catalogue's sentences here, at the edge, where the
//! language is known; an error from the operating system or a library keeps its own words,
//! inside the translated sentence.

use crate::charts::PrepareError;
use crate::framework::FrameworkError;
use crate::i18n::{trf, Lang};
use crate::questionnaire::write::WriteError;
use crate::report::template::TemplateError;
use crate::store::StoreError;

/// `e` and its causes as one line in `lang`.
pub fn describe(e: &anyhow::Error, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        match known(cause, lang) {
            Some(text) => {
                parts.push(text);
                // A known error says its own cause.
                break;
            }
            None => parts.push(cause.to_string()),
        }
    }
    parts.join(": ")
}

/// The sentence for an error of a stage, or `None` for an error of another kind.
fn known(cause: &(dyn std::error::Error + 'static), lang: Lang) -> Option<String> {
    let path = |p: &std::path::Path| p.display().to_string();
    if let Some(e) = cause.downcast_ref::<PrepareError>() {
        return Some(match e {
            PrepareError::Store(s) => store(s, lang),
            PrepareError::Compute(c) => trf(lang, "err.compute", &[("detail", c)]),
        });
    }
    if let Some(e) = cause.downcast_ref::<StoreError>() {
        return Some(store(e, lang));
    }
    if let Some(e) = cause.downcast_ref::<FrameworkError>() {
        return Some(match e {
            FrameworkError::Io { path: p, source } => {
                trf(lang, "err.framework.io", &[("path", &path(p)), ("detail", source)])
            }
            FrameworkError::Empty(p) => trf(lang, "err.framework.empty", &[("path", &path(p))]),
        });
    }
    if let Some(e) = cause.downcast_ref::<WriteError>() {
        return Some(match e {
            WriteError::Xlsx { path: p, source } => {
                trf(lang, "err.questionnaire.write", &[("path", &path(p)), ("detail", source)])
            }
            WriteError::Io { path: p, source } => {
                trf(lang, "err.questionnaire.write", &[("path", &path(p)), ("detail", source)])
            }
            WriteError::Value { path: p, id, reason } => trf(
                lang,
                "err.questionnaire.value",
                &[("path", &path(p)), ("id", id), ("detail", reason)],
            ),
        });
    }
    if let Some(e) = cause.downcast_ref::<TemplateError>() {
        return Some(match e {
            TemplateError::Folder { path: p, source } => {
                trf(lang, "err.templates.folder", &[("path", &path(p)), ("detail", source)])
            }
            TemplateError::Read { path: p, source } => {
                trf(lang, "err.templates.read", &[("path", &path(p)), ("detail", source)])
            }
            TemplateError::Syntax { path: p, source } => {
                trf(lang, "err.templates.syntax", &[("path", &path(p)), ("detail", source)])
            }
        });
    }
    None
}

fn store(e: &StoreError, lang: Lang) -> String {
    let path = |p: &std::path::Path| p.display().to_string();
    match e {
        StoreError::NotFound(p) => trf(lang, "err.store.not_found", &[("path", &path(p))]),
        StoreError::Io { path: p, source } => {
            trf(lang, "err.store.io", &[("path", &path(p)), ("detail", source)])
        }
        StoreError::Table { path: p, source } => {
            trf(lang, "err.store.table", &[("path", &path(p)), ("detail", source)])
        }
        StoreError::Damaged { path: p, message } => {
            trf(lang, "err.store.damaged", &[("path", &path(p)), ("detail", message)])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_errors_speak_the_users_language() {
        let e = anyhow::Error::new(StoreError::NotFound("campaign".into()));
        assert!(describe(&e, Lang::Es).starts_with("no hay ningún almacén en campaign"));
        assert!(describe(&e, Lang::Fr).starts_with("aucun entrepôt dans campaign"));
        let e = anyhow::Error::new(PrepareError::Store(StoreError::NotFound("x".into())));
        assert!(describe(&e, Lang::Es).starts_with("no hay ningún almacén en x"));
        // Other errors keep their words, after the context.
        let e = anyhow::anyhow!("low level").context("outer");
        assert_eq!(describe(&e, Lang::Fr), "outer: low level");
    }
}
