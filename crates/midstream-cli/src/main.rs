//! `midstream`: bottleneck reports, scenarios, outlooks and country profiles of critical-mineral
//! supply chains, from the command line.
//!
//! Exit codes: 0 success; 2 bad input (flags, files, datasets, scenarios); 1 internal failure.
//! Errors go to stderr as one message, never a panic trace.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use midstream::domain::{Alignment, Commodity, Country, Dataset, FacilityId, Share, ValidDataset};
use midstream::graph::{
    Algorithm, BalanceModel, GraphError, Scenario, SupplyGraph, max_flow, read_dimacs,
};
use midstream::prelude::Decimal;
use midstream::{Analysis, CommonCause, OutlookOptions, Preset, markdown};

/// mimalloc instead of the system allocator: the CLI builds arrays of hundreds of megabytes
/// for large networks and datasets, and mimalloc maps and fills them faster (see
/// `docs/benchmarks.md`, "Allocator"). The library itself uses whatever allocator its user sets.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Map critical-mineral supply chains and find where they choke.
///
/// The dataset and output options may come before the command (`midstream --dataset NAME
/// risk ...`) or after it (`midstream risk --dataset NAME ...`); each command takes only those
/// it uses.
#[derive(Debug, Parser)]
#[command(name = "midstream", version, about, long_about = None)]
struct Args {
    /// Embedded dataset to analyse (see `midstream datasets`; default: rare-earths-2025).
    #[arg(long, conflicts_with = "file")]
    dataset: Option<String>,
    /// A dataset file to analyse instead of an embedded one.
    #[arg(long)]
    file: Option<PathBuf>,
    /// Output format (default: md).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the output to this file (atomically) instead of stdout.
    #[arg(long)]
    output: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

/// The dataset a command analyses.
#[derive(Clone, Debug, Default, clap::Args)]
struct DatasetArgs {
    /// Embedded dataset to analyse (see `midstream datasets`; default: rare-earths-2025).
    #[arg(long, conflicts_with = "file")]
    dataset: Option<String>,
    /// A dataset file to analyse instead of an embedded one.
    #[arg(long)]
    file: Option<PathBuf>,
}

/// Where a command writes.
#[derive(Clone, Debug, Default, clap::Args)]
struct OutputArgs {
    /// Write the output to this file (atomically) instead of stdout.
    #[arg(long)]
    output: Option<PathBuf>,
}

/// How a command that prints results prints them.
#[derive(Clone, Debug, Default, clap::Args)]
struct FormatArgs {
    /// Output format (default: md).
    #[arg(long, value_enum)]
    format: Option<Format>,
}

/// A command that reads a dataset and prints Markdown or JSON.
#[derive(Clone, Debug, Default, clap::Args)]
struct AnalysisIo {
    #[command(flatten)]
    data: DatasetArgs,
    #[command(flatten)]
    format: FormatArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// A command that reads a dataset and writes one format of its own (SVG, DOT, ...).
#[derive(Clone, Debug, Default, clap::Args)]
struct DrawIo {
    #[command(flatten)]
    data: DatasetArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// A command that reads no analysed dataset and prints Markdown or JSON.
#[derive(Clone, Debug, Default, clap::Args)]
struct ListIo {
    #[command(flatten)]
    format: FormatArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// What a command reads and writes, wherever on the line it was given.
#[derive(Debug)]
struct Cli {
    dataset: Option<String>,
    file: Option<PathBuf>,
    format: Format,
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Markdown tables and narrative.
    Md,
    /// JSON (the library's serialised results).
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
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
enum SchemaKind {
    /// The dataset format (`docs/dataset.schema.json`).
    Dataset,
    /// The full report, `report --format json` (`docs/report.schema.json`).
    Report,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ChartKind {
    /// Deliverable supply by year with the P10-P90 band.
    Outlook,
    /// The bottleneck's binding capacity by country.
    Cut,
}

/// The outlook's horizon and Monte Carlo settings, shared by `report`, `outlook` and `chart`.
#[derive(Clone, Debug, clap::Args)]
struct OutlookArgs {
    /// Last year of the outlook.
    #[arg(long, default_value_t = 2035)]
    to: i32,
    /// Monte Carlo samples of the outlook per year: the start, doubled until no percentile
    /// moves (at most 64,000), unless `--fixed-samples`.
    #[arg(long, default_value_t = midstream::DEFAULT_OUTLOOK_SAMPLES)]
    samples: usize,
    /// Take exactly `--samples` samples, without doubling until the band settles.
    #[arg(long)]
    fixed_samples: bool,
    /// Seed of the outlook.
    #[arg(long, default_value_t = 2024)]
    seed: u64,
    /// Also the supply that reaches buyers outside this country if it exports none (ISO code,
    /// or `none`). Default: CN where the dataset has a facility in China.
    #[arg(long, value_name = "COUNTRY")]
    outside: Option<String>,
    /// Correlation of the delivery of two projects in one country (0 to 1; 0 and
    /// `--sponsor-correlation 0`: independent projects).
    #[arg(long, value_name = "SHARE", default_value = "0.25")]
    country_correlation: String,
    /// Further correlation of two projects of one sponsor (their operator).
    #[arg(long, value_name = "SHARE", default_value = "0.5")]
    sponsor_correlation: String,
    /// The year in which to show what drives the band (each project forced on and off).
    /// Default: five years after the dataset's as-of year, within the outlook.
    #[arg(long, value_name = "YEAR")]
    drivers_in: Option<i32>,
}

impl Default for OutlookArgs {
    fn default() -> Self {
        Self {
            to: 2035,
            samples: midstream::DEFAULT_OUTLOOK_SAMPLES,
            fixed_samples: false,
            seed: 2024,
            outside: None,
            country_correlation: String::from("0.25"),
            sponsor_correlation: String::from("0.5"),
            drivers_in: None,
        }
    }
}

/// Settings of the `report` command.
#[derive(Debug)]
struct ReportArgs<'a> {
    outlook: &'a OutlookArgs,
    profiles: &'a [String],
    profile_dataset: &'a str,
    commodities: &'a [String],
    charts: Option<&'a Path>,
}

#[derive(Debug, Subcommand)]
enum Command {
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
struct ScenarioArgs {
    /// A scenario as JSON (the fields of `midstream_graph::Scenario`); the flags below add to it.
    #[arg(long = "scenario-file", value_name = "FILE", conflicts_with = "preset")]
    scenario_file: Option<PathBuf>,
    /// A policy preset shipped with the data (see `midstream presets`); the flags below add to
    /// it.
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
    /// Year (default: the dataset's as-of year).
    #[arg(long)]
    year: Option<i32>,
    /// Remove a country's facilities (repeatable).
    #[arg(long = "exclude", value_name = "COUNTRY")]
    exclude: Vec<String>,
    /// Stop a country's exports (repeatable).
    #[arg(long = "export-stop", value_name = "COUNTRY")]
    export_stop: Vec<String>,
    /// Only suppliers at least this aligned with the dataset's perspective count.
    #[arg(long, value_name = "ALIGNMENT")]
    aligned_up_to: Option<String>,
    /// A project assumed online (repeatable).
    #[arg(long = "project", value_name = "FACILITY")]
    projects: Vec<String>,
    /// Every project assumed online.
    #[arg(long)]
    all_projects: bool,
}

/// An error with its exit code.
#[derive(Debug)]
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn input(message: impl std::fmt::Display) -> Self {
        Self {
            code: 2,
            message: message.to_string(),
        }
    }

    fn internal(message: impl std::fmt::Display) -> Self {
        Self {
            code: 1,
            message: message.to_string(),
        }
    }
}

impl From<midstream::Error> for Failure {
    fn from(e: midstream::Error) -> Self {
        // A bug of the program or of its embedded data is an internal failure (exit 1), not
        // bad input.
        match &e {
            midstream::Error::Graph(GraphError::Internal { .. })
            | midstream::Error::Internal { .. }
            | midstream::Error::Data(
                midstream::data::DataError::Table { .. }
                | midstream::data::DataError::Load { .. }
                | midstream::data::DataError::Invalid { .. },
            ) => Self::internal(e),
            _ => Self::input(e),
        }
    }
}

impl From<GraphError> for Failure {
    fn from(e: GraphError) -> Self {
        midstream::Error::from(e).into()
    }
}

/// One line on stderr, prefixed `midstream: `. A closed or broken stderr is ignored (unlike
/// `eprintln!`, which would panic).
fn say(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "midstream: {message}");
}

fn main() -> ExitCode {
    // A panic is a bug: say so in one line, without a trace.
    std::panic::set_hook(Box::new(|info| {
        say(&format!(
            "internal error ({info}); please report it with the input"
        ));
    }));
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            say(&f.message);
            ExitCode::from(f.code)
        }
    }
}

/// The embedded dataset analysed when neither `--dataset` nor `--file` is given.
const DEFAULT_DATASET: &str = "rare-earths-2025";

/// An option given before the command, after it, or both with the same value.
fn one<T: Clone + PartialEq>(
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
fn resolve(args: &Args, command: &Command) -> Result<Cli, Failure> {
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
fn command_name(command: &Command) -> &'static str {
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

#[allow(clippy::too_many_lines)] // Reason: one dispatch, command by command.
fn run(args: &Args) -> Result<(), Failure> {
    let default = Command::Report {
        outlook: OutlookArgs::default(),
        profiles: vec![String::from("KZ")],
        profile_dataset: String::from("kazakhstan-2025"),
        commodities: Vec::new(),
        charts: None,
        io: AnalysisIo::default(),
    };
    let command = args.command.as_ref().unwrap_or(&default);
    let cli = &resolve(args, command)?;
    let text = match command {
        Command::Completions { shell, .. } => {
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Args::command(), "midstream", &mut script);
            String::from_utf8(script).map_err(Failure::internal)?
        }
        Command::Datasets { .. } => datasets(cli)?,
        Command::Presets { .. } => presets(cli)?,
        Command::Schema { of, .. } => {
            let schema = match of {
                SchemaKind::Dataset => midstream::domain::dataset_schema(),
                SchemaKind::Report => midstream::report_schema(),
            };
            serde_json::to_string_pretty(&schema).map_err(Failure::internal)? + "\n"
        }
        Command::Validate { file, .. } => validate(cli, file)?,
        Command::Maxflow { dimacs, .. } => maxflow(dimacs)?,
        Command::Report {
            outlook,
            profiles,
            profile_dataset,
            commodities,
            charts,
            ..
        } => report(
            cli,
            &ReportArgs {
                outlook,
                profiles,
                profile_dataset,
                commodities,
                charts: charts.as_deref(),
            },
        )?,
        Command::Chart {
            commodity,
            kind,
            outlook: settings,
            ..
        } => {
            let analysis = Analysis::new(dataset(cli)?);
            let commodity = parse_commodity(commodity)?;
            match kind {
                ChartKind::Cut => {
                    let b = analysis.bottleneck(&commodity, &Scenario::baseline())?;
                    midstream::svg::binding_by_country(&b)
                }
                ChartKind::Outlook => {
                    // The chart draws no drivers: do not measure them.
                    let from = analysis.data().as_of_year() + 1;
                    let options = OutlookOptions {
                        drivers_in: None,
                        ..outlook_options(&analysis, from, settings)?
                    };
                    let o = analysis.outlook(&commodity, from..=settings.to, &options)?;
                    midstream::svg::outlook_band(&o)
                }
            }
        }
        Command::Scenario {
            commodity,
            scenario,
            ..
        } => scenario_cmd(cli, commodity, scenario)?,
        Command::Outlook {
            commodity,
            from,
            outlook: settings,
            ..
        } => {
            let analysis = Analysis::new(dataset(cli)?);
            let o = outlook(&analysis, &parse_commodity(commodity)?, *from, settings)?;
            render(cli, &o, || markdown::outlook(&o))?
        }
        Command::Risk {
            commodity, year, ..
        } => {
            let analysis = Analysis::new(dataset(cli)?);
            let scenario = Scenario {
                year: *year,
                ..Scenario::default()
            };
            let r = analysis.risk(&parse_commodity(commodity)?, &scenario)?;
            render(cli, &r, || markdown::risk(&r))?
        }
        Command::Invest {
            commodity, year, ..
        } => {
            let analysis = Analysis::new(dataset(cli)?);
            let year = year.unwrap_or_else(|| analysis.data().as_of_year() + 5);
            let ranking =
                analysis.investment(&parse_commodity(commodity)?, year, &Scenario::default())?;
            render(cli, &ranking, || markdown::investment(&ranking))?
        }
        Command::Profile { country, year, .. } => {
            let analysis = Analysis::new(dataset(cli)?);
            let country = parse_country(country)?;
            let year = year.unwrap_or_else(|| analysis.data().as_of_year() + 5);
            let p = analysis.profile(country, year)?;
            render(cli, &p, || markdown::profile(&p))?
        }
        Command::Export {
            commodity,
            export,
            year,
            ..
        } => {
            let data = dataset(cli)?;
            let commodity = parse_commodity(commodity)?;
            let scenario = Scenario {
                year: *year,
                ..Scenario::default()
            };
            match export {
                ExportFormat::Dot => {
                    let graph = SupplyGraph::build(&data, &commodity, &scenario)?;
                    let balance = BalanceModel::build(&data, &commodity)?.solve(&scenario)?;
                    graph.to_dot(Some(&balance))?
                }
                ExportFormat::Json => {
                    let b = Analysis::new(data).bottleneck(&commodity, &scenario)?;
                    serde_json::to_string_pretty(&b).map_err(Failure::internal)? + "\n"
                }
                ExportFormat::Dimacs => {
                    let graph = SupplyGraph::build(&data, &commodity, &scenario)?;
                    let mut buffer = Vec::new();
                    graph.write_dimacs(&mut buffer)?;
                    String::from_utf8(buffer).map_err(Failure::internal)?
                }
                ExportFormat::Sankey | ExportFormat::Csv => {
                    let analysis = Analysis::new(data);
                    let flows = analysis.flows(&commodity, &scenario)?;
                    let year = year.unwrap_or_else(|| analysis.data().as_of_year());
                    if *export == ExportFormat::Csv {
                        midstream::csv::flows(analysis.data(), &flows)
                    } else {
                        midstream::svg::sankey(
                            analysis.data(),
                            &flows,
                            &format!("{commodity} in {year}: flows by stage and country"),
                        )
                    }
                }
            }
        }
    };
    emit(cli.output.as_deref(), &text)
}

/// Writes the outlook's chart into `dir`, if the report writes charts.
fn outlook_chart(
    dir: Option<&Path>,
    commodity: &Commodity,
    o: &midstream::Outlook,
) -> Result<(), Failure> {
    if let Some(dir) = dir {
        let stem = commodity.to_string().replace([':', '@'], "-");
        emit(
            Some(&dir.join(format!("{stem}-outlook.svg"))),
            &midstream::svg::outlook_band(o),
        )?;
    }
    Ok(())
}

/// The outlook from `from` (default: the year after the dataset's as-of date) to `to`.
fn outlook(
    analysis: &Analysis,
    commodity: &Commodity,
    from: Option<i32>,
    settings: &OutlookArgs,
) -> Result<midstream::Outlook, Failure> {
    let from = from.unwrap_or_else(|| analysis.data().as_of_year() + 1);
    let options = outlook_options(analysis, from, settings)?;
    Ok(analysis.outlook(commodity, from..=settings.to, &options)?)
}

/// The outlook's options from the command line: `--outside` (CN by default where the dataset
/// has Chinese plants), the correlations, and the drivers' year (the as-of year + 5 by default,
/// within `from..=to`).
fn outlook_options(
    analysis: &Analysis,
    from: i32,
    settings: &OutlookArgs,
) -> Result<OutlookOptions, Failure> {
    let outside = match settings.outside.as_deref() {
        Some(none) if none.eq_ignore_ascii_case("none") => None,
        Some(code) => Some(code.parse::<Country>().map_err(Failure::input)?),
        None => {
            let china: Country = "CN".parse().map_err(Failure::input)?;
            analysis.data().has_facility_in(china).then_some(china)
        }
    };
    let share = |flag: &str, text: &str| {
        text.parse::<Decimal>()
            .ok()
            .and_then(|d| Share::new(d).ok())
            .ok_or_else(|| {
                Failure::input(format!(
                    "--{flag} {text:?}: expected a number from 0 to 1, such as 0.25"
                ))
            })
    };
    Ok(OutlookOptions {
        samples: settings.samples,
        settle: !settings.fixed_samples,
        seed: settings.seed,
        outside,
        common_cause: CommonCause {
            country: share("country-correlation", &settings.country_correlation)?,
            sponsor: share("sponsor-correlation", &settings.sponsor_correlation)?,
        },
        drivers_in: Some(settings.drivers_in.unwrap_or_else(|| {
            OutlookOptions::default_drivers_in(analysis.data().as_of_year(), &(from..=settings.to))
        })),
        ..OutlookOptions::default()
    })
}

fn parse_commodity(text: &str) -> Result<Commodity, Failure> {
    text.parse().map_err(Failure::input)
}

fn parse_country(text: &str) -> Result<Country, Failure> {
    text.parse().map_err(Failure::input)
}

fn dataset(cli: &Cli) -> Result<ValidDataset, Failure> {
    match &cli.file {
        Some(path) => Dataset::from_json_file(path)
            .map_err(Failure::input)?
            .validate()
            .map_err(|e| Failure::input(format!("{}: {e}", path.display()))),
        None => midstream::data::load(cli.dataset.as_deref().unwrap_or(DEFAULT_DATASET))
            .map_err(Failure::input),
    }
}

fn render<T: serde::Serialize>(
    cli: &Cli,
    value: &T,
    md: impl FnOnce() -> String,
) -> Result<String, Failure> {
    match cli.format {
        Format::Md => Ok(md()),
        Format::Json => serde_json::to_string_pretty(value)
            .map(|s| s + "\n")
            .map_err(Failure::internal),
    }
}

fn datasets(cli: &Cli) -> Result<String, Failure> {
    #[derive(serde::Serialize)]
    struct Entry {
        name: &'static str,
        summary: &'static str,
    }
    let entries: Vec<Entry> = midstream::data::DATASETS
        .iter()
        .map(|d| Entry {
            name: d.name,
            summary: d.summary,
        })
        .collect();
    render(cli, &entries, || {
        entries.iter().fold(String::new(), |mut out, e| {
            let _ = writeln!(out, "- `{}`: {}", e.name, e.summary);
            out
        })
    })
}

fn presets(cli: &Cli) -> Result<String, Failure> {
    let presets: Vec<Preset> = Preset::names()
        .map(Preset::load)
        .collect::<Result<_, _>>()?;
    render(cli, &presets, || {
        presets.iter().fold(String::new(), |mut out, p| {
            let _ = writeln!(out, "- `{}` ({}): {}", p.name, p.dataset, p.title);
            out
        })
    })
}

fn validate(cli: &Cli, file: &Path) -> Result<String, Failure> {
    /// What `validate --format json` prints: the same facts as the text.
    #[derive(serde::Serialize)]
    struct Validation<'a> {
        file: String,
        valid: bool,
        /// Why the file does not read, if it does not (then nothing is validated).
        load_error: Option<String>,
        facilities: Option<usize>,
        links: Option<usize>,
        demand_records: Option<usize>,
        /// Every broken rule (errors) and every warning, with record and field.
        issues: Vec<&'a midstream::domain::Issue>,
    }
    let shown = file.display().to_string();
    let (load_error, checked) = match Dataset::from_json_file(file) {
        Ok(data) => (None, Some(data.validate())),
        Err(e) => (Some(e), None),
    };
    if cli.format == Format::Json {
        let (valid, counts, issues): (bool, _, Vec<_>) = match &checked {
            Some(Ok(v)) => (
                true,
                Some((v.facilities.len(), v.links.len(), v.demand.len())),
                v.warnings().iter().collect(),
            ),
            Some(Err(report)) => (false, None, report.issues.iter().collect()),
            None => (false, None, Vec::new()),
        };
        let out = Validation {
            file: shown.clone(),
            valid,
            load_error: load_error.as_ref().map(ToString::to_string),
            facilities: counts.map(|c| c.0),
            links: counts.map(|c| c.1),
            demand_records: counts.map(|c| c.2),
            issues,
        };
        let text = serde_json::to_string_pretty(&out).map_err(Failure::internal)? + "\n";
        // An invalid file is bad input (exit 2) in either format; the JSON goes to stdout.
        if !valid {
            emit(cli.output.as_deref(), &text)?;
            return Err(Failure::input(format!(
                "{shown}: not valid (details in the JSON)"
            )));
        }
        return Ok(text);
    }
    if let Some(e) = load_error {
        return Err(Failure::input(e));
    }
    match checked.ok_or_else(|| Failure::internal("a dataset neither loaded nor failed to"))? {
        Ok(valid) => {
            let mut text = format!(
                "{}: valid ({} facilities, {} links, {} demand records)\n",
                shown,
                valid.facilities.len(),
                valid.links.len(),
                valid.demand.len()
            );
            for w in valid.warnings() {
                let _ = writeln!(text, "  {w}");
            }
            Ok(text)
        }
        Err(report) => Err(Failure::input(format!("{shown}: {report}"))),
    }
}

fn maxflow(path: &Path) -> Result<String, Failure> {
    let started = Instant::now();
    let fail = |what: &dyn std::fmt::Display| Failure::input(format!("{}: {what}", path.display()));
    // Look before opening: opening a FIFO would block until a writer appears.
    if !std::fs::metadata(path).map_err(|e| fail(&e))?.is_file() {
        return Err(fail(&"not a regular file"));
    }
    let file = std::fs::File::open(path).map_err(|e| fail(&e))?;
    let problem = read_dimacs(std::io::BufReader::new(file))
        .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
    let net = problem.network().map_err(|e| fail(&e))?;
    let parsed = started.elapsed();
    let solve = Instant::now();
    let flow = max_flow(&net, problem.source, problem.sink).map_err(|e| fail(&e))?;
    let cut = flow.min_cut();
    let solved = solve.elapsed();
    let p = flow.profile();
    let algorithm = match p.algorithm {
        Algorithm::PushRelabel => "push-relabel",
        _ => "dinic",
    };
    Ok(format!(
        "value={} cut_edges={} nodes={} arcs={} algorithm={algorithm} depth={} phases={} \
         pushes={} relabels={} global_relabels={} gaps={} parse_s={:.6} solve_s={:.6}\n",
        flow.value(),
        cut.edges.len(),
        net.node_count(),
        net.edge_count(),
        p.depth,
        p.phases,
        p.pushes,
        p.relabels,
        p.global_relabels,
        p.gaps,
        parsed.as_secs_f64(),
        solved.as_secs_f64()
    ))
}

fn scenario_cmd(cli: &Cli, commodity: &str, args: &ScenarioArgs) -> Result<String, Failure> {
    let analysis = Analysis::new(dataset(cli)?);
    let commodity = parse_commodity(commodity)?;
    let countries = |list: &[String]| -> Result<BTreeSet<Country>, Failure> {
        list.iter().map(|c| parse_country(c)).collect()
    };
    let preset = match &args.preset {
        Some(name) => {
            let p = Preset::load(name)?;
            if p.dataset != analysis.data().name {
                return Err(Failure::input(format!(
                    "preset {:?} is written for dataset {:?} (its links and compositions), \
                     not {:?}: run it with --dataset {}",
                    p.name,
                    p.dataset,
                    analysis.data().name,
                    p.dataset
                )));
            }
            Some(p)
        }
        None => None,
    };
    let mut scenario = match (&args.scenario_file, &preset) {
        // The file's own mistakes name the file, all at once; the flags' are checked when the
        // graph is built, and name the flag's field.
        (Some(path), _) => {
            Scenario::from_json_file(path, analysis.data()).map_err(Failure::input)?
        }
        (None, Some(p)) => p.scenario.clone(),
        (None, None) => Scenario::default(),
    };
    if args.year.is_some() {
        scenario.year = args.year;
    }
    scenario.exclude_countries.extend(countries(&args.exclude)?);
    scenario.export_stops.extend(countries(&args.export_stop)?);
    if let Some(a) = &args.aligned_up_to {
        scenario.aligned_up_to = Some(a.parse::<Alignment>().map_err(Failure::input)?);
    }
    for p in &args.projects {
        scenario
            .projects_online
            .insert(p.parse::<FacilityId>().map_err(Failure::input)?);
    }
    scenario.all_projects_online |= args.all_projects;
    let baseline = Scenario {
        year: scenario.year,
        ..Scenario::default()
    };
    let c = analysis.compare(&commodity, &baseline, &scenario)?;
    render(cli, &c, || match &preset {
        None => markdown::comparison(&c, "Scenario"),
        Some(p) => {
            let mut md = markdown::comparison(&c, &p.title);
            let _ = writeln!(md, "{}\n\nSources:", p.description);
            for s in &p.sources {
                let _ = writeln!(
                    md,
                    "- {}, *{}* ({}), <{}>",
                    s.publisher, s.title, s.year, s.url
                );
            }
            md
        }
    })
}

fn report(cli: &Cli, args: &ReportArgs<'_>) -> Result<String, Failure> {
    // A chart folder is made before any work, so a bad path costs nothing.
    if let Some(dir) = args.charts {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::input(format!("{}: {e}", dir.display())))?;
    }
    let analysis = Analysis::new(dataset(cli)?);
    let as_of = analysis.data().as_of_year();
    if args.outlook.to <= as_of {
        return Err(Failure::input(format!(
            "--to {}: the outlook's last year must come after the dataset's as-of year ({as_of})",
            args.outlook.to
        )));
    }
    let options = midstream::ReportOptions {
        commodities: args
            .commodities
            .iter()
            .map(|c| parse_commodity(c))
            .collect::<Result<_, _>>()?,
        outlook_to: args.outlook.to,
        outlook: outlook_options(&analysis, as_of + 1, args.outlook)?,
        profiles: args
            .profiles
            .iter()
            .map(|c| parse_country(c))
            .collect::<Result<_, _>>()?,
        profile_dataset: Some(args.profile_dataset.to_owned()),
    };
    // A bar on stderr, only on a terminal (a pipe or a file gets nothing), cleared at the end.
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(0)
    } else {
        indicatif::ProgressBar::hidden()
    };
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{elapsed:>3} [{bar:24}] {pos}/{len} {msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    let full = analysis.report_with_progress(&options, |step| {
        bar.set_length(step.total as u64);
        bar.set_position(step.index.saturating_sub(1) as u64);
        bar.set_message(step.what.to_owned());
    });
    bar.finish_and_clear();
    let full = full?;
    if let Some(dir) = args.charts {
        for b in full
            .bottlenecks
            .iter()
            .filter(|b| !b.balance.deliverable.is_zero())
        {
            let stem = b.balance.target.to_string().replace([':', '@'], "-");
            emit(
                Some(&dir.join(format!("{stem}-cut.svg"))),
                &midstream::svg::binding_by_country(b),
            )?;
        }
        for o in &full.outlooks {
            outlook_chart(Some(dir), &o.commodity, o)?;
        }
    }
    render(cli, &full, || markdown::report(&full))
}

/// Writes the output: to stdout (a closed pipe is not an error), or to a file through a
/// temporary file renamed into place, so an interrupted write leaves no half file.
fn emit(output: Option<&Path>, text: &str) -> Result<(), Failure> {
    match output {
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Failure::internal(format!("writing to stdout: {e}")))
                }
                _ => Ok(()),
            }
        }
        Some(path) => {
            let file_name = path
                .file_name()
                .ok_or_else(|| Failure::input(format!("{}: not a file path", path.display())))?;
            let mut temp_name = std::ffi::OsString::from(".");
            temp_name.push(file_name);
            temp_name.push(".tmp");
            let temp = path.with_file_name(temp_name);
            let write = std::fs::write(&temp, text).and_then(|()| std::fs::rename(&temp, path));
            write.map_err(|e| {
                let _ = std::fs::remove_file(&temp);
                Failure::input(format!("{}: {e}", path.display()))
            })
        }
    }
}
