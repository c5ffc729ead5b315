#!/usr/bin/env python3
"""Jupyter notebooks from the examples, and a run of them through the evcxr kernel.

    python3 scripts/notebooks.py write     # examples/*.rs -> notebooks/*.ipynb
    python3 scripts/notebooks.py check     # fail if a committed notebook is out of date
    python3 scripts/notebooks.py run       # execute every notebook with the Rust kernel;
                                           # fail on any error output (see docs/notebooks.md)

Each example is a notebook already: its `//!` header becomes the first Markdown cell, its `use`
lines and helpers one code cell after the `:dep` cell, the statements of `main` before the first
section a setup cell, and each section of `main` (from one `// ## N. Title` comment to the next)
a Markdown cell with the heading and a code cell with the code, without the final `Ok(())`.

`write` and `check` need only Python 3. `run` needs Jupyter's `nbclient` and `nbformat`
(`pip install nbclient nbformat ipykernel`) and the evcxr kernel (`cargo install evcxr_jupyter
&& evcxr_jupyter --install`); the kernel runs in `notebooks/`, so the `:dep` path
`../crates/midstream` resolves to this repository.
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = [
    "kazakhstan_midstream",
    "china_heavy_ree_export_stop",
    "pipeline_outlook_2035",
    "build_your_own_dataset",
]
OUT = ROOT / "notebooks"
DEP = ':dep midstream = { path = "../crates/midstream" }'


def cell(kind, text):
    lines = text.strip("\n").split("\n")
    source = [line + "\n" for line in lines[:-1]] + [lines[-1]]
    c = {"cell_type": kind, "metadata": {}, "source": source}
    if kind == "code":
        c["execution_count"] = None
        c["outputs"] = []
    return c


def dedent(lines):
    out = []
    for line in lines:
        out.append(line[4:] if line.startswith("    ") else line.lstrip())
    return out


def inline_narrate(helpers):
    """The examples' shared module (`mod narrate;`, examples/narrate.rs) as top-level items:
    a notebook has no file beside it to include."""
    if "mod narrate;" not in helpers:
        return helpers
    module = (ROOT / "examples" / "narrate.rs").read_text().split("\n")
    items = [
        l.replace("pub(crate) ", "")
        for l in module
        if not l.startswith("//!") and not l.startswith("use ")
    ]
    out = []
    for line in helpers.split("\n"):
        if line.startswith("use narrate::"):
            continue
        if line.strip() == "#[allow(dead_code)]":
            continue
        if line.startswith("// Headings, paragraphs and numbers") or line.startswith("// do not use"):
            continue
        if line == "mod narrate;":
            out.append("\n".join(items).strip())
            continue
        out.append(line)
    return "\n".join(out)


def split(source, name):
    """The cells of one example."""
    lines = source.split("\n")
    header = [l[4:] if l.startswith("//! ") else l[3:] for l in lines if l.startswith("//!")]
    body = [l for l in lines if not l.startswith("//!")]
    try:
        start = next(i for i, l in enumerate(body) if l.startswith("fn main("))
    except StopIteration:
        sys.exit(f"{name}: no `fn main(`")
    # Attributes of main (`#[allow(...)]`) stay out of the helper cell.
    helpers_end = start
    while helpers_end > 0 and body[helpers_end - 1].startswith("#["):
        helpers_end -= 1
    helpers = inline_narrate("\n".join(body[:helpers_end])).strip()
    end = max(i for i, l in enumerate(body) if l == "}")
    main = dedent(body[start + 1 : end])
    while main and main[-1].strip() in ("", "Ok(())"):
        main.pop()
    sections = []
    current = {"heading": None, "notes": [], "code": []}
    for line in main:
        if line.startswith("// ## "):
            sections.append(current)
            current = {"heading": line[3:], "notes": [], "code": []}
        elif current["heading"] is not None and not current["code"] and line.startswith("//"):
            current["notes"].append(line[2:].lstrip() if line.strip() != "//" else "")
        else:
            current["code"].append(line)
    sections.append(current)
    cells = [cell("markdown", "\n".join(header))]
    cells.append(cell("code", DEP))
    cells.append(cell("code", helpers))
    for s in sections:
        code = "\n".join(s["code"]).strip()
        if s["heading"] is not None:
            notes = "\n".join(s["notes"]).strip()
            cells.append(cell("markdown", s["heading"] + ("\n\n" + notes if notes else "")))
        if code:
            cells.append(cell("code", code))
    return cells


def notebook(name):
    source = (ROOT / "examples" / f"{name}.rs").read_text()
    nb = {
        "cells": split(source, name),
        "metadata": {
            "kernelspec": {"display_name": "Rust", "language": "rust", "name": "rust"},
            "language_info": {
                "codemirror_mode": "rust",
                "file_extension": ".rs",
                "mimetype": "text/rust",
                "name": "Rust",
                "pygment_lexer": "rust",
            },
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    for i, c in enumerate(nb["cells"]):
        c["id"] = f"{name[:20]}-{i:02d}"
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def write():
    OUT.mkdir(exist_ok=True)
    for name in EXAMPLES:
        (OUT / f"{name}.ipynb").write_text(notebook(name))
        print(f"notebooks/{name}.ipynb")


def check():
    stale = [n for n in EXAMPLES if not (OUT / f"{n}.ipynb").exists()
             or (OUT / f"{n}.ipynb").read_text() != notebook(n)]
    if stale:
        sys.exit("out of date (run `python3 scripts/notebooks.py write`): " + ", ".join(stale))
    print(f"{len(EXAMPLES)} notebooks match their examples")


def run():
    import nbformat
    from nbclient import NotebookClient

    failed = []
    for name in EXAMPLES:
        path = OUT / f"{name}.ipynb"
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb, kernel_name="rust", timeout=1200, resources={"metadata": {"path": str(OUT)}},
            allow_errors=True,
        )
        client.execute()
        errors = []
        for i, c in enumerate(nb.cells):
            for o in c.get("outputs", []):
                # A failed check in evcxr is stderr text with status ok ("Run All" goes on):
                # any error output or stderr text is a failure here.
                if o.get("output_type") == "error" or (
                    o.get("output_type") == "stream" and o.get("name") == "stderr"
                ):
                    text = o.get("text") or "\n".join(o.get("traceback", []))
                    errors.append(f"cell {i}: {text.strip()[:500]}")
        status = "ok" if not errors else "FAILED"
        print(f"{name}: {len(nb.cells)} cells, {status}")
        for e in errors:
            print("   ", e)
        if errors:
            failed.append(name)
    if failed:
        sys.exit("notebooks with errors: " + ", ".join(failed))


if __name__ == "__main__":
    commands = {"write": write, "check": check, "run": run}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]]()
