//! The command line: global options, one file per subcommand. Commands are thin: they
//! parse arguments, call a stage and print.

/// `println!` that returns the write's error instead of panicking, so that a command whose
/// reader has gone away (`hrcities framework list | head`) stops quietly: `main` turns a
/// broken pipe into exit status 0.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `print!` that returns the write's error; see [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}

pub mod charts;
pub mod compute;
pub mod describe;
pub mod framework;
pub mod ingest;
pub mod manifest;
pub mod pledges;
pub mod questionnaire;
pub mod recommendations;
pub mod report;
pub mod run;
pub mod site;
pub mod status;
pub mod store;
pub mod validate;

use std::path::PathBuf;
use std::process::ExitCode as StdExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::framework::{Framework, Loaded};
use crate::i18n::{trf, Lang};

/// hrcities — human-rights indicators for the UCLG campaign
/// "10, 100, 1,000 Human Rights Cities & Territories by 2030".
///
/// Cities fill in a yearly questionnaire workbook; hrcities checks the returned workbooks,
/// computes implementation indicators (OHCHR structural, process and outcome) mapped to
/// the UN treaties, the SDGs and UCLG's Global Charter-Agenda, and makes charts and
/// reports in English, Spanish and French.
///
/// Start with:  hrcities framework list
#[derive(Debug, Parser)]
#[command(name = "hrcities", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use the indicator framework in DIR instead of the one built into hrcities
    /// (a copy of the `indicators/` folder, changed for your campaign).
    #[arg(long, global = true, value_name = "DIR")]
    pub framework: Option<PathBuf>,

    /// Language of messages, labels and reports; `run` and `demo` write reports in each
    /// language of a list (`--lang en,es,fr`), other commands use the first.
    #[arg(long, global = true, value_enum, value_delimiter = ',', default_value = "en")]
    pub lang: Vec<Lang>,

    /// Output format where the output is a table.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more detail (e.g. framework warnings).
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Refuse a return larger than this, in megabytes.
    #[arg(long, global = true, value_name = "MB", default_value_t = 50)]
    pub max_file_mb: u64,

    /// Refuse a zipped workbook (.xlsx, .ods, …) whose parts unzip to more than this, in
    /// megabytes (a "zip bomb").
    #[arg(long, global = true, value_name = "MB", default_value_t = 256)]
    pub max_unzipped_mb: u64,

    /// Refuse a sheet whose filled cells span more cells than this (rows × columns).
    #[arg(long, global = true, value_name = "N", default_value_t = 2_000_000)]
    pub max_cells: u64,
}

/// How tables are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for people (also `table`).
    #[value(alias = "table")]
    Text,
    /// JSON for programs.
    Json,
    /// CSV for spreadsheets (where the command writes a table).
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Framework(framework::Args),
    /// Write the questionnaire workbook cities fill in (.xlsx, in --lang).
    Questionnaire(questionnaire::Args),
    Validate(validate::Args),
    Ingest(ingest::Args),
    Store(store::Args),
    /// Import UN human-rights recommendations (UHRI exports) and list them.
    #[command(subcommand_required = true)]
    Recommendations(recommendations::Args),
    /// Keep the campaign's pledge register: import it and list it.
    #[command(subcommand_required = true)]
    Pledges(pledges::Args),
    Status(status::Args),
    Compute(compute::Args),
    Charts(charts::Args),
    Report(report::Args),
    Run(run::Args),
    Site(site::Args),
    Demo(run::DemoArgs),
    Templates(report::TemplatesArgs),
}

/// Where the campaign store is (shared by the commands that use it).
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// The store folder.
    #[arg(long, value_name = "DIR", default_value = "hrcities-data")]
    pub store: PathBuf,
}

/// How a command ended; turned into the process exit status (Contract 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 0: all went well.
    Success,
    /// 1: the command failed (e.g. the framework has errors).
    Failure,
    /// 3: the run finished but some returns had errors.
    ReturnsHaveErrors,
}

impl From<Outcome> for StdExitCode {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Success => StdExitCode::SUCCESS,
            Outcome::Failure => StdExitCode::from(1),
            Outcome::ReturnsHaveErrors => StdExitCode::from(3),
        }
    }
}

impl Command {
    /// The name of a command that writes files (and so has a JSON manifest), or `None`.
    fn writer_name(&self) -> Option<&'static str> {
        Some(match self {
            Command::Ingest(_) => "ingest",
            Command::Compute(_) => "compute",
            Command::Charts(_) => "charts",
            Command::Report(_) => "report",
            Command::Run(_) => "run",
            Command::Site(_) => "site",
            Command::Demo(_) => "demo",
            _ => return None,
        })
    }
}

/// Runs the command `cli` describes. With `--format json`, a command that writes files
/// prints a JSON manifest of what it did on stdout ([`manifest`]), also when it fails.
pub fn dispatch(cli: &Cli) -> anyhow::Result<Outcome> {
    let g = &cli.global;
    let manifest_of = cli.command.writer_name().filter(|_| g.format == Format::Json);
    if manifest_of.is_some() {
        crate::export::record_written();
    }
    let result: anyhow::Result<manifest::Done> = match &cli.command {
        Command::Framework(args) => framework::run(args, g).map(Into::into),
        Command::Questionnaire(args) => questionnaire::run(args, g).map(Into::into),
        Command::Validate(args) => validate::run(args, g).map(Into::into),
        Command::Store(args) => store::run(args, g).map(Into::into),
        Command::Recommendations(args) => recommendations::run(args, g).map(Into::into),
        Command::Pledges(args) => pledges::run(args, g).map(Into::into),
        Command::Status(args) => status::run(args, g).map(Into::into),
        Command::Templates(args) => report::templates(args, g).map(Into::into),
        Command::Ingest(args) => ingest::run(args, g),
        Command::Compute(args) => compute::run(args, g),
        Command::Charts(args) => charts::run(args, g),
        Command::Report(args) => report::run(args, g),
        Command::Run(args) => run::run(args, g),
        Command::Site(args) => site::run(args, g),
        Command::Demo(args) => run::demo(args, g),
    };
    if let Some(name) = manifest_of {
        let manifest = manifest::manifest(name, &result, crate::export::take_written());
        outln!("{}", serde_json::to_string_pretty(&manifest)?)?;
    }
    result.map(|done| done.outcome)
}

impl GlobalArgs {
    /// Prints a line for people: on stdout, or on stderr when stdout carries JSON
    /// (`--format json`), or nowhere with `-q`.
    pub fn say(&self, line: impl std::fmt::Display) -> std::io::Result<()> {
        if self.quiet {
            Ok(())
        } else if self.format == Format::Json {
            use std::io::Write as _;
            writeln!(std::io::stderr().lock(), "{line}")
        } else {
            outln!("{line}")
        }
    }

    /// Prints Typst's warnings on the reports `reporter` compiled, on stderr.
    pub fn report_warnings(&self, reporter: &crate::report::Reporter<'_>) {
        for (warning, n) in reporter.warnings() {
            eprintln!(
                "{}",
                trf(self.lang(), "cli.typst_warning", &[("warning", &warning), ("n", &n)])
            );
        }
    }

    /// "`path`: cannot write", in the language of messages (a context for errors).
    pub fn cannot_write(&self, path: &std::path::Path) -> String {
        trf(self.lang(), "err.cannot_write", &[("path", &path.display())])
    }

    /// "`path`: cannot make the folder", in the language of messages.
    pub fn cannot_make(&self, path: &std::path::Path) -> String {
        trf(self.lang(), "err.cannot_make_folder", &[("path", &path.display())])
    }

    /// The language of messages (the first of `--lang`).
    pub fn lang(&self) -> Lang {
        self.lang.first().copied().unwrap_or(Lang::En)
    }

    /// The limits returns are read within.
    pub fn limits(&self) -> crate::questionnaire::limits::Limits {
        use crate::questionnaire::limits::{Limits, MB};
        Limits {
            file_bytes: self.max_file_mb.saturating_mul(MB),
            unzipped_bytes: self.max_unzipped_mb.saturating_mul(MB),
            cells: self.max_cells,
        }
    }

    /// Reads the framework (`--framework DIR` or the embedded one) without judging it.
    pub fn load_framework(&self) -> anyhow::Result<Loaded> {
        Ok(match &self.framework {
            Some(dir) => crate::framework::load_dir(dir, self.lang())?,
            None => crate::framework::load_embedded(self.lang()),
        })
    }

    /// The framework, if it has no errors; otherwise its problems go to stderr and the
    /// command fails.
    pub fn framework(&self) -> anyhow::Result<Framework> {
        let loaded = self.load_framework()?;
        let errors = loaded.problems.errors();
        if errors > 0 {
            eprint!("{}", loaded.problems.render(self.lang()));
            anyhow::bail!(trf(self.lang(), "cli.framework_has_errors", &[("count", &errors)]));
        }
        if self.verbose && !loaded.problems.is_empty() {
            eprint!("{}", loaded.problems.render(self.lang()));
        }
        Ok(loaded.framework)
    }
}
