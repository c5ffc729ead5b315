//! The HiGHS backend of [`LpSolver`](super::LpSolver) (feature `highs`): a dual simplex that
//! re-solves from the previous optimal basis after a bound or an objective changes, where an
//! interior-point method starts afresh.
//!
//! # Form
//! Every row `L ≤ a·x ≤ U` that is not an equality is held as `a·x − s = 0` with a slack
//! column `s ∈ [L, U]`, so that each of its bounds is a column bound: the only bounds HiGHS'
//! safe interface can change. An equality row `a·x = v` (in a balance model, the balance of
//! a facility or a market, whose value never changes) is held as a HiGHS row with bounds
//! `[v, v]` and no slack: fewer columns for every pivot to price. Should its value change, the
//! model is built again with the new value. Row `i` of the program is HiGHS row `i`; the
//! program's `n` columns come first, then the slacks, in row order.
//!
//! # Thread
//! HiGHS' model holds a C pointer and is not `Send`, while an [`LpSolver`](super::LpSolver)
//! moves to helper threads. So the model lives on a thread of its own, which owns it for its
//! whole life: the solver sends each solve's changed bounds and objective over a channel and
//! receives the solution. The thread ends when the solver is dropped.

use std::ops::Bound as Side;
use std::sync::mpsc;

use highs::{Col, HighsModelStatus, Model, RowProblem, Sense};

use super::{Bound, LinearProgram, RowBounds};
use crate::error::FlowError;

/// Where a bound of the program sits in HiGHS' model.
#[derive(Clone, Copy, Debug)]
pub(super) enum Place {
    /// The lower bound of a HiGHS column.
    Lower(usize),
    /// The upper bound.
    Upper(usize),
    /// Both (the slack of a row whose bounds are equal, fixed).
    Fixed(usize),
    /// An equality row held as HiGHS row `i`, its value fixed when the model was built.
    Row(usize),
}

/// Which HiGHS column holds each bound: the program's columns, then a slack per row that is
/// not an equality.
#[derive(Clone, Debug)]
struct Columns {
    /// The program's columns.
    n: usize,
    /// Per row of the program, the HiGHS column of its slack (`None` for an equality row).
    slack: Vec<Option<usize>>,
}

impl Columns {
    fn of(lp: &LinearProgram) -> Self {
        let n = lp.columns();
        let mut next = n;
        let slack = lp
            .rows
            .iter()
            .map(|row| {
                if matches!(row.bounds, RowBounds::Equal(_)) {
                    None
                } else {
                    next += 1;
                    Some(next - 1)
                }
            })
            .collect();
        Self { n, slack }
    }

    /// HiGHS columns in all.
    fn len(&self) -> usize {
        self.n + self.slack.iter().flatten().count()
    }

    fn place(&self, bound: Bound) -> Place {
        let row = |r: super::Row| self.slack.get(r.index()).copied().flatten();
        match bound {
            Bound::ColumnLower(c) => Place::Lower(c.index()),
            Bound::ColumnUpper(c) => Place::Upper(c.index()),
            Bound::RowLower(r) => row(r).map_or(Place::Row(r.index()), Place::Lower),
            Bound::RowUpper(r) => row(r).map_or(Place::Row(r.index()), Place::Upper),
            Bound::RowEqual(r) => row(r).map_or(Place::Row(r.index()), Place::Fixed),
        }
    }

    /// Each HiGHS column's bounds, and each equality row's value, from the program's bound
    /// values.
    fn held(&self, rows: usize, values: &[(Bound, f64)]) -> (Vec<(f64, f64)>, Vec<f64>) {
        let mut held = vec![(f64::NEG_INFINITY, f64::INFINITY); self.len()];
        let mut equal = vec![0.0; rows];
        for &(bound, value) in values {
            match self.place(bound) {
                Place::Lower(j) => {
                    if let Some(slot) = held.get_mut(j) {
                        slot.0 = value;
                    }
                }
                Place::Upper(j) => {
                    if let Some(slot) = held.get_mut(j) {
                        slot.1 = value;
                    }
                }
                Place::Fixed(j) => {
                    if let Some(slot) = held.get_mut(j) {
                        *slot = (value, value);
                    }
                }
                Place::Row(i) => {
                    if let Some(slot) = equal.get_mut(i) {
                        *slot = value;
                    }
                }
            }
        }
        (held, equal)
    }
}

/// One solve's request: the HiGHS columns whose bounds changed (column, lower, upper; infinite
/// where there is none) and the objective to maximise (column, coefficient).
struct Request {
    bounds: Vec<(usize, f64, f64)>,
    objective: Vec<(usize, f64)>,
}

/// What a solve found.
pub(super) enum Outcome {
    /// An optimal basic solution: the objective, every HiGHS column's value and its reduced
    /// cost (the change of the maximum per unit increase of the bound it sits at).
    Optimal {
        objective: f64,
        values: Vec<f64>,
        reduced_costs: Vec<f64>,
        /// Each HiGHS row's activity `a·x` and its dual (for an equality row: the change of
        /// the maximum per unit increase of its value).
        row_values: Vec<f64>,
        row_duals: Vec<f64>,
    },
    /// HiGHS stopped without an optimum (infeasible, unbounded, or another status).
    Other,
}

/// The solver's end of the model's thread.
pub(super) struct Highs {
    requests: mpsc::Sender<Request>,
    outcomes: mpsc::Receiver<Result<Outcome, String>>,
    /// The bounds HiGHS holds now, per HiGHS column, to send only what changes.
    held: Vec<(f64, f64)>,
    /// The value of each equality row in the model (see [`Columns`]).
    equal: Vec<f64>,
    columns: Columns,
}

impl std::fmt::Debug for Highs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highs")
            .field("columns", &self.held.len())
            .finish_non_exhaustive()
    }
}

fn failed(what: &str) -> FlowError {
    FlowError::Solver {
        message: format!("HiGHS: {what}"),
    }
}

/// `(lower, upper)` as the range HiGHS' interface takes, infinite ends as none.
fn range(lower: f64, upper: f64) -> (Side<f64>, Side<f64>) {
    let side = |v: f64| {
        if v.is_finite() {
            Side::Included(v)
        } else {
            Side::Unbounded
        }
    };
    (side(lower), side(upper))
}

impl Highs {
    /// Starts the thread of `lp`'s model, with its bounds at `values` (every bound of the
    /// program with its value).
    pub(super) fn new(lp: &LinearProgram, values: &[(Bound, f64)]) -> Result<Self, FlowError> {
        let layout = Columns::of(lp);
        let (bounds, equal) = layout.held(lp.rows(), values);
        let mut problem = RowProblem::default();
        let columns: Vec<Col> = bounds
            .iter()
            .map(|&(lower, upper)| problem.add_column(0.0, range(lower, upper)))
            .collect();
        let n = lp.columns();
        for (i, row) in lp.rows.iter().enumerate() {
            // HiGHS refuses a repeated entry: a column's terms are added up first.
            let mut merged = row
                .summed_terms()
                .into_iter()
                .map(|(j, a)| {
                    let column = columns.get(j).ok_or(FlowError::UnknownColumn {
                        column: j,
                        columns: n,
                    })?;
                    Ok((*column, a))
                })
                .collect::<Result<Vec<(Col, f64)>, FlowError>>()?;
            if let Some(j) = layout.slack.get(i).copied().flatten() {
                let slack = *columns
                    .get(j)
                    .ok_or_else(|| failed("a row without slack"))?;
                merged.push((slack, -1.0));
                problem.add_row(0.0..=0.0, merged);
            } else {
                let v = equal.get(i).copied().unwrap_or(0.0);
                problem.add_row(v..=v, merged);
            }
        }
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, outcomes) = mpsc::channel();
        let (ready_tx, ready) = mpsc::channel::<Result<(), String>>();
        std::thread::Builder::new()
            .name("midstream-highs".to_owned())
            .spawn(move || {
                let mut model = match problem.try_optimise(Sense::Maximise) {
                    Ok(m) => m,
                    Err(status) => {
                        let _ = ready_tx.send(Err(format!("the model was refused ({status:?})")));
                        return;
                    }
                };
                model.make_quiet();
                let _ = ready_tx.send(Ok(()));
                let mut costs: Vec<usize> = Vec::new();
                for request in inbox {
                    let (next, outcome) = solve(model, &columns, &mut costs, &request);
                    if outbox.send(outcome).is_err() {
                        return;
                    }
                    match next {
                        Some(m) => model = m,
                        None => return,
                    }
                }
            })
            .map_err(|e| failed(&format!("no thread for the model ({e})")))?;
        ready
            .recv()
            .map_err(|_| failed("the model's thread stopped"))?
            .map_err(|e| failed(&e))?;
        Ok(Self {
            requests,
            outcomes,
            held: bounds,
            equal,
            columns: layout,
        })
    }

    /// Where `bound` sits in the model.
    pub(super) fn place(&self, bound: Bound) -> Place {
        self.columns.place(bound)
    }

    /// Maximises `objective` (program column, coefficient) with the program's bounds at
    /// `values`, sending only the bounds that changed since the last solve (and building the
    /// model again if an equality row's value changed).
    pub(super) fn maximize(
        &mut self,
        lp: &LinearProgram,
        values: &[(Bound, f64)],
        objective: Vec<(usize, f64)>,
    ) -> Result<Outcome, FlowError> {
        let (bounds, equal) = self.columns.held(lp.rows(), values);
        // Bit-exact: a bound set back to its value is no change.
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
        if !self.equal.iter().zip(&equal).all(|(&a, &b)| same(a, b)) {
            *self = Self::new(lp, values)?;
        }
        let mut changed = Vec::new();
        for (j, (held, &now)) in self.held.iter_mut().zip(&bounds).enumerate() {
            if !same(held.0, now.0) || !same(held.1, now.1) {
                *held = now;
                changed.push((j, now.0, now.1));
            }
        }
        self.requests
            .send(Request {
                bounds: changed,
                objective,
            })
            .map_err(|_| failed("the model's thread stopped"))?;
        self.outcomes
            .recv()
            .map_err(|_| failed("the model's thread stopped"))?
            .map_err(|e| failed(&e))
    }
}

/// One solve on the model's thread: the model to keep (none if HiGHS lost it) and the outcome.
fn solve(
    mut model: Model,
    columns: &[Col],
    costs: &mut Vec<usize>,
    request: &Request,
) -> (Option<Model>, Result<Outcome, String>) {
    for &(j, lower, upper) in &request.bounds {
        if let Some(&c) = columns.get(j) {
            model.change_column_bounds(c, range(lower, upper));
        }
    }
    for j in costs.drain(..) {
        if let Some(&c) = columns.get(j) {
            model.change_column_cost(c, 0.0);
        }
    }
    for &(j, a) in &request.objective {
        if let Some(&c) = columns.get(j) {
            model.change_column_cost(c, a);
            costs.push(j);
        }
    }
    // After bounds change the basis stays dual feasible, so the dual simplex (HiGHS' strategy
    // 1) goes on from it; after an objective alone changes it stays primal feasible, so the
    // primal simplex (strategy 4) does.
    let strategy = if request.bounds.is_empty() { 4 } else { 1 };
    let _ = model.try_set_option("simplex_strategy", strategy);
    let solved = match model.try_solve() {
        Ok(s) => s,
        Err(status) => return (None, Err(format!("the solve failed ({status:?})"))),
    };
    let outcome = match solved.status() {
        HighsModelStatus::Optimal => {
            let solution = solved.get_solution();
            Outcome::Optimal {
                objective: solved.objective_value(),
                values: solution.columns().to_vec(),
                reduced_costs: solution.dual_columns().to_vec(),
                row_values: solution.rows().to_vec(),
                row_duals: solution.dual_rows().to_vec(),
            }
        }
        _ => Outcome::Other,
    };
    (Some(Model::from(solved)), Ok(outcome))
}
