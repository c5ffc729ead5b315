//! Chains of proportional columns, folded out of a program before it is solved.
//!
//! A material balance is mostly rows of two terms, `a·x + b·y = 0` with `a` and `b` of opposite
//! signs: a plant's input and its output, a market's one seller and its one buyer. Such a row
//! makes `x = k·y` with `k = -b/a > 0`. Where `x` has a lower bound of zero and no upper bound,
//! the row and the column can go: `x` becomes `k·y` wherever it appears, and `x ≥ 0` holds
//! whenever `y ≥ 0` does. The rows join columns into trees; each tree keeps one column, its
//! root (the one column of the tree that may have other bounds), and every other column of the
//! tree is a positive multiple of it. No row bound moves: only rows of value zero fold.
//!
//! A kept row left with one term, `a·x ≤ u` with `a > 0` on a column without an upper bound,
//! becomes that column's upper bound `u/a` (a plant's capacity on its throughput): one row less,
//! and on HiGHS, which holds such a row as a slack column, one column less too. Its value moves
//! with the row's, divided by `a`; its dual is the column bound's over `a`.
//!
//! On the synthetic rare-earth chain of 200 facilities the folds take 1,090 of 1,906 rows and
//! as many columns out, and 145 caps become bounds: 671 rows and 1,489 columns are left
//! (docs/benchmarks.md).
//!
//! The reduction holds while the bounds it relies on keep the values it was built with (a
//! folded row's value zero, a folded column's lower bound zero, a root's lower bound not
//! negative): [`Reduction::holds`] tells, and the solver falls back to the whole program when
//! it does not.
//!
//! # From a solution of the reduced program to one of the program
//! - A folded column's value is its factor times its root's.
//! - A bound the reduced program has keeps its dual and slack.
//! - A folded column's lower bound reports its root's lower-bound dual divided by the factor:
//!   what raising that one bound would cost (raising `x`'s floor by one raises `y`'s by `1/k`).
//! - A folded row's dual follows from the folded columns' optimality conditions, leaves
//!   first: with `y_i` the multiplier of row `i` (the sum of its bounds' duals), each folded
//!   column `x` of cost `c_x` has `c_x = Σ_i a_ix·y_i` with its own lower bound's share taken as
//!   zero, and the one unknown in it is the multiplier of the row that ties `x` to the column it
//!   hangs from. With the reduced program's duals, these row multipliers form one dual solution
//!   of the program, in which the folded columns' lower bounds carry nothing and each root's
//!   carries its whole chain's (what a folded column's lower bound reports, above, is instead
//!   its own marginal value).
//! - A row that became a cap reports the column bound's dual over `a`, and `a` times its slack.

use super::{Bound, Column, LinearProgram, LpSolution, Row, RowBounds, RowData, to_u32};

/// A column's factor must stay within these for the fold to keep the program well scaled.
const FACTOR_RANGE: (f64, f64) = (1e-9, 1e9);

/// A merged coefficient this small against its parts is taken as cancellation: the program is
/// then not reduced (rather than keep a coefficient of rounding noise).
const CANCELLATION: f64 = 1e-12;

/// What a bound's value must be for the reduction to hold.
#[derive(Clone, Copy, Debug)]
enum Condition {
    Zero,
    NonNegative,
}

/// A column folded into its tree's root.
#[derive(Clone, Debug)]
struct Folded {
    column: usize,
    /// The row that ties it to the column it hangs from.
    row: usize,
    /// Its entries in the program: (row, coefficient), every row.
    entries: Vec<(usize, f64)>,
}

/// The reduced program of a [`LinearProgram`] and the maps between the two.
#[derive(Clone, Debug)]
pub(super) struct Reduction {
    /// The program without the folded rows and columns (kept ones in their order).
    pub(super) program: LinearProgram,
    /// Per column of the program: the reduced column it is a multiple of, and the factor.
    column: Vec<(usize, f64)>,
    /// Per row of the program: its reduced row, `None` for a folded row.
    row: Vec<Option<usize>>,
    /// Per reduced column, the program's column; per reduced row, the program's row.
    kept_columns: Vec<usize>,
    kept_rows: Vec<usize>,
    /// Per row of the program that folded: its two terms.
    ties: Vec<Option<[(usize, f64); 2]>>,
    /// Per row of the program that became a reduced column's upper bound (`a·x ≤ u` as
    /// `x ≤ u/a`): that column and `a`.
    caps: Vec<Option<(usize, f64)>>,
    /// Per reduced column, the row of the program its upper bound stands for, if any.
    cap_of: Vec<Option<usize>>,
    /// Folded columns, each before the column it hangs from.
    folded: Vec<Folded>,
    /// The bounds whose values the reduction relies on.
    conditions: Vec<(Bound, Condition)>,
    /// Positions worked out once the reduced program's solver is built ([`Reduction::attach`]).
    plan: Plan,
}

/// Where one of the program's bounds reads its dual and slack from.
#[derive(Clone, Copy, Debug)]
enum Source {
    /// A bound of the reduced program, at this position of its layout, whose value is the
    /// program's times `scale` (1 but for a row that became a column's cap).
    Kept { at: usize, scale: f64 },
    /// A folded column's lower bound: the column, its factor, and the position of its root's
    /// lower bound in the reduced program's layout.
    FoldedLower {
        column: usize,
        factor: f64,
        root: Option<usize>,
    },
    /// A folded row's value.
    FoldedRow(usize),
    /// A bound neither program has (none is expected).
    Missing,
}

/// Positions in the solvers' layouts, so that a solution is read back without looking bounds
/// up one by one.
#[derive(Clone, Debug, Default)]
struct Plan {
    /// Per bound of the program, in its solver's order.
    sources: Vec<Source>,
    /// Per row the reduced program has (as a row or a cap): the program's row, and the
    /// positions of its bounds in the reduced layout with their scales.
    rows: Vec<(usize, Vec<(usize, f64)>)>,
    /// The conditions, by position among the program's bounds.
    conditions: Vec<(usize, Condition)>,
}

/// The root of `j` and `j`'s factor against it (`j = factor × root`), shortening the path.
fn find(parent: &mut [usize], factor: &mut [f64], j: usize) -> (usize, f64) {
    let mut path = Vec::new();
    let mut at = j;
    while let Some(&p) = parent.get(at) {
        if p == at {
            break;
        }
        path.push(at);
        at = p;
    }
    let root = at;
    // From the column nearest the root outwards: each one's factor against the root.
    let mut carried = 1.0;
    for &k in path.iter().rev() {
        if let Some(f) = factor.get_mut(k) {
            carried *= *f;
            *f = carried;
        }
        if let Some(p) = parent.get_mut(k) {
            *p = root;
        }
    }
    (
        root,
        factor.get(j).copied().filter(|_| j != root).unwrap_or(1.0),
    )
}

impl Reduction {
    /// The reduction of `lp`, or `None` where no row folds (or folding would leave a
    /// coefficient of rounding noise).
    pub(super) fn of(lp: &LinearProgram) -> Option<Self> {
        let n = lp.columns();
        let summed: Vec<Vec<(usize, f64)>> = lp.rows.iter().map(RowData::summed_terms).collect();
        let (roots, ties) = trees(lp, &summed)?;
        let mut reduced_index = vec![0; n];
        let mut kept_columns = Vec::new();
        let mut program = LinearProgram::new();
        for (j, &(root, _)) in roots.iter().enumerate() {
            if root == j {
                if let Some(slot) = reduced_index.get_mut(j) {
                    *slot = kept_columns.len();
                }
                kept_columns.push(j);
                program.lower.push(lp.lower.get(j).copied().unwrap_or(0.0));
                program.upper.push(lp.upper.get(j).copied().flatten());
            }
        }
        let column: Vec<(usize, f64)> = roots
            .iter()
            .map(|&(root, f)| (reduced_index.get(root).copied().unwrap_or(0), f))
            .collect();
        let mut row = vec![None; lp.rows.len()];
        let mut kept_rows = Vec::new();
        let mut caps = vec![None; lp.rows.len()];
        let mut cap_of = vec![None; kept_columns.len()];
        let mut folded_entries: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        for (i, ((data, terms), tie)) in lp.rows.iter().zip(&summed).zip(&ties).enumerate() {
            for &(j, a) in terms {
                if roots.get(j).is_some_and(|&(root, _)| root != j)
                    && let Some(list) = folded_entries.get_mut(j)
                {
                    list.push((i, a));
                }
            }
            if tie.is_some() {
                continue;
            }
            let terms = merged(terms, &column)?;
            // A cap on one column with no cap of its own is that column's upper bound: one row
            // less (and, on HiGHS, one slack column less).
            if let (RowBounds::AtMost(u), &[(k, a)]) = (data.bounds, terms.as_slice())
                && a > 0.0
                && let (Some(upper @ None), Some(cap @ None)) =
                    (program.upper.get_mut(k.index()), cap_of.get_mut(k.index()))
            {
                *upper = Some(u / a);
                *cap = Some(i);
                if let Some(slot) = caps.get_mut(i) {
                    *slot = Some((k.index(), a));
                }
                continue;
            }
            if let Some(slot) = row.get_mut(i) {
                *slot = Some(kept_rows.len());
            }
            kept_rows.push(i);
            program.rows.push(RowData {
                terms,
                bounds: data.bounds,
            });
        }
        let (order, roots_of_trees) = leaves_first(n, &ties, &kept_columns);
        let mut conditions: Vec<(Bound, Condition)> = roots_of_trees
            .into_iter()
            .map(|r| {
                (
                    Bound::ColumnLower(Column(to_u32(r))),
                    Condition::NonNegative,
                )
            })
            .collect();
        let mut folded = Vec::with_capacity(order.len());
        for (j, i) in order {
            conditions.push((Bound::ColumnLower(Column(to_u32(j))), Condition::Zero));
            conditions.push((Bound::RowEqual(Row(to_u32(i))), Condition::Zero));
            folded.push(Folded {
                column: j,
                row: i,
                entries: folded_entries
                    .get_mut(j)
                    .map(std::mem::take)
                    .unwrap_or_default(),
            });
        }
        Some(Self {
            program,
            column,
            row,
            kept_columns,
            kept_rows,
            ties,
            caps,
            cap_of,
            folded,
            conditions,
            plan: Plan::default(),
        })
    }

    /// Works out where each bound of the program (`bounds`, in its solver's order) reads its
    /// answer in the reduced program's solutions (laid out by `reduced`).
    pub(super) fn attach(&mut self, bounds: &[(Bound, f64)], reduced: &super::Layout) {
        let position: std::collections::HashMap<Bound, usize> = bounds
            .iter()
            .enumerate()
            .map(|(k, &(b, _))| (b, k))
            .collect();
        let at = |b: Bound| reduced.position.get(&b).copied();
        let sources = bounds
            .iter()
            .map(|&(bound, _)| {
                if let Some((b, scale)) = self.reduced_bound(bound) {
                    return at(b).map_or(Source::Missing, |at| Source::Kept { at, scale });
                }
                match bound {
                    Bound::ColumnLower(c) => {
                        let (k, factor) = self.column.get(c.index()).copied().unwrap_or((0, 1.0));
                        Source::FoldedLower {
                            column: c.index(),
                            factor,
                            root: at(Bound::ColumnLower(Column(to_u32(k)))),
                        }
                    }
                    Bound::RowEqual(r) => Source::FoldedRow(r.index()),
                    _ => Source::Missing,
                }
            })
            .collect();
        let mut rows: Vec<(usize, Vec<(usize, f64)>)> = self
            .kept_rows
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let r = Row(to_u32(k));
                let found = [Bound::RowUpper(r), Bound::RowLower(r), Bound::RowEqual(r)]
                    .into_iter()
                    .filter_map(at)
                    .map(|at| (at, 1.0))
                    .collect();
                (i, found)
            })
            .collect();
        for (i, cap) in self.caps.iter().enumerate() {
            if let Some((k, a)) = *cap
                && let Some(at) = at(Bound::ColumnUpper(Column(to_u32(k))))
            {
                rows.push((i, vec![(at, 1.0 / a)]));
            }
        }
        let conditions = self
            .conditions
            .iter()
            .map(|&(b, c)| (position.get(&b).copied().unwrap_or(usize::MAX), c))
            .collect();
        self.plan = Plan {
            sources,
            rows,
            conditions,
        };
    }

    /// The reduced program's bound for a bound of the program, with the factor its value
    /// takes there (`1/a` for a row `a·x ≤ u` that became `x ≤ u/a`, 1 otherwise); `None` for
    /// a folded one.
    pub(super) fn reduced_bound(&self, bound: Bound) -> Option<(Bound, f64)> {
        let kept = |c: Column| {
            let &(k, _) = self.column.get(c.index())?;
            (self.kept_columns.get(k) == Some(&c.index())).then(|| Column(to_u32(k)))
        };
        let row = |r: Row| {
            self.row
                .get(r.index())
                .copied()
                .flatten()
                .map(|k| Row(to_u32(k)))
        };
        let same = |b: Bound| (b, 1.0);
        match bound {
            Bound::ColumnLower(c) => kept(c).map(Bound::ColumnLower).map(same),
            Bound::ColumnUpper(c) => kept(c)
                .filter(|k| self.cap_of.get(k.index()).is_some_and(Option::is_none))
                .map(Bound::ColumnUpper)
                .map(same),
            Bound::RowLower(r) => row(r).map(Bound::RowLower).map(same),
            Bound::RowUpper(r) => match self.caps.get(r.index()).copied().flatten() {
                Some((k, a)) => Some((Bound::ColumnUpper(Column(to_u32(k))), 1.0 / a)),
                None => row(r).map(Bound::RowUpper).map(same),
            },
            Bound::RowEqual(r) => row(r).map(Bound::RowEqual).map(same),
        }
    }

    /// The program's bound for a bound of the reduced program.
    pub(super) fn original_bound(&self, bound: Bound) -> Bound {
        let column = |c: Column| {
            Column(to_u32(
                self.kept_columns
                    .get(c.index())
                    .copied()
                    .unwrap_or(c.index()),
            ))
        };
        let row = |r: Row| {
            Row(to_u32(
                self.kept_rows.get(r.index()).copied().unwrap_or(r.index()),
            ))
        };
        match bound {
            Bound::ColumnLower(c) => Bound::ColumnLower(column(c)),
            Bound::ColumnUpper(c) => match self.cap_of.get(c.index()).copied().flatten() {
                Some(i) => Bound::RowUpper(Row(to_u32(i))),
                None => Bound::ColumnUpper(column(c)),
            },
            Bound::RowLower(r) => Bound::RowLower(row(r)),
            Bound::RowUpper(r) => Bound::RowUpper(row(r)),
            Bound::RowEqual(r) => Bound::RowEqual(row(r)),
        }
    }

    /// The program's columns that are multiples of reduced column `k`.
    pub(super) fn members(&self, k: usize) -> impl Iterator<Item = Column> + '_ {
        self.column
            .iter()
            .enumerate()
            .filter(move |&(_, &(root, _))| root == k)
            .map(|(j, _)| Column(to_u32(j)))
    }

    /// Whether the bounds the reduction relies on still have the values it needs (`b`: each
    /// bound's value times `signs`, in the program's solver's order).
    pub(super) fn holds(&self, b: &[f64], signs: &[f64]) -> bool {
        self.plan
            .conditions
            .iter()
            .all(|&(k, condition)| match (b.get(k), signs.get(k)) {
                (Some(&v), Some(&sign)) => match condition {
                    Condition::Zero => v == 0.0,
                    Condition::NonNegative => sign * v >= 0.0,
                },
                _ => false,
            })
    }

    /// An objective of the program as one of the reduced program.
    pub(super) fn objective(&self, objective: &[(Column, f64)]) -> Vec<(Column, f64)> {
        objective
            .iter()
            .filter_map(|&(c, a)| {
                let &(k, f) = self.column.get(c.index())?;
                Some((Column(to_u32(k)), a * f))
            })
            .collect()
    }

    /// A solution of the program from one of the reduced program that maximised `objective`
    /// (the program's own columns), with duals and slacks in the program's solver's order
    /// (`b`, each bound's value times `layout`'s sign).
    pub(super) fn expand(
        &self,
        reduced: &LpSolution,
        objective: &[(Column, f64)],
        b: &[f64],
        layout: &std::sync::Arc<super::Layout>,
    ) -> LpSolution {
        let values: Vec<f64> = self
            .column
            .iter()
            .map(|&(k, f)| f * reduced.values.get(k).copied().unwrap_or(0.0))
            .collect();
        let dual_at = |k: usize| -> f64 {
            match (reduced.layout.signs.get(k), reduced.duals.get(k)) {
                (Some(sign), Some(d)) => sign * d,
                _ => 0.0,
            }
        };
        // Each row's multiplier: the sum of its bounds' duals.
        let mut multiplier = vec![0.0; self.row.len()];
        for (i, positions) in &self.plan.rows {
            if let Some(slot) = multiplier.get_mut(*i) {
                *slot = positions.iter().map(|&(k, scale)| dual_at(k) * scale).sum();
            }
        }
        let mut cost = vec![0.0; self.column.len()];
        for &(c, a) in objective {
            if let Some(slot) = cost.get_mut(c.index()) {
                *slot += a;
            }
        }
        for f in &self.folded {
            let mut rest = cost.get(f.column).copied().unwrap_or(0.0);
            let mut own = 0.0;
            for &(i, a) in &f.entries {
                if i == f.row {
                    own += a;
                } else {
                    rest -= a * multiplier.get(i).copied().unwrap_or(0.0);
                }
            }
            if let Some(slot) = multiplier.get_mut(f.row)
                && own != 0.0
            {
                *slot = rest / own;
            }
        }
        let mut duals = Vec::with_capacity(b.len());
        let mut slacks = Vec::with_capacity(b.len());
        for (k, source) in self.plan.sources.iter().enumerate() {
            let sign = layout.signs.get(k).copied().unwrap_or(1.0);
            let value = sign * b.get(k).copied().unwrap_or(0.0);
            let (dual, slack) = match *source {
                Source::Kept { at, scale } => (
                    dual_at(at) * scale,
                    reduced.slacks.get(at).copied().unwrap_or(0.0) / scale,
                ),
                Source::FoldedLower {
                    column,
                    factor,
                    root,
                } => (
                    root.map_or(0.0, dual_at) / factor,
                    values.get(column).copied().unwrap_or(0.0) - value,
                ),
                Source::FoldedRow(r) => {
                    let activity: f64 = self.ties.get(r).copied().flatten().map_or(0.0, |terms| {
                        terms
                            .iter()
                            .map(|&(j, a)| a * values.get(j).copied().unwrap_or(0.0))
                            .sum()
                    });
                    (
                        multiplier.get(r).copied().unwrap_or(0.0),
                        (activity - value).abs(),
                    )
                }
                Source::Missing => (0.0, 0.0),
            };
            duals.push(sign * dual);
            slacks.push(slack.max(0.0));
        }
        LpSolution {
            objective: reduced.objective,
            values,
            duals,
            slacks,
            reduced_accuracy: reduced.reduced_accuracy,
            layout: std::sync::Arc::clone(layout),
        }
    }
}

/// The rows that fold and, per column, its tree's root and its factor against it (`None`
/// where no row folds). A row whose fold would take a factor out of [`FACTOR_RANGE`] stays a
/// row; should rounding still take one out, nothing folds.
#[allow(clippy::type_complexity)] // Reason: two plain per-index tables.
fn trees(
    lp: &LinearProgram,
    summed: &[Vec<(usize, f64)>],
) -> Option<(Vec<(usize, f64)>, Vec<Option<[(usize, f64); 2]>>)> {
    let n = lp.columns();
    let lower = |j: usize| lp.lower.get(j).copied().unwrap_or(f64::NAN);
    let free = |j: usize| lower(j) == 0.0 && lp.upper.get(j).is_some_and(Option::is_none);
    let mut parent: Vec<usize> = (0..n).collect();
    let mut factor = vec![1.0; n];
    // A tree that holds a column with other bounds than `[0, ∞)` has it as its root.
    let mut anchored: Vec<bool> = (0..n).map(|j| !free(j)).collect();
    // Per root: the least and the largest factor of its tree's columns against it.
    let mut spread: Vec<(f64, f64)> = vec![(1.0, 1.0); n];
    let mut ties: Vec<Option<[(usize, f64); 2]>> = vec![None; lp.rows.len()];
    let mut tied = 0;
    for ((row, terms), tie) in lp.rows.iter().zip(summed).zip(&mut ties) {
        let &[(p, ap), (q, aq)] = terms.as_slice() else {
            continue;
        };
        if row.bounds != RowBounds::Equal(0.0)
            || ap * aq >= 0.0
            || !(lower(p) >= 0.0 && lower(q) >= 0.0)
        {
            continue;
        }
        let (rp, fp) = find(&mut parent, &mut factor, p);
        let (rq, fq) = find(&mut parent, &mut factor, q);
        let anchored_at = |r: usize| anchored.get(r).copied().unwrap_or(true);
        if rp == rq || (anchored_at(rp) && anchored_at(rq)) {
            continue;
        }
        // p = k·q, so fp·rp = k·fq·rq.
        let k = -aq / ap;
        let (child, root, f) = if anchored_at(rp) {
            (rq, rp, fp / (k * fq))
        } else {
            (rp, rq, k * fq / fp)
        };
        // The joined tree's factors must stay within range (else this row stays a row).
        let (Some(&(child_lo, child_hi)), Some(&(root_lo, root_hi))) =
            (spread.get(child), spread.get(root))
        else {
            continue;
        };
        let joined = (root_lo.min(child_lo * f), root_hi.max(child_hi * f));
        if !(joined.0 >= FACTOR_RANGE.0 && joined.1 <= FACTOR_RANGE.1) {
            continue;
        }
        if let Some(slot) = spread.get_mut(root) {
            *slot = joined;
        }
        if let (Some(pc), Some(fc)) = (parent.get_mut(child), factor.get_mut(child)) {
            *pc = root;
            *fc = f;
        }
        let child_anchored = anchored_at(child);
        if let Some(a) = anchored.get_mut(root) {
            *a |= child_anchored;
        }
        *tie = Some([(p, ap), (q, aq)]);
        tied += 1;
    }
    if tied == 0 {
        return None;
    }
    let roots: Vec<(usize, f64)> = (0..n).map(|j| find(&mut parent, &mut factor, j)).collect();
    if roots
        .iter()
        .any(|&(_, f)| !(f >= FACTOR_RANGE.0 / 2.0 && f <= FACTOR_RANGE.1 * 2.0))
    {
        return None;
    }
    Some((roots, ties))
}

/// A kept row's terms on the reduced columns (`column`: each column's reduced column and
/// factor), terms on one reduced column added up; `None` if two cancel to rounding noise.
fn merged(terms: &[(usize, f64)], column: &[(usize, f64)]) -> Option<Vec<(Column, f64)>> {
    // (reduced column, coefficient, the largest part merged into it)
    let mut parts: Vec<(usize, f64, f64)> = terms
        .iter()
        .filter_map(|&(j, a)| column.get(j).map(|&(k, f)| (k, a * f, (a * f).abs())))
        .collect();
    parts.sort_by_key(|&(k, _, _)| k);
    let mut out: Vec<(usize, f64, f64)> = Vec::with_capacity(parts.len());
    for (k, a, part) in parts {
        match out.last_mut() {
            Some(last) if last.0 == k => {
                last.1 += a;
                last.2 = last.2.max(part);
            }
            _ => out.push((k, a, part)),
        }
    }
    if out
        .iter()
        .any(|&(_, a, part)| a.abs() <= CANCELLATION * part)
    {
        return None;
    }
    Some(
        out.into_iter()
            .map(|(k, a, _)| (Column(to_u32(k)), a))
            .collect(),
    )
}

/// The folded columns with the row that ties each to the column it hangs from, every column
/// before that one (a breadth-first order from each root, reversed), and the roots of trees
/// with more than one column.
fn leaves_first(
    n: usize,
    ties: &[Option<[(usize, f64); 2]>],
    kept_columns: &[usize],
) -> (Vec<(usize, usize)>, Vec<usize>) {
    let mut adjacent: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (i, tie) in ties.iter().enumerate() {
        if let Some([(p, _), (q, _)]) = *tie {
            if let Some(list) = adjacent.get_mut(p) {
                list.push((i, q));
            }
            if let Some(list) = adjacent.get_mut(q) {
                list.push((i, p));
            }
        }
    }
    let mut order: Vec<(usize, usize)> = Vec::new();
    let mut seen = vec![false; n];
    let mut roots = Vec::new();
    for &r in kept_columns {
        if adjacent.get(r).is_none_or(Vec::is_empty) {
            continue;
        }
        roots.push(r);
        if let Some(s) = seen.get_mut(r) {
            *s = true;
        }
        let mut queue = std::collections::VecDeque::from([r]);
        while let Some(at) = queue.pop_front() {
            for &(i, next) in adjacent.get(at).map_or(&[][..], Vec::as_slice) {
                if let Some(s) = seen.get_mut(next)
                    && !*s
                {
                    *s = true;
                    order.push((next, i));
                    queue.push_back(next);
                }
            }
        }
    }
    order.reverse();
    (order, roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fold_that_would_leave_the_factor_range_keeps_its_row() {
        // x (capped) -> y = 1e-5 x -> z = 1e-5 y -> w = 1e-5 z: z's factor against x would be
        // 1e-10, below the range, so the middle row stays; w folds into z instead.
        let mut lp = LinearProgram::new();
        let x = lp.add_column(0.0, Some(1.0)).unwrap();
        let y = lp.add_column(0.0, None).unwrap();
        let z = lp.add_column(0.0, None).unwrap();
        let w = lp.add_column(0.0, None).unwrap();
        for (to, from) in [(y, x), (z, y), (w, z)] {
            lp.add_row(&[(to, 1.0), (from, -1e-5)], RowBounds::Equal(0.0))
                .unwrap();
        }
        let summed: Vec<Vec<(usize, f64)>> = lp.rows.iter().map(RowData::summed_terms).collect();
        let (roots, ties) = trees(&lp, &summed).unwrap();
        let tied: Vec<bool> = ties.iter().map(Option::is_some).collect();
        assert_eq!(tied, [true, false, true]);
        assert_eq!(roots[y.index()].0, x.index());
        assert!((roots[y.index()].1 - 1e-5).abs() < 1e-18);
        assert_eq!(roots[w.index()].0, roots[z.index()].0);
        let reduced = Reduction::of(&lp).unwrap();
        assert_eq!((reduced.program.columns(), reduced.program.rows()), (2, 1));
    }
}
