//! `midstream`: bottleneck reports, scenarios, outlooks and country profiles of critical-mineral
//! supply chains, from the command line.
//!
//! Exit codes: 0 success; 2 bad input (flags, files, datasets, scenarios); 1 internal failure.
//! Errors go to stderr as one message, never a panic trace.

mod args;
mod commands;
mod failure;
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::args::Args;
use crate::commands::run;
use crate::output::say;

/// mimalloc instead of the system allocator: the CLI builds arrays of hundreds of megabytes
/// for large networks and datasets, and mimalloc maps and fills them faster (see
/// `docs/benchmarks.md`, "Allocator"). The library itself uses whatever allocator its user sets.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
