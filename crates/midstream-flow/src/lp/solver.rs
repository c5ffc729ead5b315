//! The public solver: a program with its proportional chains folded out ([`super::reduce`]),
//! solved by a [`Kernel`], its solutions read back in the program's own terms.

use std::sync::Arc;

use super::reduce::Reduction;
use super::{
    Bound, Column, Conic, Kernel, Layout, LinearProgram, LpBackend, LpOptions, LpSolution, Row,
    RowBounds, finite, to_u32,
};
use crate::error::FlowError;

/// The solver of a [`LinearProgram`], kept factorised between solves.
///
/// Build it once; change bound values ([`LpSolver::set_bound`]) and objectives
/// ([`LpSolver::maximize`]) as often as needed. Clarabel starts each solve afresh from the
/// interior (interior-point methods do not warm-start), but the model, its scaling and the
/// symbolic factorisation are kept; HiGHS goes on from the previous optimal basis.
///
/// # Folded chains
/// Before the program reaches the engine, rows `a·x + b·y = 0` with `a` and `b` of opposite
/// signs are folded out where one of the two columns has a lower bound of zero and no upper
/// bound: that column becomes a fixed multiple of the other ([`LpOptions::reduce`]). A
/// material balance is mostly such rows (a plant's input and output, a market's one seller and
/// one buyer). A row `a·x ≤ u` left with one term (`a > 0`, `x` without an upper bound)
/// becomes `x ≤ u/a`. Every answer is still stated in the program's own columns and bounds: a folded
/// column's value is its factor times its root's; a folded row's dual follows from the folded
/// columns' optimality conditions; a folded column's lower bound reports its root's dual over
/// the factor (what raising that bound alone would cost). Should a bound the fold relies on
/// change (a folded row's value or a folded column's floor away from zero, a root's floor below
/// zero), solves go to the whole program until it is back.
pub struct LpSolver {
    /// The program as built.
    program: LinearProgram,
    /// Every bound of the program with the sign its value is kept with, in a fixed order.
    bounds: Vec<(Bound, f64)>,
    /// Each bound's value times its sign, in the order of `bounds`.
    b: Vec<f64>,
    /// Where each bound sits in `bounds`, shared with every solution.
    layout: Arc<Layout>,
    options: LpOptions,
    /// The program with its chains folded, if any folded.
    pub(super) reduction: Option<Reduction>,
    /// The solver of the reduced program (of the program itself if nothing folded).
    pub(super) kernel: Kernel,
    /// The solver of the whole program, built when a bound leaves the values the reduction
    /// relies on, and kept in step from then on.
    pub(super) whole: Option<Kernel>,
}

impl std::fmt::Debug for LpSolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LpSolver")
            .field("columns", &self.program.columns())
            .field("rows", &self.program.rows())
            .field("bounds", &self.bounds.len())
            .field(
                "reduced",
                &self
                    .reduction
                    .as_ref()
                    .map(|r| (r.program.columns(), r.program.rows())),
            )
            .field("backend", &self.options.backend)
            .finish_non_exhaustive()
    }
}

impl LpSolver {
    /// Builds the solver of `lp`.
    ///
    /// # Errors
    /// [`FlowError::Solver`] if Clarabel refuses the model or the options.
    pub fn new(lp: &LinearProgram, options: &LpOptions) -> Result<Self, FlowError> {
        let Conic { bounds, b, .. } = Conic::of(lp);
        let mut reduction = if options.reduce {
            Reduction::of(lp)
        } else {
            None
        };
        let kernel = Kernel::new(reduction.as_ref().map_or(lp, |r| &r.program), options)?;
        if let Some(r) = &mut reduction {
            r.attach(&bounds, &kernel.layout);
        }
        let layout = Arc::new(Layout::of(&bounds));
        Ok(Self {
            program: lp.clone(),
            bounds,
            b,
            layout,
            options: *options,
            reduction,
            kernel,
            whole: None,
        })
    }

    /// Sets the value of a bound the program has.
    ///
    /// # Errors
    /// [`FlowError::NoSuchBound`] if the program was built without that bound (its structure
    /// is fixed); [`FlowError::NonFinite`] for a NaN or infinite value.
    pub fn set_bound(&mut self, bound: Bound, value: f64) -> Result<(), FlowError> {
        self.layout.set(&mut self.b, bound, value)?;
        match &self.reduction {
            Some(reduction) => {
                if let Some((reduced, scale)) = reduction.reduced_bound(bound) {
                    self.kernel.set_bound(reduced, value * scale)?;
                }
            }
            None => self.kernel.set_bound(bound, value)?,
        }
        if let Some(whole) = &mut self.whole {
            whole.set_bound(bound, value)?;
        }
        Ok(())
    }

    /// The current right-hand side of the program: every bound's value (signed as the solver
    /// keeps it), in a fixed order. Two states with equal slices have equal bounds, so a caller
    /// may remember answers by it.
    #[must_use]
    pub fn right_hand_side(&self) -> &[f64] {
        &self.b
    }

    /// The current value of a bound, if the program has it.
    #[must_use]
    pub fn bound(&self, bound: Bound) -> Option<f64> {
        self.layout.value(&self.b, bound)
    }

    /// Maximises `Σ coefficient × column` under the current bounds.
    ///
    /// # Errors
    /// [`FlowError::Infeasible`] with the bounds that conflict (the support of Clarabel's
    /// certificate of infeasibility), [`FlowError::Unbounded`] with the columns that grow
    /// without limit, [`FlowError::NotSolved`] if the solver stopped for another reason,
    /// [`FlowError::UnknownColumn`] or [`FlowError::NonFinite`] for a bad objective.
    pub fn maximize(&mut self, objective: &[(Column, f64)]) -> Result<LpSolution, FlowError> {
        self.check(objective)?;
        self.run(objective, objective, Kernel::maximize)
    }

    /// One end of [`LpSolver::range`]: the most of the expression, or the least, as the
    /// solution that reaches it (its [`LpSolution::objective`] is the expression's value
    /// there, whichever end). That solution is itself optimal for the held objective, so it
    /// bounds the ends of other expressions too. Solving many expressions' most one after
    /// another, then their least, keeps a simplex backend's consecutive objectives alike.
    ///
    /// # Errors
    /// As [`LpSolver::maximize`].
    pub fn range_end(
        &mut self,
        expression: &[(Column, f64)],
        most: bool,
    ) -> Result<LpSolution, FlowError> {
        self.check(expression)?;
        // What the engine maximises: the expression, or its negation for the least.
        let maximised: Vec<(Column, f64)> = if most {
            expression.to_vec()
        } else {
            expression.iter().map(|&(c, a)| (c, -a)).collect()
        };
        self.run(expression, &maximised, |kernel, objective| {
            kernel.range_end(objective, most)
        })
    }

    /// Refuses an objective with a column of another program or a coefficient that is not
    /// finite.
    fn check(&self, objective: &[(Column, f64)]) -> Result<(), FlowError> {
        let columns = self.program.columns();
        for &(column, coefficient) in objective {
            finite(coefficient, "an objective coefficient")?;
            if column.index() >= columns {
                return Err(FlowError::UnknownColumn {
                    column: column.index(),
                    columns,
                });
            }
        }
        Ok(())
    }

    /// Runs `solve` with `objective` on the reduced program while the reduction holds (on the
    /// whole program otherwise) and states the answer in the program's terms; `maximised` is
    /// what the engine maximises in the end (the objective, or its negation), for the duals.
    fn run(
        &mut self,
        objective: &[(Column, f64)],
        maximised: &[(Column, f64)],
        solve: impl FnOnce(&mut Kernel, &[(Column, f64)]) -> Result<LpSolution, FlowError>,
    ) -> Result<LpSolution, FlowError> {
        let Some(reduction) = &self.reduction else {
            return solve(&mut self.kernel, objective);
        };
        if !reduction.holds(&self.b, &self.layout.signs) {
            let whole = match &mut self.whole {
                Some(whole) => whole,
                slot @ None => {
                    let mut whole = Kernel::new(&self.program, &self.options)?;
                    whole.set_values(&self.b);
                    slot.insert(whole)
                }
            };
            return solve(whole, objective);
        }
        match solve(&mut self.kernel, &reduction.objective(objective)) {
            Ok(solution) => Ok(reduction.expand(&solution, maximised, &self.b, &self.layout)),
            Err(FlowError::Infeasible { bounds }) => Err(FlowError::Infeasible {
                bounds: bounds
                    .into_iter()
                    .map(|b| reduction.original_bound(b))
                    .collect(),
            }),
            Err(FlowError::Unbounded { columns }) => Err(FlowError::Unbounded {
                columns: columns
                    .into_iter()
                    .flat_map(|c| reduction.members(c.index()))
                    .collect(),
            }),
            Err(e) => Err(e),
        }
    }

    /// A solver of the same program with the same bound values on `backend`.
    ///
    /// # Errors
    /// As [`LpSolver::new`].
    pub fn with_backend(&self, backend: LpBackend) -> Result<Self, FlowError> {
        let mut copy = Self::new(
            &self.program,
            &LpOptions {
                backend,
                ..self.options
            },
        )?;
        copy.copy_bounds_from(self);
        Ok(copy)
    }

    /// Whether solutions lie at the centre of the optimal face (Clarabel), so that a value or
    /// a dual that is zero there is zero in every optimal solution; a simplex backend returns
    /// one vertex, where that does not hold.
    #[must_use]
    pub fn is_central(&self) -> bool {
        self.kernel.is_central()
    }

    /// The least and the most of `Σ coefficient × column` under the current bounds: over the
    /// optimal solutions of a program, when a row holds the objective at its optimum.
    ///
    /// # Errors
    /// As [`LpSolver::maximize`].
    pub fn range(&mut self, expression: &[(Column, f64)]) -> Result<(f64, f64), FlowError> {
        let most = self.range_end(expression, true)?.objective();
        Ok((self.range_end(expression, false)?.objective(), most))
    }

    /// Writes the program with its current bound values and `objective` in free MPS, for
    /// other solvers (`HiGHS` reads it with `readModel`). Columns are `C0, C1, ...`, rows `R0,
    /// R1, ...` in the program's order; the objective row `OBJ` is minimised, so it holds the
    /// negated coefficients (`OBJSENSE` is not written: every reader understands this form).
    ///
    /// ```
    /// use midstream_flow::{LinearProgram, LpSolver, RowBounds};
    /// let mut lp = LinearProgram::new();
    /// let a = lp.add_column(0.0, Some(40.0))?;
    /// lp.add_row(&[(a, 1.0)], RowBounds::AtMost(30.0))?;
    /// let solver = LpSolver::new(&lp, &Default::default())?;
    /// let mut mps = Vec::new();
    /// solver.write_mps("tiny", &[(a, 1.0)], &mut mps)?;
    /// let text = String::from_utf8(mps)?;
    /// assert!(text.contains(" L R0"));
    /// assert!(text.contains(" C0 OBJ -1\n C0 R0 1\n"));
    /// assert!(text.contains(" UP BND C0 40"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`FlowError::Io`] if writing fails; [`FlowError::UnknownColumn`] or
    /// [`FlowError::NonFinite`] for a bad objective.
    pub fn write_mps(
        &self,
        name: &str,
        objective: &[(Column, f64)],
        mut out: impl std::io::Write,
    ) -> Result<(), FlowError> {
        let io = |source| FlowError::Io {
            file: std::path::PathBuf::from("<mps output>"),
            source,
        };
        let columns = self.program.columns();
        let mut cost = vec![0.0; columns];
        for &(column, coefficient) in objective {
            finite(coefficient, "an objective coefficient")?;
            let slot = cost
                .get_mut(column.index())
                .ok_or(FlowError::UnknownColumn {
                    column: column.index(),
                    columns,
                })?;
            *slot -= coefficient;
        }
        let mut by_column: Vec<Vec<(usize, f64)>> = vec![Vec::new(); columns];
        for (i, row) in self.program.rows.iter().enumerate() {
            for (j, a) in row.summed_terms() {
                if let Some(list) = by_column.get_mut(j) {
                    list.push((i, a));
                }
            }
        }
        let value = |bound: Bound| self.bound(bound).unwrap_or(0.0);
        writeln!(out, "NAME {}", name.replace(char::is_whitespace, "_")).map_err(io)?;
        writeln!(out, "ROWS\n N OBJ").map_err(io)?;
        for (i, row) in self.program.rows.iter().enumerate() {
            let kind = match row.bounds {
                RowBounds::Equal(_) => "E",
                RowBounds::AtMost(_) => "L",
                RowBounds::AtLeast(_) | RowBounds::Between(..) => "G",
            };
            writeln!(out, " {kind} R{i}").map_err(io)?;
        }
        writeln!(out, "COLUMNS").map_err(io)?;
        for (j, entries) in by_column.iter().enumerate() {
            let c = cost.get(j).copied().unwrap_or(0.0);
            if c != 0.0 {
                writeln!(out, " C{j} OBJ {c}").map_err(io)?;
            }
            for &(i, a) in entries {
                writeln!(out, " C{j} R{i} {a}").map_err(io)?;
            }
            if c == 0.0 && entries.is_empty() {
                writeln!(out, " C{j} OBJ 0").map_err(io)?;
            }
        }
        writeln!(out, "RHS").map_err(io)?;
        let mut ranges = Vec::new();
        for (i, row) in self.program.rows.iter().enumerate() {
            let r = Row(to_u32(i));
            let rhs = match row.bounds {
                RowBounds::Equal(_) => value(Bound::RowEqual(r)),
                RowBounds::AtMost(_) => value(Bound::RowUpper(r)),
                RowBounds::AtLeast(_) => value(Bound::RowLower(r)),
                RowBounds::Between(..) => {
                    let (lower, upper) = (value(Bound::RowLower(r)), value(Bound::RowUpper(r)));
                    ranges.push((i, upper - lower));
                    lower
                }
            };
            if rhs != 0.0 {
                writeln!(out, " RHS R{i} {rhs}").map_err(io)?;
            }
        }
        if !ranges.is_empty() {
            writeln!(out, "RANGES").map_err(io)?;
            for (i, width) in ranges {
                writeln!(out, " RNG R{i} {width}").map_err(io)?;
            }
        }
        writeln!(out, "BOUNDS").map_err(io)?;
        for j in 0..columns {
            let c = Column(to_u32(j));
            let lower = value(Bound::ColumnLower(c));
            if lower != 0.0 {
                writeln!(out, " LO BND C{j} {lower}").map_err(io)?;
            }
            if let Some(upper) = self.bound(Bound::ColumnUpper(c)) {
                writeln!(out, " UP BND C{j} {upper}").map_err(io)?;
            }
        }
        writeln!(out, "ENDATA").map_err(io)?;
        out.flush().map_err(io)
    }

    /// An independent solver of the same program with the same bound values (for solving
    /// other objectives or bounds on another thread). Clarabel's scaling depends on the matrix
    /// only, so the copy answers every solve exactly as the original would.
    ///
    /// # Errors
    /// As [`LpSolver::new`].
    pub fn try_clone(&self) -> Result<Self, FlowError> {
        self.with_backend(self.options.backend)
    }

    /// Sets every bound value to `other`'s (a solver of the same program, e.g. from
    /// [`LpSolver::try_clone`]); nothing happens for a program of another size.
    pub fn copy_bounds_from(&mut self, other: &Self) {
        if self.b.len() != other.b.len() {
            return;
        }
        self.b.clone_from(&other.b);
        if self.reduction.is_some() == other.reduction.is_some() {
            // Built alike from the same program: the same reduced layout.
            self.kernel.copy_bounds_from(&other.kernel);
        } else {
            for (&(bound, sign), &b) in self.bounds.iter().zip(&self.b) {
                let reduced = match &self.reduction {
                    Some(reduction) => reduction.reduced_bound(bound),
                    None => Some((bound, 1.0)),
                };
                if let Some((reduced, scale)) = reduced {
                    // Every bound of the program, or of its reduction, exists there.
                    let _ = self.kernel.set_bound(reduced, sign * b * scale);
                }
            }
        }
        if let Some(whole) = &mut self.whole {
            whole.set_values(&self.b);
        }
    }
}
