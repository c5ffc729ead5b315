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
//! - [`FlowNetwork`], [`max_flow`], [`MinCut`], [`FlowPath`], [`FlowRemoval`]: maximum flow
//!   (Dinic's algorithm on shallow networks, push-relabel on deep ones, chosen by
//!   [`SHALLOW_DEPTH`]; a compact residual network in CSR form, two threads on wide levels)
//!   and minimum cut on integer capacities, decomposition into paths, and re-routing after a
//!   removal; the DIMACS maximum-flow format both ways ([`read_dimacs`], [`write_dimacs`]).
//! - [`SplitMix64`]: the seedable generator of generators, tests and Monte Carlo draws.
//!
//! ```
//! use midstream_flow::{FlowNetwork, max_flow};
//! // 0 -> 1 (5), 0 -> 2 (3), 1 -> 3 (4), 2 -> 3 (6)
//! let net = FlowNetwork::from_edges(4, &[(0, 1, 5), (0, 2, 3), (1, 3, 4), (2, 3, 6)])?;
//! let flow = max_flow(&net, 0, 3)?;
//! assert_eq!(flow.value(), 7);
//! assert_eq!(flow.min_cut().capacity, 7);
//! # Ok::<(), midstream_flow::FlowError>(())
//! ```
//!
//! ## Features
//! None.

#![doc(test(attr(deny(warnings))))]

mod dimacs;
mod error;
mod lp;
mod maxflow;
mod rng;

pub use dimacs::{DimacsProblem, MAX_SPARE_NODES, parse_dimacs, read_dimacs, write_dimacs};
pub use error::FlowError;
pub use lp::{
    Bound, Column, LinearProgram, LpBackend, LpOptions, LpSolution, LpSolver, Row, RowBounds,
};
pub use maxflow::{
    Algorithm, FlowNetwork, FlowPath, FlowProfile, FlowRemoval, MaxFlow, MinCut, SHALLOW_DEPTH,
    max_flow, max_flow_with,
};
pub use rng::SplitMix64;
