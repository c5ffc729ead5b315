//! Linear programs: built once, solved many times with other bounds or objectives.
//!
//! # Form
//! Maximise `c·x` subject to `l_j ≤ x_j ≤ u_j` for every column and `L_i ≤ a_i·x ≤ U_i` for
//! every row, where each column has a finite lower bound and an optional upper bound, and each
//! row an upper bound, a lower bound, both, or one value (an equality). Which bounds exist is
//! the *structure*, fixed when the solver is built; their *values* and the objective can change
//! between solves ([`LpSolver::set_bound`], [`LpSolver::maximize`]) without building again.
//!
//! # Solver
//! [Clarabel](https://clarabel.org) by default ([`LpBackend::Clarabel`]), an interior-point
//! solver in pure Rust, on the standard conic form `min q·x  s.t.  A x + s = b,  s ∈ K` with `K`
//! a zero cone (equalities) times a non-negative cone (every other bound). Clarabel's presolve
//! is off, so that the factorised model can be updated in place.
//!
//! With the `highs` feature, [`LpBackend::Highs`] solves the same program with HiGHS' dual
//! simplex, which re-solves from the previous optimal basis: a re-solve after a one-tonne
//! change or a new objective takes a few pivots where an interior-point method starts afresh.
//! Its solutions are vertices of the optimal face, not its centre ([`LpSolver::is_central`]).
//!
//! # Folded chains
//! [`LpSolver`] first folds rows of two terms that make one column a fixed multiple of another
//! out of the program (`reduce.rs`; on the synthetic chain of 200 facilities, 1,090 of 1,906
//! rows), solves the smaller program, and states the answer in the program's terms.
//!
//! # Tolerance
//! Clarabel stops when the relative duality gap and the relative primal and dual residuals are
//! below [`LpOptions::tolerance`] (default 1e-13; Clarabel's own default is 1e-8). The two
//! solves of [`LpSolver::range`] run at [`LpOptions::range_tolerance`] (default 1e-10): a range
//! is read against a floor on the objective that is itself looser than that, and at 1e-13
//! Clarabel sometimes stops short on such programs. Values come back as `f64`: callers that
//! report exact quantities round them at their boundary.
//!
//! # Duals and the optimal face
//! An interior-point method converges to the *centre* of the set of optimal solutions (primal
//! and dual), not to one of its vertices. So a dual value that is zero here is zero in every
//! optimal dual solution (no decrease of that bound can cost anything), and a primal value is
//! the mean of the optimal flows, not one solver's arbitrary corner. Where a quantity differs
//! between optimal solutions, ask for its range ([`LpSolver::range`]) under a floor on the
//! objective.

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettings, DefaultSettingsBuilder, DefaultSolver, IPSolver, SolverStatus, SupportedConeT,
};

use std::collections::HashMap;
use std::sync::Arc;

use crate::error::FlowError;

#[cfg(feature = "highs")]
mod highs;
pub(crate) mod index;
mod reduce;
mod solver;

pub use index::{Bound, Column, Row, RowBounds};
pub use solver::LpSolver;

#[derive(Clone, Debug)]
struct RowData {
    terms: Vec<(Column, f64)>,
    bounds: RowBounds,
}

impl RowData {
    /// The row's terms by column index, in column order, a column's repeated terms added up
    /// (as [`LinearProgram::add_row`] reads them).
    fn summed_terms(&self) -> Vec<(usize, f64)> {
        let mut terms: Vec<(usize, f64)> =
            self.terms.iter().map(|&(c, a)| (c.index(), a)).collect();
        terms.sort_by_key(|&(j, _)| j);
        let mut summed: Vec<(usize, f64)> = Vec::with_capacity(terms.len());
        for (j, a) in terms {
            match summed.last_mut() {
                Some((k, sum)) if *k == j => *sum += a,
                _ => summed.push((j, a)),
            }
        }
        summed
    }
}

/// A linear program to maximise, built column by column and row by row.
///
/// ```
/// use midstream_flow::{LinearProgram, LpSolver, RowBounds};
/// // Two mines (40 t, 70 t) feed one plant of 100 t: at most 100 t.
/// let mut lp = LinearProgram::new();
/// let a = lp.add_column(0.0, Some(40.0))?;
/// let b = lp.add_column(0.0, Some(70.0))?;
/// let plant = lp.add_row(&[(a, 1.0), (b, 1.0)], RowBounds::AtMost(100.0))?;
/// let mut solver = LpSolver::new(&lp, &Default::default())?;
/// let best = solver.maximize(&[(a, 1.0), (b, 1.0)])?;
/// assert!((best.objective() - 100.0).abs() < 1e-6);
/// // One more tonne of plant capacity gives one more tonne.
/// assert!((best.dual(midstream_flow::Bound::RowUpper(plant)).unwrap_or(0.0) - 1.0).abs() < 1e-6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct LinearProgram {
    lower: Vec<f64>,
    upper: Vec<Option<f64>>,
    rows: Vec<RowData>,
}

fn finite(value: f64, what: &'static str) -> Result<f64, FlowError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(FlowError::NonFinite { what, value })
    }
}

impl LinearProgram {
    /// An empty program.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a column with a finite lower bound and an optional upper bound.
    ///
    /// # Errors
    /// [`FlowError::NonFinite`] for a bound that is NaN or infinite; [`FlowError::TooLarge`]
    /// past 2^31 - 1 columns.
    pub fn add_column(&mut self, lower: f64, upper: Option<f64>) -> Result<Column, FlowError> {
        finite(lower, "a column's lower bound")?;
        if let Some(u) = upper {
            finite(u, "a column's upper bound")?;
        }
        let index = checked_index(self.lower.len(), "columns")?;
        self.lower.push(lower);
        self.upper.push(upper);
        Ok(Column(index))
    }

    /// Adds a row `Σ coefficient × column` within `bounds`. Terms naming the same column add up.
    ///
    /// # Errors
    /// [`FlowError::NonFinite`] for a coefficient or bound that is NaN or infinite;
    /// [`FlowError::UnknownColumn`] for a column of another program; [`FlowError::TooLarge`].
    pub fn add_row(
        &mut self,
        terms: &[(Column, f64)],
        bounds: RowBounds,
    ) -> Result<Row, FlowError> {
        for &(column, coefficient) in terms {
            finite(coefficient, "a coefficient")?;
            if column.index() >= self.lower.len() {
                return Err(FlowError::UnknownColumn {
                    column: column.index(),
                    columns: self.lower.len(),
                });
            }
        }
        match bounds {
            RowBounds::Equal(v) | RowBounds::AtMost(v) | RowBounds::AtLeast(v) => {
                finite(v, "a row bound")?;
            }
            RowBounds::Between(l, u) => {
                finite(l, "a row bound")?;
                finite(u, "a row bound")?;
            }
        }
        let index = checked_index(self.rows.len(), "rows")?;
        self.rows.push(RowData {
            terms: terms.to_vec(),
            bounds,
        });
        Ok(Row(index))
    }

    /// The number of columns.
    #[must_use]
    pub fn columns(&self) -> usize {
        self.lower.len()
    }

    /// The number of rows.
    #[must_use]
    pub fn rows(&self) -> usize {
        self.rows.len()
    }
}

fn checked_index(len: usize, what: &'static str) -> Result<u32, FlowError> {
    u32::try_from(len)
        .ok()
        .filter(|&i| i < i32::MAX as u32)
        .ok_or(FlowError::TooLarge { what, count: len })
}

/// The solver behind an [`LpSolver`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LpBackend {
    /// Clarabel's interior-point method (pure Rust): solutions at the centre of the optimal
    /// face, each solve from afresh.
    #[default]
    Clarabel,
    /// HiGHS' dual simplex (feature `highs`; builds HiGHS from C++ source, with cmake and
    /// libclang): vertex solutions, each re-solve from the previous optimal basis.
    #[cfg(feature = "highs")]
    Highs,
}

/// Settings of [`LpSolver`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LpOptions {
    /// Relative duality gap and feasibility tolerance of [`LpSolver::maximize`] (default 1e-13).
    pub tolerance: f64,
    /// The same tolerance for the two solves of [`LpSolver::range`] (default 1e-10).
    pub range_tolerance: f64,
    /// Interior-point iteration limit (default 200).
    pub max_iterations: u32,
    /// The solver (default [`LpBackend::Clarabel`]). The tolerances and the iteration limit
    /// above are Clarabel's; HiGHS keeps its own defaults (feasibility to 1e-7, absolute).
    pub backend: LpBackend,
    /// Fold rows of two terms of value zero that make one column a fixed positive multiple of
    /// another out of the program before solving (default `true`; [`LpSolver`] says when a
    /// row folds). The optimum and every range are the same either way; a central solution
    /// (Clarabel's) may sit elsewhere on a face of many optima, since the barrier then counts
    /// a chain's floor once instead of once per column.
    pub reduce: bool,
}

impl Default for LpOptions {
    fn default() -> Self {
        Self {
            tolerance: 1e-13,
            range_tolerance: 1e-10,
            max_iterations: 200,
            backend: LpBackend::Clarabel,
            reduce: true,
        }
    }
}

/// One solver of one program (the reduced one of an [`LpSolver`], or the program itself): the
/// engine, the program's bounds in the engine's order and their values.
struct Kernel {
    engine: Engine,
    columns: usize,
    /// The conic right-hand side, in the order of `bounds`.
    b: Vec<f64>,
    /// What each conic row stands for: the bound and the sign its value enters `b` with.
    bounds: Vec<(Bound, f64)>,
    /// Where each bound's dual sits, shared with every solution.
    layout: Arc<Layout>,
    options: LpOptions,
    /// Whether `b` changed since Clarabel last saw it.
    b_changed: bool,
    equalities: usize,
    /// The program, for copies and certificates of infeasibility.
    program: LinearProgram,
}

/// The solver a [`Kernel`] runs.
enum Engine {
    Clarabel(Box<DefaultSolver<f64>>),
    #[cfg(feature = "highs")]
    Highs(highs::Highs),
}

impl std::fmt::Debug for Kernel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kernel")
            .field("columns", &self.columns)
            .field("bounds", &self.bounds.len())
            .field("equalities", &self.equalities)
            .field("backend", &self.options.backend)
            .finish_non_exhaustive()
    }
}

fn settings(options: &LpOptions) -> Result<DefaultSettings<f64>, FlowError> {
    DefaultSettingsBuilder::default()
        .verbose(false)
        .presolve_enable(false)
        .input_sparse_dropzeros(false)
        .max_iter(options.max_iterations)
        .tol_gap_abs(options.tolerance)
        .tol_gap_rel(options.tolerance)
        .tol_feas(options.tolerance)
        .tol_ktratio(options.tolerance.sqrt().min(1e-6))
        .build()
        .map_err(|e| FlowError::Solver {
            message: e.to_string(),
        })
}

impl Kernel {
    /// Builds the solver of `lp`.
    ///
    /// # Errors
    /// [`FlowError::Solver`] if Clarabel refuses the model or the options.
    fn new(lp: &LinearProgram, options: &LpOptions) -> Result<Self, FlowError> {
        let Conic {
            bounds,
            b,
            entries,
            equalities,
        } = Conic::of(lp);
        let n = lp.columns();
        let engine = match options.backend {
            LpBackend::Clarabel => {
                let m = bounds.len();
                let a = csc(m, n, entries);
                let p = CscMatrix::<f64>::zeros((n, n));
                let q = vec![0.0; n];
                let cones = [
                    SupportedConeT::ZeroConeT(equalities),
                    SupportedConeT::NonnegativeConeT(m - equalities),
                ];
                let solver = DefaultSolver::new(&p, &q, &a, &b, &cones, settings(options)?)
                    .map_err(|e| FlowError::Solver {
                        message: e.to_string(),
                    })?;
                Engine::Clarabel(Box::new(solver))
            }
            #[cfg(feature = "highs")]
            LpBackend::Highs => Engine::Highs(highs::Highs::new(lp, &bound_values(&bounds, &b))?),
        };
        let layout = Arc::new(Layout::of(&bounds));
        Ok(Self {
            engine,
            columns: n,
            b,
            bounds,
            layout,
            options: *options,
            b_changed: false,
            equalities,
            program: lp.clone(),
        })
    }

    /// Sets the value of a bound the program has.
    ///
    /// # Errors
    /// [`FlowError::NoSuchBound`] if the program was built without that bound (its structure
    /// is fixed); [`FlowError::NonFinite`] for a NaN or infinite value.
    fn set_bound(&mut self, bound: Bound, value: f64) -> Result<(), FlowError> {
        self.layout.set(&mut self.b, bound, value)?;
        // Clarabel rescales the whole right-hand side on each update: pass it once, before
        // the next solve, however many bounds change.
        self.b_changed = true;
        Ok(())
    }

    /// Maximises `Σ coefficient × column` under the current bounds.
    ///
    /// # Errors
    /// [`FlowError::Infeasible`] with the bounds that conflict (the support of Clarabel's
    /// certificate of infeasibility), [`FlowError::Unbounded`] with the columns that grow
    /// without limit, [`FlowError::NotSolved`] if the solver stopped for another reason,
    /// [`FlowError::UnknownColumn`] or [`FlowError::NonFinite`] for a bad objective.
    fn maximize(&mut self, objective: &[(Column, f64)]) -> Result<LpSolution, FlowError> {
        let mut q = vec![0.0; self.columns];
        for &(column, coefficient) in objective {
            finite(coefficient, "an objective coefficient")?;
            let slot = q.get_mut(column.index()).ok_or(FlowError::UnknownColumn {
                column: column.index(),
                columns: self.columns,
            })?;
            *slot += coefficient;
        }
        match &mut self.engine {
            Engine::Clarabel(solver) => {
                let negated: Vec<f64> = q.iter().map(|c| -c).collect();
                Self::maximize_clarabel(
                    solver,
                    &negated,
                    &self.b,
                    &mut self.b_changed,
                    &self.options,
                    &self.layout,
                )
                .or_else(|e| match e {
                    // Named here, where the program and its bounds are known.
                    FlowError::Infeasible { .. } => Err(FlowError::Infeasible {
                        bounds: self.conflict()?,
                    }),
                    e => Err(e),
                })
            }
            #[cfg(feature = "highs")]
            Engine::Highs(engine) => {
                let n = self.columns;
                let values = bound_values(&self.bounds, &self.b);
                let terms = q
                    .iter()
                    .enumerate()
                    .filter(|&(_, &c)| c != 0.0)
                    .map(|(j, &c)| (j, c))
                    .collect();
                match engine.maximize(&self.program, &values, terms)? {
                    highs::Outcome::Optimal {
                        objective,
                        mut values,
                        reduced_costs,
                        row_values,
                        row_duals,
                    } => {
                        let mut duals = Vec::with_capacity(self.bounds.len());
                        let mut slacks = Vec::with_capacity(self.bounds.len());
                        // A column's reduced cost and value; a row's dual and activity (a slack
                        // column's reduced cost is its row's dual: its coefficient is -1 and its
                        // cost 0, so either form reads alike).
                        let at = |d: &[f64], x: &[f64], k: usize| {
                            (
                                d.get(k).copied().unwrap_or(0.0),
                                x.get(k).copied().unwrap_or(0.0),
                            )
                        };
                        for (&(bound, sign), &b) in self.bounds.iter().zip(&self.b) {
                            let v = sign * b;
                            // A reduced cost belongs to the bound its column sits at: raising
                            // an upper bound gains it if positive, raising a lower bound if
                            // negative (it loses then).
                            let (dual, slack) = match engine.place(bound) {
                                highs::Place::Upper(j) => {
                                    let (d, x) = at(&reduced_costs, &values, j);
                                    (d.max(0.0), v - x)
                                }
                                highs::Place::Lower(j) => {
                                    let (d, x) = at(&reduced_costs, &values, j);
                                    (d.min(0.0), x - v)
                                }
                                highs::Place::Fixed(j) => {
                                    let (d, x) = at(&reduced_costs, &values, j);
                                    (d, (x - v).abs())
                                }
                                highs::Place::Row(i) => {
                                    let (d, x) = at(&row_duals, &row_values, i);
                                    (d, (x - v).abs())
                                }
                            };
                            duals.push(sign * dual);
                            slacks.push(slack.max(0.0));
                        }
                        values.truncate(n);
                        Ok(LpSolution {
                            objective,
                            values,
                            duals,
                            slacks,
                            reduced_accuracy: false,
                            layout: Arc::clone(&self.layout),
                        })
                    }
                    // Infeasible, unbounded or stopped: the interior-point solver says which
                    // bounds conflict or which columns grow (a certificate the simplex
                    // interface does not give), or solves what HiGHS could not.
                    highs::Outcome::Other => {
                        let mut diagnosis = Self::new(
                            &self.program,
                            &LpOptions {
                                backend: LpBackend::Clarabel,
                                ..self.options
                            },
                        )?;
                        diagnosis.set_values(&self.b);
                        diagnosis.maximize(objective)
                    }
                }
            }
        }
    }

    /// As [`LpSolver::is_central`].
    fn is_central(&self) -> bool {
        match self.engine {
            Engine::Clarabel(_) => true,
            #[cfg(feature = "highs")]
            Engine::Highs(_) => false,
        }
    }

    #[allow(clippy::ptr_arg)] // Reason: Clarabel's update takes `&Vec<f64>`, not a slice.
    fn maximize_clarabel(
        solver: &mut DefaultSolver<f64>,
        q: &Vec<f64>,
        b: &Vec<f64>,
        b_changed: &mut bool,
        options: &LpOptions,
        layout: &Arc<Layout>,
    ) -> Result<LpSolution, FlowError> {
        solver.update_q(q).map_err(|e| FlowError::Solver {
            message: e.to_string(),
        })?;
        if *b_changed {
            solver.update_b(b).map_err(|e| FlowError::Solver {
                message: e.to_string(),
            })?;
            *b_changed = false;
        }
        solver.solve();
        // A program whose feasible set has no interior (a bound set to zero, a floor at the
        // optimum) can stall an interior-point method short of a strict tolerance: solve again
        // at looser ones, down to Clarabel's own default, and say the accuracy is reduced.
        let strict = solver.settings().tol_gap_rel;
        let mut loosened = false;
        let mut tolerance = strict;
        while stalled(&solver.solution) && tolerance < LOOSEST_TOLERANCE {
            tolerance = (tolerance * 1e3).min(LOOSEST_TOLERANCE);
            set_tolerance(solver, options, tolerance)?;
            loosened = true;
            solver.solve();
        }
        if loosened {
            set_tolerance(solver, options, strict)?;
        }
        let solution = &solver.solution;
        // At the strict default tolerance Clarabel may stop short of it, with an iterate whose
        // residuals are still small: that is a solution of reduced accuracy, not a failure.
        let close = solution.status == SolverStatus::InsufficientProgress
            && solution.r_prim.abs() <= 1e-8
            && solution.r_dual.abs() <= 1e-8;
        match solution.status {
            SolverStatus::Solved
            | SolverStatus::AlmostSolved
            | SolverStatus::InsufficientProgress
                if close || solution.status != SolverStatus::InsufficientProgress =>
            {
                Ok(LpSolution {
                    objective: -solution.obj_val,
                    values: solution.x.clone(),
                    duals: solution.z.clone(),
                    slacks: solution.s.clone(),
                    reduced_accuracy: loosened || solution.status != SolverStatus::Solved,
                    layout: Arc::clone(layout),
                })
            }
            SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => {
                Err(FlowError::Infeasible { bounds: Vec::new() })
            }
            SolverStatus::DualInfeasible | SolverStatus::AlmostDualInfeasible => {
                let x = &solution.x;
                let largest = x.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
                let columns = x
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| largest > 0.0 && v.abs() > 1e-6 * largest)
                    .map(|(j, _)| Column(to_u32(j)))
                    .collect();
                Err(FlowError::Unbounded { columns })
            }
            status => Err(FlowError::NotSolved {
                status: format!("{status:?}"),
                iterations: solution.iterations,
            }),
        }
    }

    /// The bounds of a smallest certificate of infeasibility: non-negative multipliers `z` of
    /// the bounds (free for equalities) with `Aᵀz = 0` and `b·z ≤ -1`, least in `Σ|z|`. The
    /// certificate Clarabel returns is central, so it also weighs bounds that only cancel each
    /// other (a column's lower and upper bound); the least one weighs only bounds that take part
    /// in a conflict.
    fn conflict(&self) -> Result<Vec<Bound>, FlowError> {
        let mut lp = LinearProgram::new();
        let mut by_column: Vec<Vec<(Column, f64)>> = vec![Vec::new(); self.columns];
        let mut weight = Vec::new();
        let mut violation = Vec::new();
        // One multiplier per conic row, split in two for equalities.
        let mut multipliers: Vec<Vec<(Column, f64)>> = Vec::with_capacity(self.b.len());
        for (k, &b) in self.b.iter().enumerate() {
            let signs: &[f64] = if k < self.equalities {
                &[1.0, -1.0]
            } else {
                &[1.0]
            };
            let mut parts = Vec::new();
            for &sign in signs {
                let z = lp.add_column(0.0, None)?;
                weight.push((z, 1.0));
                violation.push((z, sign * b));
                parts.push((z, sign));
            }
            multipliers.push(parts);
        }
        for &(k, j, a) in &Conic::of(&self.program).entries {
            if let (Some(parts), Some(column)) = (multipliers.get(k), by_column.get_mut(j)) {
                column.extend(parts.iter().map(|&(z, sign)| (z, sign * a)));
            }
        }
        for terms in &by_column {
            lp.add_row(terms, RowBounds::Equal(0.0))?;
        }
        lp.add_row(&violation, RowBounds::AtMost(-1.0))?;
        let mut solver = Kernel::new(&lp, &LpOptions::default())?;
        let negated: Vec<(Column, f64)> = weight.iter().map(|&(z, _)| (z, -1.0)).collect();
        let least = solver.maximize(&negated)?;
        let largest = least.values().iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        Ok(self
            .bounds
            .iter()
            .zip(&multipliers)
            .filter(|(_, parts)| parts.iter().any(|&(z, _)| least.value(z) > 1e-6 * largest))
            .map(|((bound, _), _)| *bound)
            .collect())
    }

    /// One end of [`LpSolver::range`]: the most of the expression, or the least, as the
    /// solution that reaches it (its [`LpSolution::objective`] is the expression's value
    /// there, whichever end). That solution is itself optimal for the held objective, so it
    /// bounds the ends of other expressions too. Solving many expressions' most one after
    /// another, then their least, keeps a simplex backend's consecutive objectives alike.
    ///
    /// # Errors
    /// As [`LpSolver::maximize`].
    fn range_end(
        &mut self,
        expression: &[(Column, f64)],
        most: bool,
    ) -> Result<LpSolution, FlowError> {
        self.set_tolerance(self.options.range_tolerance)?;
        let end = if most {
            self.maximize(expression)
        } else {
            let negated: Vec<(Column, f64)> = expression.iter().map(|&(c, a)| (c, -a)).collect();
            self.maximize(&negated).map(|mut s| {
                s.objective = -s.objective;
                s
            })
        };
        self.set_tolerance(self.options.tolerance)?;
        end
    }

    /// Sets every bound value to `other`'s (a solver of the same program, e.g. from
    /// [`LpSolver::try_clone`]); nothing happens for a program of another size.
    fn copy_bounds_from(&mut self, other: &Self) {
        if self.b.len() == other.b.len() {
            self.b.clone_from(&other.b);
            self.b_changed = true;
        }
    }

    /// Sets every bound value from a right-hand side laid out as this program's.
    fn set_values(&mut self, b: &[f64]) {
        if self.b.len() == b.len() {
            self.b.copy_from_slice(b);
            self.b_changed = true;
        }
    }

    /// Clarabel's tolerance for the next solves (HiGHS keeps its own).
    fn set_tolerance(&mut self, tolerance: f64) -> Result<(), FlowError> {
        match &mut self.engine {
            Engine::Clarabel(solver) => set_tolerance(solver, &self.options, tolerance),
            #[cfg(feature = "highs")]
            Engine::Highs(_) => Ok(()),
        }
    }
}

fn set_tolerance(
    solver: &mut DefaultSolver<f64>,
    options: &LpOptions,
    tolerance: f64,
) -> Result<(), FlowError> {
    let options = LpOptions {
        tolerance,
        ..*options
    };
    solver
        .update_settings(settings(&options)?)
        .map_err(|e| FlowError::Solver {
            message: e.to_string(),
        })
}

/// Every bound of the program with its value (`bounds` with their signs, `b` the conic
/// right-hand side).
#[cfg(feature = "highs")]
fn bound_values(bounds: &[(Bound, f64)], b: &[f64]) -> Vec<(Bound, f64)> {
    bounds
        .iter()
        .zip(b)
        .map(|(&(bound, sign), &v)| (bound, sign * v))
        .collect()
}

/// A solution of [`LpSolver::maximize`].
#[derive(Clone, Debug)]
pub struct LpSolution {
    objective: f64,
    values: Vec<f64>,
    duals: Vec<f64>,
    /// Each bound's slack, in the layout's order.
    slacks: Vec<f64>,
    reduced_accuracy: bool,
    layout: Arc<Layout>,
}

/// The conic row of each bound and the sign its value enters with: one per solver, shared by
/// its solutions.
#[derive(Debug)]
struct Layout {
    position: HashMap<Bound, usize>,
    signs: Vec<f64>,
}

impl Layout {
    /// Writes `value` as `bound`'s in `b`, the right-hand side this layout orders (signed).
    ///
    /// # Errors
    /// [`FlowError::NoSuchBound`] for a bound the layout lacks; [`FlowError::NonFinite`] for
    /// a NaN or infinite value.
    fn set(&self, b: &mut [f64], bound: Bound, value: f64) -> Result<(), FlowError> {
        finite(value, "a bound")?;
        let &k = self
            .position
            .get(&bound)
            .ok_or(FlowError::NoSuchBound { bound })?;
        let sign = self.signs.get(k).copied().unwrap_or(1.0);
        if let Some(slot) = b.get_mut(k) {
            *slot = sign * value;
        }
        Ok(())
    }

    /// `bound`'s value in `b`, the right-hand side this layout orders.
    fn value(&self, b: &[f64], bound: Bound) -> Option<f64> {
        let &k = self.position.get(&bound)?;
        Some(self.signs.get(k)? * b.get(k)?)
    }

    /// The layout of `bounds` (each with its sign), in their order.
    fn of(bounds: &[(Bound, f64)]) -> Self {
        Self {
            position: bounds
                .iter()
                .enumerate()
                .map(|(k, (bound, _))| (*bound, k))
                .collect(),
            signs: bounds.iter().map(|(_, s)| *s).collect(),
        }
    }
}

impl LpSolution {
    /// The optimal objective.
    #[must_use]
    pub fn objective(&self) -> f64 {
        self.objective
    }

    /// A column's value (0 for a column of another program).
    #[must_use]
    pub fn value(&self, column: Column) -> f64 {
        self.values.get(column.index()).copied().unwrap_or(0.0)
    }

    /// Every column's value, in column order.
    #[must_use]
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The change of the optimum per unit increase of a bound's value (a marginal value), or
    /// `None` if the program has no such bound. Non-negative for an upper bound, non-positive
    /// for a lower bound, either sign for an equality. Interior-point duals lie at the centre
    /// of the optimal dual set: a zero is zero in every optimal dual solution.
    #[must_use]
    pub fn dual(&self, bound: Bound) -> Option<f64> {
        let &k = self.layout.position.get(&bound)?;
        Some(self.layout.signs.get(k)? * self.duals.get(k)?)
    }

    /// How far the bounded quantity (a column, or a row's `a·x`) is from a bound in this
    /// solution: zero where the bound holds with equality, or `None` if the program has no such
    /// bound.
    #[must_use]
    pub fn slack(&self, bound: Bound) -> Option<f64> {
        let &k = self.layout.position.get(&bound)?;
        self.slacks.get(k).copied()
    }

    /// Whether Clarabel reached only its reduced accuracy (about 5e-5 relative) before
    /// stopping.
    #[must_use]
    pub fn reduced_accuracy(&self) -> bool {
        self.reduced_accuracy
    }
}

// A solver moves to a helper thread (`midstream-graph` solves independent programs on two).
const _: fn() = || {
    fn is_send<T: Send>() {}
    is_send::<LpSolver>();
};

/// Clarabel's default tolerance: the loosest a stalled solve is retried at.
const LOOSEST_TOLERANCE: f64 = 1e-8;

/// Whether Clarabel stopped without an answer it could certify: short of progress with
/// residuals that are not small, out of iterations or numerically stuck.
fn stalled(solution: &clarabel::solver::DefaultSolution<f64>) -> bool {
    match solution.status {
        SolverStatus::InsufficientProgress => {
            solution.r_prim.abs() > 1e-8 || solution.r_dual.abs() > 1e-8
        }
        SolverStatus::MaxIterations | SolverStatus::NumericalError => true,
        _ => false,
    }
}

/// `len` as `u32`; callers hold fewer than 2^31 items (checked when columns and rows are added).
fn to_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// A program in Clarabel's conic form `A x + s = b`: equalities first (zero cone), then every
/// inequality (non-negative cone), each conic row standing for one bound.
struct Conic {
    /// What each conic row stands for: the bound and the sign its value enters `b` with.
    bounds: Vec<(Bound, f64)>,
    /// The right-hand side, from the program's bound values.
    b: Vec<f64>,
    /// The matrix as (conic row, column, value).
    entries: Vec<(usize, usize, f64)>,
    /// How many conic rows are equalities.
    equalities: usize,
}

impl Conic {
    fn of(lp: &LinearProgram) -> Self {
        let mut bounds: Vec<(Bound, f64)> = Vec::new();
        let mut b = Vec::new();
        let mut entries: Vec<(usize, usize, f64)> = Vec::new();
        for (i, row) in lp.rows.iter().enumerate() {
            if let RowBounds::Equal(v) = row.bounds {
                let r = Row(to_u32(i));
                let k = bounds.len();
                bounds.push((Bound::RowEqual(r), 1.0));
                b.push(v);
                entries.extend(row.terms.iter().map(|&(c, a)| (k, c.index(), a)));
            }
        }
        let equalities = bounds.len();
        for (j, (&lower, upper)) in lp.lower.iter().zip(&lp.upper).enumerate() {
            let c = Column(to_u32(j));
            // -x_j <= -l_j
            entries.push((bounds.len(), j, -1.0));
            bounds.push((Bound::ColumnLower(c), -1.0));
            b.push(-lower);
            if let Some(u) = *upper {
                entries.push((bounds.len(), j, 1.0));
                bounds.push((Bound::ColumnUpper(c), 1.0));
                b.push(u);
            }
        }
        for (i, row) in lp.rows.iter().enumerate() {
            let r = Row(to_u32(i));
            let (lower, upper) = match row.bounds {
                RowBounds::Equal(_) => continue,
                RowBounds::AtMost(u) => (None, Some(u)),
                RowBounds::AtLeast(l) => (Some(l), None),
                RowBounds::Between(l, u) => (Some(l), Some(u)),
            };
            if let Some(u) = upper {
                let k = bounds.len();
                bounds.push((Bound::RowUpper(r), 1.0));
                b.push(u);
                entries.extend(row.terms.iter().map(|&(c, a)| (k, c.index(), a)));
            }
            if let Some(l) = lower {
                let k = bounds.len();
                bounds.push((Bound::RowLower(r), -1.0));
                b.push(-l);
                entries.extend(row.terms.iter().map(|&(c, a)| (k, c.index(), -a)));
            }
        }
        Self {
            bounds,
            b,
            entries,
            equalities,
        }
    }
}

/// A compressed-sparse-column matrix of `m` rows and `n` columns from (row, column, value)
/// entries, summing duplicates and keeping explicit zeros (Clarabel's data updates need a fixed
/// pattern).
fn csc(m: usize, n: usize, mut entries: Vec<(usize, usize, f64)>) -> CscMatrix<f64> {
    entries.sort_by_key(|&(r, c, _)| (c, r));
    let mut colptr = vec![0usize; n + 1];
    let mut rowval = Vec::with_capacity(entries.len());
    let mut nzval: Vec<f64> = Vec::with_capacity(entries.len());
    let mut last: Option<(usize, usize)> = None;
    for (r, c, v) in entries {
        if last == Some((r, c)) {
            if let Some(x) = nzval.last_mut() {
                *x += v;
            }
            continue;
        }
        last = Some((r, c));
        rowval.push(r);
        nzval.push(v);
        if let Some(count) = colptr.get_mut(c + 1) {
            *count += 1;
        }
    }
    for j in 0..n {
        let before = colptr.get(j).copied().unwrap_or(0);
        if let Some(slot) = colptr.get_mut(j + 1) {
            *slot += before;
        }
    }
    CscMatrix::new(m, n, colptr, rowval, nzval)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-6 * (1.0 + b.abs())
    }

    /// The options of every backend this build has.
    fn backends() -> Vec<LpOptions> {
        let all = vec![LpOptions::default()];
        #[cfg(feature = "highs")]
        let all = [
            all,
            vec![LpOptions {
                backend: LpBackend::Highs,
                ..LpOptions::default()
            }],
        ]
        .concat();
        all
    }

    #[test]
    fn duplicate_terms_add_up() {
        let mut lp = LinearProgram::new();
        let x = lp.add_column(0.0, None).unwrap();
        lp.add_row(&[(x, 1.0), (x, 1.0)], RowBounds::AtMost(10.0))
            .unwrap();
        let mut s = LpSolver::new(&lp, &LpOptions::default()).unwrap();
        assert!(near(s.maximize(&[(x, 1.0)]).unwrap().objective(), 5.0));
    }

    #[test]
    fn bounds_change_without_rebuilding() {
        for options in backends() {
            let mut lp = LinearProgram::new();
            let x = lp.add_column(0.0, Some(3.0)).unwrap();
            let y = lp.add_column(0.0, None).unwrap();
            let r = lp
                .add_row(&[(x, 1.0), (y, 2.0)], RowBounds::Between(1.0, 8.0))
                .unwrap();
            let mut s = LpSolver::new(&lp, &options).unwrap();
            let objective = [(x, 1.0), (y, 1.0)];
            // x = 3, y = 2.5
            assert!(near(s.maximize(&objective).unwrap().objective(), 5.5));
            s.set_bound(Bound::RowUpper(r), 10.0).unwrap();
            assert!(near(s.maximize(&objective).unwrap().objective(), 6.5));
            assert_eq!(s.bound(Bound::RowUpper(r)), Some(10.0));
            s.set_bound(Bound::ColumnLower(y), 1.0).unwrap();
            assert_eq!(s.bound(Bound::ColumnLower(y)), Some(1.0));
            assert!(matches!(
                s.set_bound(Bound::ColumnUpper(y), 1.0),
                Err(FlowError::NoSuchBound { .. })
            ));
            assert!(matches!(
                s.set_bound(Bound::RowUpper(r), f64::NAN),
                Err(FlowError::NonFinite { .. })
            ));
        }
    }

    #[test]
    fn infeasibility_names_the_conflicting_bounds() {
        for options in backends() {
            // x <= 5 and x >= 7 (as a row), y free of trouble.
            let mut lp = LinearProgram::new();
            let x = lp.add_column(0.0, Some(5.0)).unwrap();
            let y = lp.add_column(0.0, Some(1.0)).unwrap();
            let r = lp.add_row(&[(x, 1.0)], RowBounds::AtLeast(7.0)).unwrap();
            let mut s = LpSolver::new(&lp, &options).unwrap();
            let Err(FlowError::Infeasible { bounds }) = s.maximize(&[(y, 1.0)]) else {
                panic!("not infeasible");
            };
            assert!(bounds.contains(&Bound::ColumnUpper(x)), "{bounds:?}");
            assert!(bounds.contains(&Bound::RowLower(r)), "{bounds:?}");
            assert!(!bounds.contains(&Bound::ColumnUpper(y)), "{bounds:?}");
        }
    }

    #[test]
    fn unboundedness_names_the_columns() {
        for options in backends() {
            let mut lp = LinearProgram::new();
            let x = lp.add_column(0.0, None).unwrap();
            let y = lp.add_column(0.0, Some(1.0)).unwrap();
            lp.add_row(&[(y, 1.0)], RowBounds::AtMost(1.0)).unwrap();
            let mut s = LpSolver::new(&lp, &options).unwrap();
            let Err(FlowError::Unbounded { columns }) = s.maximize(&[(x, 1.0), (y, 1.0)]) else {
                panic!("not unbounded");
            };
            assert_eq!(columns, vec![x]);
        }
    }

    #[test]
    fn duals_are_signed_per_bound() {
        for options in backends() {
            // max x + y, x <= 4 (column), x + y <= 10 (row), y >= 2 (column), x - y = 0 (row)
            let mut lp = LinearProgram::new();
            let x = lp.add_column(0.0, Some(4.0)).unwrap();
            let y = lp.add_column(2.0, None).unwrap();
            let cap = lp
                .add_row(&[(x, 1.0), (y, 1.0)], RowBounds::AtMost(10.0))
                .unwrap();
            let tie = lp
                .add_row(&[(x, 1.0), (y, -1.0)], RowBounds::Equal(0.0))
                .unwrap();
            let mut s = LpSolver::new(&lp, &options).unwrap();
            let sol = s.maximize(&[(x, 1.0), (y, 1.0)]).unwrap();
            // x = y = 4: x's upper bound binds, worth 2 per unit (x and y both rise).
            assert!(near(sol.objective(), 8.0));
            assert!(near(sol.dual(Bound::ColumnUpper(x)).unwrap(), 2.0));
            assert!(near(sol.dual(Bound::RowUpper(cap)).unwrap(), 0.0));
            assert!(near(sol.dual(Bound::ColumnLower(y)).unwrap(), 0.0));
            // Raising x - y to 1 lets x = 4, y = 3: optimum 7, so the equality's dual is -1.
            assert!(near(sol.dual(Bound::RowEqual(tie)).unwrap(), -1.0));
            assert_eq!(sol.dual(Bound::ColumnUpper(y)), None);
            // x + y is 2 below its cap, y 2 above its floor, x at its bound.
            assert!(near(sol.slack(Bound::RowUpper(cap)).unwrap(), 2.0));
            assert!(near(sol.slack(Bound::ColumnLower(y)).unwrap(), 2.0));
            assert!(near(sol.slack(Bound::ColumnUpper(x)).unwrap(), 0.0));
            assert_eq!(s.is_central(), options.backend == LpBackend::Clarabel);
            // An equality's value changes too (HiGHS builds its model again).
            s.set_bound(Bound::RowEqual(tie), 1.0).unwrap();
            let moved = s.maximize(&[(x, 1.0), (y, 1.0)]).unwrap();
            assert!(near(moved.objective(), 7.0), "{}", moved.objective());
            assert!(near(moved.value(y), 3.0));
            s.set_bound(Bound::RowEqual(tie), 0.0).unwrap();
            assert!(near(
                s.maximize(&[(x, 1.0), (y, 1.0)]).unwrap().objective(),
                8.0
            ));
        }
    }

    #[test]
    fn a_feasible_set_without_interior_is_solved() {
        // One route from a supply of 3 to a plant of 0: the only feasible point is x = 0.
        let mut lp = LinearProgram::new();
        let x = lp.add_column(0.0, None).unwrap();
        lp.add_row(&[], RowBounds::AtMost(674.0)).unwrap();
        lp.add_row(&[(x, 1.0)], RowBounds::AtMost(3.0)).unwrap();
        lp.add_row(&[(x, 1.0)], RowBounds::AtMost(0.0)).unwrap();
        lp.add_row(&[(x, 1.0)], RowBounds::AtLeast(0.0)).unwrap();
        let mut solver = LpSolver::new(&lp, &LpOptions::default()).unwrap();
        let best = solver.maximize(&[(x, 1.0)]).unwrap();
        assert!(best.objective().abs() < 1e-6, "{}", best.objective());
        let (least, most) = solver.range(&[(x, 1.0)]).unwrap();
        assert!(least.abs() < 1e-6 && most.abs() < 1e-6, "{least} {most}");
        // The strict tolerance is back for the next solve.
        #[allow(irrefutable_let_patterns)] // Reason: refutable with the `highs` feature.
        let Engine::Clarabel(clarabel) = &solver.kernel.engine else {
            panic!("not Clarabel");
        };
        assert!(near(clarabel.settings().tol_gap_rel, 1e-13));
    }

    #[test]
    fn mps_states_every_kind_of_bound() {
        let mut lp = LinearProgram::new();
        let x = lp.add_column(0.0, None).unwrap();
        let y = lp.add_column(1.5, Some(9.0)).unwrap();
        lp.add_row(&[(x, 1.0), (y, 2.0)], RowBounds::Equal(4.0))
            .unwrap();
        lp.add_row(&[(x, 1.0)], RowBounds::AtMost(3.0)).unwrap();
        lp.add_row(&[(y, 1.0)], RowBounds::AtLeast(0.0)).unwrap();
        let r = lp
            .add_row(&[(x, 1.0), (x, 1.0)], RowBounds::Between(1.0, 6.0))
            .unwrap();
        let mut solver = LpSolver::new(&lp, &LpOptions::default()).unwrap();
        // The current values are written, not those the program was built with.
        solver.set_bound(Bound::RowUpper(r), 7.0).unwrap();
        let mut out = Vec::new();
        solver.write_mps("t", &[(x, 1.0)], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "NAME t\nROWS\n N OBJ\n E R0\n L R1\n G R2\n G R3\nCOLUMNS\n C0 OBJ -1\n C0 R0 1\n \
             C0 R1 1\n C0 R3 2\n C1 R0 2\n C1 R2 1\nRHS\n RHS R0 4\n RHS R1 3\n RHS R3 1\n\
             RANGES\n RNG R3 6\nBOUNDS\n LO BND C1 1.5\n UP BND C1 9\nENDATA\n"
        );
    }

    #[test]
    fn range_over_the_optimal_face() {
        for options in backends() {
            // Two equal routes of 10 to one plant of 12: each route carries 2..10.
            let mut lp = LinearProgram::new();
            let a = lp.add_column(0.0, Some(10.0)).unwrap();
            let b = lp.add_column(0.0, Some(10.0)).unwrap();
            lp.add_row(&[(a, 1.0), (b, 1.0)], RowBounds::AtMost(12.0))
                .unwrap();
            let floor = lp
                .add_row(&[(a, 1.0), (b, 1.0)], RowBounds::AtLeast(0.0))
                .unwrap();
            let mut s = LpSolver::new(&lp, &options).unwrap();
            let best = s.maximize(&[(a, 1.0), (b, 1.0)]).unwrap();
            if s.is_central() {
                assert!(
                    near(best.value(a), 6.0),
                    "centre of the face: {}",
                    best.value(a)
                );
            }
            s.set_bound(Bound::RowLower(floor), best.objective() - 1e-7)
                .unwrap();
            let (least, most) = s.range(&[(a, 1.0)]).unwrap();
            assert!(near(least, 2.0) && near(most, 10.0), "{least}..{most}");
            // The same ends one at a time, the most first.
            assert!(near(
                s.range_end(&[(a, 1.0)], true).unwrap().objective(),
                10.0
            ));
            let least_end = s.range_end(&[(a, 1.0)], false).unwrap();
            assert!(near(least_end.objective(), 2.0));
            // The solution at an end is optimal: the other route carries the rest.
            assert!(near(least_end.value(a), 2.0) && near(least_end.value(b), 10.0));
        }
    }

    #[test]
    fn bad_input_is_refused() {
        let mut lp = LinearProgram::new();
        assert!(matches!(
            lp.add_column(f64::NEG_INFINITY, None),
            Err(FlowError::NonFinite { .. })
        ));
        let x = lp.add_column(0.0, None).unwrap();
        let mut other = LinearProgram::new();
        assert!(matches!(
            other.add_row(&[(x, 1.0)], RowBounds::AtMost(1.0)),
            Err(FlowError::UnknownColumn { .. })
        ));
        assert!(matches!(
            lp.add_row(&[(x, f64::NAN)], RowBounds::AtMost(1.0)),
            Err(FlowError::NonFinite { .. })
        ));
    }

    #[test]
    fn bounds_and_objectives_change_between_solves() {
        for options in backends() {
            let mut lp = LinearProgram::new();
            let x = lp.add_column(0.0, Some(3.0)).unwrap();
            let y = lp.add_column(0.0, None).unwrap();
            let r = lp
                .add_row(
                    &[(x, 1.0), (y, 2.0), (y, 0.0)],
                    RowBounds::Between(1.0, 8.0),
                )
                .unwrap();
            let mut s = LpSolver::new(&lp, &options).unwrap();
            let objective = [(x, 1.0), (y, 1.0)];
            s.set_bound(Bound::RowUpper(r), 10.0).unwrap();
            assert!(near(s.maximize(&objective).unwrap().objective(), 6.5));
            // Least x + y with the row at least 1: x = 0, y = 0.5.
            let least = s.maximize(&[(x, -1.0), (y, -1.0)]).unwrap();
            assert!(near(-least.objective(), 0.5));
            s.set_bound(Bound::RowUpper(r), 8.0).unwrap();
            assert!(near(s.maximize(&objective).unwrap().objective(), 5.5));
        }
    }

    #[test]
    fn copies_solve_on_other_threads() {
        for options in backends() {
            let mut lp = LinearProgram::new();
            let x = lp.add_column(0.0, Some(3.0)).unwrap();
            let r = lp.add_row(&[(x, 1.0)], RowBounds::AtMost(2.0)).unwrap();
            let mut s = LpSolver::new(&lp, &options).unwrap();
            s.set_bound(Bound::RowUpper(r), 1.5).unwrap();
            let mut copy = s.try_clone().unwrap();
            let got = std::thread::spawn(move || copy.maximize(&[(x, 1.0)]).unwrap().objective())
                .join()
                .unwrap();
            assert!(near(got, 1.5));
            // And the other backend's copy.
            let mut other = s.with_backend(LpBackend::default()).unwrap();
            assert!(near(other.maximize(&[(x, 1.0)]).unwrap().objective(), 1.5));
        }
    }

    /// A source of at most 10 t, and two conversions in a row: `y = 0.5·x`, `z = 2·y`; the
    /// target `z` is worth 3 a tonne. Both rows fold (`x` is the root: it has an upper bound).
    fn chain() -> (LinearProgram, [Column; 3], [Row; 3]) {
        let mut lp = LinearProgram::new();
        let x = lp.add_column(0.0, Some(10.0)).unwrap();
        let y = lp.add_column(0.0, None).unwrap();
        let z = lp.add_column(0.0, None).unwrap();
        let r1 = lp
            .add_row(&[(y, 1.0), (x, -0.5)], RowBounds::Equal(0.0))
            .unwrap();
        let r2 = lp
            .add_row(&[(z, 1.0), (y, -2.0)], RowBounds::Equal(0.0))
            .unwrap();
        let cap = lp.add_row(&[(z, 1.0)], RowBounds::AtMost(20.0)).unwrap();
        (lp, [x, y, z], [r1, r2, cap])
    }

    #[test]
    fn folded_chains_answer_as_the_whole_program() {
        let (lp, [x, y, z], [r1, r2, cap]) = chain();
        for options in backends() {
            let mut s = LpSolver::new(&lp, &options).unwrap();
            let reduced = s
                .reduction
                .as_ref()
                .map(|r| (r.program.columns(), r.program.rows()));
            assert_eq!(reduced, Some((1, 1)), "both rows fold into x");
            let best = s.maximize(&[(z, 3.0)]).unwrap();
            assert!(near(best.objective(), 30.0));
            assert!(
                near(best.value(x), 10.0) && near(best.value(y), 5.0) && near(best.value(z), 10.0)
            );
            // Per unit of each bound: x's cap is worth 3 (one tonne of x makes one of z), the
            // first row's value 6 (y = 0.5x + v makes 2v of z), the second's 3.
            assert!(near(best.dual(Bound::ColumnUpper(x)).unwrap(), 3.0));
            assert!(near(best.dual(Bound::RowEqual(r1)).unwrap(), 6.0));
            assert!(near(best.dual(Bound::RowEqual(r2)).unwrap(), 3.0));
            assert!(near(best.dual(Bound::RowUpper(cap)).unwrap(), 0.0));
            assert!(near(best.dual(Bound::ColumnLower(y)).unwrap(), 0.0));
            assert!(near(best.slack(Bound::ColumnLower(y)).unwrap(), 5.0));
            assert!(near(best.slack(Bound::RowEqual(r1)).unwrap(), 0.0));
            assert!(near(best.slack(Bound::RowUpper(cap)).unwrap(), 10.0));
            // The same answers with nothing folded.
            let mut whole = LpSolver::new(
                &lp,
                &LpOptions {
                    reduce: false,
                    ..options
                },
            )
            .unwrap();
            assert!(whole.reduction.is_none());
            let reference = whole.maximize(&[(z, 3.0)]).unwrap();
            for bound in [
                Bound::ColumnUpper(x),
                Bound::RowEqual(r1),
                Bound::RowEqual(r2),
                Bound::RowUpper(cap),
            ] {
                assert!(
                    near(best.dual(bound).unwrap(), reference.dual(bound).unwrap()),
                    "{bound:?}"
                );
            }
        }
    }

    #[test]
    fn a_bound_the_fold_relies_on_sends_the_solve_to_the_whole_program() {
        let (lp, [_, _, z], [r1, _, _]) = chain();
        for options in backends() {
            let mut s = LpSolver::new(&lp, &options).unwrap();
            // z at least 4: the reduced program cannot say it (z's floor is folded away).
            s.set_bound(Bound::ColumnLower(z), 4.0).unwrap();
            assert!(near(
                s.range_end(&[(z, 1.0)], false).unwrap().objective(),
                4.0
            ));
            assert!(s.whole.is_some());
            // A folded row's value moved: y = 0.5x + 1, so z = x + 2 is at least 2.
            s.set_bound(Bound::ColumnLower(z), 0.0).unwrap();
            s.set_bound(Bound::RowEqual(r1), 1.0).unwrap();
            assert!(near(
                s.range_end(&[(z, 1.0)], false).unwrap().objective(),
                2.0
            ));
            assert!(near(s.maximize(&[(z, 1.0)]).unwrap().objective(), 12.0));
            // Back to the values the fold holds for: the reduced program answers again.
            s.set_bound(Bound::RowEqual(r1), 0.0).unwrap();
            assert!(near(
                s.range_end(&[(z, 1.0)], false).unwrap().objective(),
                0.0
            ));
            assert!(near(s.maximize(&[(z, 1.0)]).unwrap().objective(), 10.0));
        }
    }

    #[test]
    fn infeasibility_and_unboundedness_name_the_programs_own_bounds_and_columns() {
        for options in backends() {
            // x = 2y, y at least 3 (a row), x at most 4: infeasible.
            let mut lp = LinearProgram::new();
            let x = lp.add_column(0.0, Some(4.0)).unwrap();
            let y = lp.add_column(0.0, None).unwrap();
            lp.add_row(&[(x, 1.0), (y, -2.0)], RowBounds::Equal(0.0))
                .unwrap();
            let floor = lp.add_row(&[(y, 1.0)], RowBounds::AtLeast(3.0)).unwrap();
            let mut s = LpSolver::new(&lp, &options).unwrap();
            assert!(s.reduction.is_some());
            match s.maximize(&[(x, 1.0)]) {
                Err(FlowError::Infeasible { bounds }) => {
                    assert!(bounds.contains(&Bound::ColumnUpper(x)), "{bounds:?}");
                    assert!(bounds.contains(&Bound::RowLower(floor)), "{bounds:?}");
                }
                other => panic!("{other:?}"),
            }
            // u = 3v with neither bounded above: both grow without limit.
            let mut lp = LinearProgram::new();
            let u = lp.add_column(0.0, None).unwrap();
            let v = lp.add_column(0.0, None).unwrap();
            lp.add_row(&[(u, 1.0), (v, -3.0)], RowBounds::Equal(0.0))
                .unwrap();
            let mut s = LpSolver::new(&lp, &options).unwrap();
            match s.maximize(&[(u, 1.0)]) {
                Err(FlowError::Unbounded { columns }) => {
                    assert!(columns.contains(&u) && columns.contains(&v), "{columns:?}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_cap_on_one_column_becomes_its_upper_bound() {
        for options in backends() {
            // y = 2x, y at most 8 (a row), x worth 1 a tonne: x = 4.
            let mut lp = LinearProgram::new();
            let x = lp.add_column(0.0, None).unwrap();
            let y = lp.add_column(0.0, None).unwrap();
            lp.add_row(&[(y, 1.0), (x, -2.0)], RowBounds::Equal(0.0))
                .unwrap();
            let cap = lp.add_row(&[(y, 4.0)], RowBounds::AtMost(32.0)).unwrap();
            let mut s = LpSolver::new(&lp, &options).unwrap();
            let reduced = s
                .reduction
                .as_ref()
                .map(|r| (r.program.columns(), r.program.rows()));
            assert_eq!(reduced, Some((1, 0)), "the cap is the one column's bound");
            let best = s.maximize(&[(x, 1.0)]).unwrap();
            assert!(near(best.objective(), 4.0));
            // One more unit of the row's bound: y up by 1/4, x by 1/8.
            assert!(near(best.dual(Bound::RowUpper(cap)).unwrap(), 0.125));
            assert!(near(best.slack(Bound::RowUpper(cap)).unwrap(), 0.0));
            s.set_bound(Bound::RowUpper(cap), 40.0).unwrap();
            let raised = s.maximize(&[(x, 1.0)]).unwrap();
            assert!(near(raised.objective(), 5.0));
            assert_eq!(s.bound(Bound::RowUpper(cap)), Some(40.0));
            s.set_bound(Bound::RowUpper(cap), -4.0).unwrap();
            match s.maximize(&[(x, 1.0)]) {
                Err(FlowError::Infeasible { bounds }) => {
                    assert!(bounds.contains(&Bound::RowUpper(cap)), "{bounds:?}");
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
