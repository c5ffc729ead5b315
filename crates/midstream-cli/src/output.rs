//! What the program hands back: a one-line message on stderr, and the output rendered and
//! written to stdout or a file.

use std::io::Write;
use std::path::Path;

use crate::args::{Cli, Format};
use crate::failure::Failure;

/// One line on stderr, prefixed `midstream: `. A closed or broken stderr is ignored (unlike
/// `eprintln!`, which would panic).
pub(crate) fn say(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "midstream: {message}");
}

pub(crate) fn render<T: serde::Serialize>(
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

/// Writes the output: to stdout (a closed pipe is not an error), or to a file through a
/// temporary file renamed into place, so an interrupted write leaves no half file.
pub(crate) fn emit(output: Option<&Path>, text: &str) -> Result<(), Failure> {
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
