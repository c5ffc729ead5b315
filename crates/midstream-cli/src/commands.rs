//! What each command does: the dispatch from parsed arguments to the library, and one function
//! per command that returns the text to write.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use clap::CommandFactory;
use midstream::domain::{Alignment, Commodity, Country, Dataset, FacilityId, Share, ValidDataset};
use midstream::graph::{Algorithm, BalanceModel, Scenario, SupplyGraph, max_flow, read_dimacs};
use midstream::prelude::Decimal;
use midstream::{Analysis, CommonCause, OutlookOptions, Preset, markdown};

use crate::args::{
    AnalysisIo, Args, ChartKind, Cli, Command, DEFAULT_DATASET, ExportFormat, Format, OutlookArgs,
    ReportArgs, ScenarioArgs, SchemaKind, parse_commodity, parse_country, resolve,
};
use crate::failure::Failure;
use crate::output::{emit, render};

#[allow(clippy::too_many_lines)] // Reason: one dispatch, command by command.
pub(crate) fn run(args: &Args) -> Result<(), Failure> {
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
pub(crate) fn outlook_chart(
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
pub(crate) fn outlook(
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
pub(crate) fn outlook_options(
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

pub(crate) fn dataset(cli: &Cli) -> Result<ValidDataset, Failure> {
    match &cli.file {
        Some(path) => Dataset::from_json_file(path)
            .map_err(Failure::input)?
            .validate()
            .map_err(|e| Failure::input(format!("{}: {e}", path.display()))),
        None => midstream::data::load(cli.dataset.as_deref().unwrap_or(DEFAULT_DATASET))
            .map_err(Failure::input),
    }
}

pub(crate) fn datasets(cli: &Cli) -> Result<String, Failure> {
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

pub(crate) fn presets(cli: &Cli) -> Result<String, Failure> {
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

pub(crate) fn validate(cli: &Cli, file: &Path) -> Result<String, Failure> {
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

pub(crate) fn maxflow(path: &Path) -> Result<String, Failure> {
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

pub(crate) fn scenario_cmd(
    cli: &Cli,
    commodity: &str,
    args: &ScenarioArgs,
) -> Result<String, Failure> {
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

pub(crate) fn report(cli: &Cli, args: &ReportArgs<'_>) -> Result<String, Failure> {
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
