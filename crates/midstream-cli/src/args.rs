//! The command line: its options and commands (clap), where each option may stand, and the
//! parsing of the values they name.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use midstream::domain::{Commodity, Country};

use crate::failure::Failure;

/// Map critical-mineral supply chains and find where they choke.
///
/// The dataset and output options may come before the command (`midstream --dataset NAME
/// risk ...`) or after it (`midstream risk --dataset NAME ...`); each command takes only those
/// it uses.
#[derive(Debug, Parser)]
#[command(name = "midstream", version, about, long_about = None)]
pub(crate) struct Args {
    /// Embedded dataset to analyse (see `midstream datasets`; default: rare-earths-2025).
    #[arg(long, conflicts_with = "file")]
    pub(crate) dataset: Option<String>,
    /// A dataset file to analyse instead of an embedded one.
    #[arg(long)]
    pub(crate) file: Option<PathBuf>,
    /// Output format (default: md).
    #[arg(long, value_enum)]
    pub(crate) format: Option<Format>,
    /// Write the output to this file (atomically) instead of stdout.
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

/// The dataset a command analyses.
#[derive(Clone, Debug, Default, clap::Args)]
pub(crate) struct DatasetArgs {
    /// Embedded dataset to analyse (see `midstream datasets`; default: rare-earths-2025).
    #[arg(long, conflicts_with = "file")]
    pub(crate) dataset: Option<String>,
    /// A dataset file to analyse instead of an embedded one.
    #[arg(long)]
    pub(crate) file: Option<PathBuf>,
}

/// Where a command writes.
#[derive(Clone, Debug, Default, clap::Args)]
pub(crate) struct OutputArgs {
    /// Write the output to this file (atomically) instead of stdout.
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
}

/// How a command that prints results prints them.
#[derive(Clone, Debug, Default, clap::Args)]
pub(crate) struct FormatArgs {
    /// Output format (default: md).
    #[arg(long, value_enum)]
    pub(crate) format: Option<Format>,
}

/// A command that reads a dataset and prints Markdown or JSON.
#[derive(Clone, Debug, Default, clap::Args)]
pub(crate) struct AnalysisIo {
    #[command(flatten)]
    pub(crate) data: DatasetArgs,
    #[command(flatten)]
    pub(crate) format: FormatArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// A command that reads a dataset and writes one format of its own (SVG, DOT, ...).
#[derive(Clone, Debug, Default, clap::Args)]
pub(crate) struct DrawIo {
    #[command(flatten)]
    pub(crate) data: DatasetArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// A command that reads no analysed dataset and prints Markdown or JSON.
#[derive(Clone, Debug, Default, clap::Args)]
pub(crate) struct ListIo {
    #[command(flatten)]
    pub(crate) format: FormatArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// What a command reads and writes, wherever on the line it was given.
#[derive(Debug)]
pub(crate) struct Cli {
    pub(crate) dataset: Option<String>,
    pub(crate) file: Option<PathBuf>,
    pub(crate) format: Format,
    pub(crate) output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Markdown tables and narrative.
    Md,
    /// JSON (the library's serialised results).
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// Graphviz DOT, the bottleneck in red.
    Dot,
    /// DIMACS max-flow (capacities in kilograms per year).
    Dimacs,
    /// The bottleneck report as JSON.
    Json,
    /// One year's flows, mine to buyers by stage and country, as an SVG Sankey diagram (the
    /// centre of all optimal flows).
    Sankey,
    /// The same flows as an edge-list CSV (supplier, consumer, commodity, tonnes).
    Csv,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum SchemaKind {
    /// The dataset format (`docs/dataset.schema.json`).
    Dataset,
    /// The full report, `report --format json` (`docs/report.schema.json`).
    Report,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ChartKind {
    /// Deliverable supply by year with the P10-P90 band.
    Outlook,
    /// The bottleneck's binding capacity by country.
    Cut,
}

/// The outlook's horizon and Monte Carlo settings, shared by `report`, `outlook` and `chart`.
#[derive(Clone, Debug, clap::Args)]
pub(crate) struct OutlookArgs {
    /// Last year of the outlook.
    #[arg(long, default_value_t = 2035)]
    pub(crate) to: i32,
    /// Monte Carlo samples of the outlook per year: the start, doubled until no percentile
    /// moves (at most 64,000), unless `--fixed-samples`.
    #[arg(long, default_value_t = midstream::DEFAULT_OUTLOOK_SAMPLES)]
    pub(crate) samples: usize,
    /// Take exactly `--samples` samples, without doubling until the band settles.
    #[arg(long)]
    pub(crate) fixed_samples: bool,
    /// Seed of the outlook.
    #[arg(long, default_value_t = midstream::DEFAULT_OUTLOOK_SEED)]
    pub(crate) seed: u64,
    /// Also the supply that reaches buyers outside this country if it exports none (ISO code,
    /// or `none`). Default: CN where the dataset has a facility in China.
    #[arg(long, value_name = "COUNTRY")]
    pub(crate) outside: Option<String>,
    /// Correlation of the delivery of two projects in one country (0 to 1; 0 and
    /// `--sponsor-correlation 0`: independent projects).
    #[arg(long, value_name = "SHARE", default_value = "0.25")]
    pub(crate) country_correlation: String,
    /// Further correlation of two projects of one sponsor (their operator).
    #[arg(long, value_name = "SHARE", default_value = "0.5")]
    pub(crate) sponsor_correlation: String,
    /// The year in which to show what drives the band (each project forced on and off).
    /// Default: five years after the dataset's as-of year, within the outlook.
    #[arg(long, value_name = "YEAR")]
    pub(crate) drivers_in: Option<i32>,
}

impl Default for OutlookArgs {
    fn default() -> Self {
        Self {
            to: 2035,
            samples: midstream::DEFAULT_OUTLOOK_SAMPLES,
            fixed_samples: false,
            seed: midstream::DEFAULT_OUTLOOK_SEED,
            outside: None,
            country_correlation: String::from("0.25"),
            sponsor_correlation: String::from("0.5"),
            drivers_in: None,
        }
    }
}

/// Settings of the `report` command.
#[derive(Debug)]
pub(crate) struct ReportArgs<'a> {
    pub(crate) outlook: &'a OutlookArgs,
    pub(crate) profiles: &'a [String],
    pub(crate) profile_dataset: &'a str,
    pub(crate) commodities: &'a [String],
    pub(crate) charts: Option<&'a Path>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// The full analysis: bottlenecks per commodity, an export stop of the country that holds
    /// most of the bottleneck, the outlook, and country profiles (the default command).
    Report {
        #[command(flatten)]
        outlook: OutlookArgs,
        /// Countries to profile (repeatable). A country without facilities in the analysed
        /// dataset is profiled from `--profile-dataset`.
        #[arg(long = "profile", value_name = "COUNTRY", default_values_t = [String::from("KZ")])]
        profiles: Vec<String>,
        /// The embedded dataset to profile countries from when the analysed one has none of
        /// their facilities.
        #[arg(long, default_value = "kazakhstan-2025")]
        profile_dataset: String,
        /// Commodities to analyse (repeatable). Default: every commodity with capacities at two
        /// stages or more, plus single heavy rare earths (Dy, Tb) the dataset names.
        #[arg(long = "commodity", value_name = "COMMODITY")]
        commodities: Vec<String>,
        /// Also write SVG charts (outlook band, bottleneck by country) into this directory.
        #[arg(long, value_name = "DIR")]
        charts: Option<PathBuf>,
        #[command(flatten)]
        io: AnalysisIo,
    },
    /// An SVG chart: the outlook band, or the bottleneck by country.
    Chart {
        /// The commodity.
        #[arg(long)]
        commodity: String,
        /// Which chart.
        #[arg(long, value_enum, default_value_t = ChartKind::Outlook)]
        kind: ChartKind,
        #[command(flatten)]
        outlook: OutlookArgs,
        #[command(flatten)]
        io: DrawIo,
    },
    /// One commodity in a scenario, against the baseline.
    Scenario {
        /// The commodity, e.g. `NdPr:oxide`.
        #[arg(long)]
        commodity: String,
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[command(flatten)]
        io: AnalysisIo,
    },
    /// Deliverable supply by year with the project-risk band.
    Outlook {
        /// The commodity.
        #[arg(long)]
        commodity: String,
        /// First year (default: the dataset's as-of year + 1).
        #[arg(long)]
        from: Option<i32>,
        #[command(flatten)]
        outlook: OutlookArgs,
        #[command(flatten)]
        io: AnalysisIo,
    },
    /// How risky a chain is: each stage's concentration by country side by side, what each
    /// plant's and each country's loss would cost, and the EU supply risk on the chain's shares.
    Risk {
        /// The commodity, e.g. `NdPr:oxide`.
        #[arg(long)]
        commodity: String,
        /// The year (default: the dataset's as-of year).
        #[arg(long)]
        year: Option<i32>,
        #[command(flatten)]
        io: AnalysisIo,
    },
    /// Where to invest: projects ranked by what each adds to deliverable supply, weighted by
    /// its chance to deliver, and per dollar of capital cost where it has one.
    Invest {
        /// The commodity, e.g. `NdPr:oxide`.
        #[arg(long)]
        commodity: String,
        /// The year (default: five years after the dataset's as-of year).
        #[arg(long)]
        year: Option<i32>,
        #[command(flatten)]
        io: AnalysisIo,
    },
    /// Signals or supply: what a country operates and what it announces.
    Profile {
        /// ISO 3166-1 alpha-2 code, e.g. `KZ`.
        country: String,
        /// Year the project probabilities are read for (default: as-of year + 5).
        #[arg(long)]
        year: Option<i32>,
        #[command(flatten)]
        io: AnalysisIo,
    },
    /// Check a dataset file and list every problem.
    Validate {
        /// The file.
        file: PathBuf,
        #[command(flatten)]
        io: ListIo,
    },
    /// Export the supply graph of a commodity.
    Export {
        /// The commodity.
        #[arg(long)]
        commodity: String,
        /// What to write.
        #[arg(long = "as", value_enum, default_value_t = ExportFormat::Dot)]
        export: ExportFormat,
        /// The year (default: the dataset's as-of year).
        #[arg(long)]
        year: Option<i32>,
        #[command(flatten)]
        io: DrawIo,
    },
    /// Solve a DIMACS max-flow instance and print the value and the timing.
    Maxflow {
        /// The instance.
        #[arg(long)]
        dimacs: PathBuf,
        #[command(flatten)]
        io: OutputArgs,
    },
    /// Print a JSON Schema: of the dataset format, or of `report --format json`.
    Schema {
        /// Which schema.
        #[arg(long = "of", value_enum, default_value_t = SchemaKind::Dataset)]
        of: SchemaKind,
        #[command(flatten)]
        io: OutputArgs,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell), e.g.
    /// `midstream completions bash > ~/.local/share/bash-completion/completions/midstream`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
        #[command(flatten)]
        io: OutputArgs,
    },
    /// List the embedded datasets.
    Datasets {
        #[command(flatten)]
        io: ListIo,
    },
    /// List the policy presets (scenario files with their sources) for `scenario --preset`.
    Presets {
        #[command(flatten)]
        io: ListIo,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct ScenarioArgs {
    /// A scenario as JSON (the fields of `midstream_graph::Scenario`); the flags below add to it.
    #[arg(long = "scenario-file", value_name = "FILE", conflicts_with = "preset")]
    pub(crate) scenario_file: Option<PathBuf>,
    /// A policy preset shipped with the data (see `midstream presets`); the flags below add to
    /// it.
    #[arg(long, value_name = "NAME")]
    pub(crate) preset: Option<String>,
    /// Year (default: the dataset's as-of year).
    #[arg(long)]
    pub(crate) year: Option<i32>,
    /// Remove a country's facilities (repeatable).
    #[arg(long = "exclude", value_name = "COUNTRY")]
    pub(crate) exclude: Vec<String>,
    /// Stop a country's exports (repeatable).
    #[arg(long = "export-stop", value_name = "COUNTRY")]
    pub(crate) export_stop: Vec<String>,
    /// Only suppliers at least this aligned with the dataset's perspective count.
    #[arg(long, value_name = "ALIGNMENT")]
    pub(crate) aligned_up_to: Option<String>,
    /// A project assumed online (repeatable).
    #[arg(long = "project", value_name = "FACILITY")]
    pub(crate) projects: Vec<String>,
    /// Every project assumed online.
    #[arg(long)]
    pub(crate) all_projects: bool,
}

/// The embedded dataset analysed when neither `--dataset` nor `--file` is given.
pub(crate) const DEFAULT_DATASET: &str = "rare-earths-2025";

/// An option given before the command, after it, or both with the same value.
pub(crate) fn one<T: Clone + PartialEq>(
    before: Option<&T>,
    after: Option<&T>,
    option: &str,
) -> Result<Option<T>, Failure> {
    match (before, after) {
        (Some(a), Some(b)) if a != b => Err(Failure::input(format!(
            "{option} is given twice, before and after the command, with different values: \
             give it once"
        ))),
        (a, b) => Ok(b.or(a).cloned()),
    }
}

/// The options a command takes: its dataset, format and output, wherever on the line they
/// came. An option given before the command that the command does not use is refused, so that
/// none is silently ignored; one given both before and after with different values too.
pub(crate) fn resolve(args: &Args, command: &Command) -> Result<Cli, Failure> {
    let (data, format, output): (Option<&DatasetArgs>, Option<&FormatArgs>, &OutputArgs) =
        match command {
            Command::Report { io, .. }
            | Command::Scenario { io, .. }
            | Command::Outlook { io, .. }
            | Command::Risk { io, .. }
            | Command::Invest { io, .. }
            | Command::Profile { io, .. } => (Some(&io.data), Some(&io.format), &io.output),
            Command::Chart { io, .. } | Command::Export { io, .. } => {
                (Some(&io.data), None, &io.output)
            }
            Command::Validate { io, .. } | Command::Datasets { io } | Command::Presets { io } => {
                (None, Some(&io.format), &io.output)
            }
            Command::Maxflow { io, .. }
            | Command::Schema { io, .. }
            | Command::Completions { io, .. } => (None, None, io),
        };
    let name = command_name(command);
    if data.is_none() && (args.dataset.is_some() || args.file.is_some()) {
        return Err(Failure::input(format!(
            "`{name}` reads no analysed dataset: leave out --dataset and --file{}",
            if matches!(command, Command::Validate { .. }) {
                " (give the file to validate after the command)"
            } else {
                ""
            }
        )));
    }
    if format.is_none() && args.format.is_some() {
        return Err(Failure::input(format!(
            "`{name}` has one output format: leave out --format{}",
            match command {
                Command::Export { .. } => " (use --as json)",
                Command::Schema { .. } => " (a schema is JSON already)",
                Command::Chart { .. } => " (a chart is SVG)",
                _ => "",
            }
        )));
    }
    let (dataset, file) = match data {
        Some(d) => (
            one(args.dataset.as_ref(), d.dataset.as_ref(), "--dataset")?,
            one(args.file.as_ref(), d.file.as_ref(), "--file")?,
        ),
        None => (None, None),
    };
    if dataset.is_some() && file.is_some() {
        return Err(Failure::input(
            "--dataset and --file both name what to analyse: give one",
        ));
    }
    let format = one(
        args.format.as_ref(),
        format.and_then(|f| f.format.as_ref()),
        "--format",
    )?;
    let output = one(args.output.as_ref(), output.output.as_ref(), "--output")?;
    Ok(Cli {
        dataset,
        file,
        format: format.unwrap_or(Format::Md),
        output,
    })
}

/// A command's name as typed.
pub(crate) fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Report { .. } => "report",
        Command::Chart { .. } => "chart",
        Command::Scenario { .. } => "scenario",
        Command::Outlook { .. } => "outlook",
        Command::Profile { .. } => "profile",
        Command::Risk { .. } => "risk",
        Command::Invest { .. } => "invest",
        Command::Validate { .. } => "validate",
        Command::Export { .. } => "export",
        Command::Maxflow { .. } => "maxflow",
        Command::Schema { .. } => "schema",
        Command::Completions { .. } => "completions",
        Command::Datasets { .. } => "datasets",
        Command::Presets { .. } => "presets",
    }
}

pub(crate) fn parse_commodity(text: &str) -> Result<Commodity, Failure> {
    text.parse().map_err(Failure::input)
}

pub(crate) fn parse_country(text: &str) -> Result<Country, Failure> {
    text.parse().map_err(Failure::input)
}
