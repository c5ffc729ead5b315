//! # midstream-flow
//!
//! The numeric engines of [midstream](https://github.com/midstream-rs/midstream): they know
//! columns, rows, coefficients and numbers, and nothing of datasets, facilities or petgraph.
//!
//! - [`LinearProgram`] and [`LpSolver`]: a linear program built once and solved many times with
//!   other bound values or objectives, over [Clarabel](https://clarabel.org) (an
//!   interior-point solver in pure Rust). Each solve gives the optimum, the values, the dual
//!   value (marginal value) of every bound, and, on request, the range of any linear
//!   expression over the optimal solutions ([`LpSolver::range`]). An infeasible program names
//!   the bounds that conflict, an unbounded one the columns that grow.
//!
//! ```
//! use midstream_flow::{Bound, LinearProgram, LpSolver, RowBounds};
//! //   mine A (40 t) --+
//! //                   +--> plant (100 t) --> buyers
//! //   mine B (70 t) --+
//! let mut lp = LinearProgram::new();
//! let a = lp.add_column(0.0, Some(40.0))?;
//! let b = lp.add_column(0.0, Some(70.0))?;
//! let plant = lp.add_row(&[(a, 1.0), (b, 1.0)], RowBounds::AtMost(100.0))?;
//! let mut solver = LpSolver::new(&lp, &Default::default())?;
//! let best = solver.maximize(&[(a, 1.0), (b, 1.0)])?;
//! assert!((best.objective() - 100.0).abs() < 1e-6);
//! assert!(best.dual(Bound::RowUpper(plant)).is_some_and(|d| (d - 1.0).abs() < 1e-6));
//!
//! // Build once, solve many: a 30 t plant, without building the model again.
//! solver.set_bound(Bound::RowUpper(plant), 30.0)?;
//! assert!((solver.maximize(&[(a, 1.0), (b, 1.0)])?.objective() - 30.0).abs() < 1e-6);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Features
//! None. The max-flow / min-cut engine and the DIMACS reader still live in `midstream-graph`;
//! they move here next (see docs/ARCHITECTURE.md).

#![doc(test(attr(deny(warnings))))]

mod error;
mod lp;

pub use error::FlowError;
pub use lp::{Bound, Column, LinearProgram, LpOptions, LpSolution, LpSolver, Row, RowBounds};
