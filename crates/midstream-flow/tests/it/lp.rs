//! Properties of the LP layer on random transport programs: supplies with capacities ship to
//! plants with capacities, and the total shipped is maximised.

use midstream_flow::{Bound, Column, LinearProgram, LpOptions, LpSolver, Row, RowBounds};
use proptest::prelude::*;

struct Transport {
    lp: LinearProgram,
    routes: Vec<Column>,
    plants: Vec<Row>,
    floor: Row,
}

/// Supplies `s` (column upper bounds on each route sum via rows), plants `p`, a route between
/// every pair where `mask` says so.
fn transport(supply: &[u32], plant: &[u32], mask: &[bool]) -> Transport {
    let mut lp = LinearProgram::new();
    let mut routes = Vec::new();
    let mut by_supply = vec![Vec::new(); supply.len()];
    let mut by_plant = vec![Vec::new(); plant.len()];
    for i in 0..supply.len() {
        for j in 0..plant.len() {
            if mask[(i * plant.len() + j) % mask.len()] {
                let c = lp.add_column(0.0, None).unwrap();
                routes.push(c);
                by_supply[i].push((c, 1.0));
                by_plant[j].push((c, 1.0));
            }
        }
    }
    for (i, s) in supply.iter().enumerate() {
        lp.add_row(&by_supply[i], RowBounds::AtMost(f64::from(*s)))
            .unwrap();
    }
    let plants = plant
        .iter()
        .enumerate()
        .map(|(j, p)| {
            lp.add_row(&by_plant[j], RowBounds::AtMost(f64::from(*p)))
                .unwrap()
        })
        .collect();
    let all: Vec<(Column, f64)> = routes.iter().map(|&c| (c, 1.0)).collect();
    let floor = lp.add_row(&all, RowBounds::AtLeast(0.0)).unwrap();
    Transport {
        lp,
        routes,
        plants,
        floor,
    }
}

fn tolerance(scale: f64) -> f64 {
    1e-6 * (1.0 + scale)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn more_capacity_never_lowers_the_optimum_and_ranges_hold_the_centre(
        supply in prop::collection::vec(0u32..1000, 1..5),
        plant in prop::collection::vec(0u32..1000, 1..5),
        mask in prop::collection::vec(any::<bool>(), 1..25),
        which in 0usize..5,
        extra in 1u32..500,
    ) {
        let t = transport(&supply, &plant, &mask);
        let objective: Vec<(Column, f64)> = t.routes.iter().map(|&c| (c, 1.0)).collect();
        let mut solver = LpSolver::new(&t.lp, &LpOptions::default()).unwrap();
        let best = solver.maximize(&objective).unwrap();
        let total: f64 = supply.iter().map(|&s| f64::from(s)).sum();
        prop_assert!(best.objective() <= total + tolerance(total));
        // Marginal values of upper bounds are never negative.
        for &p in &t.plants {
            prop_assert!(best.dual(Bound::RowUpper(p)).unwrap() >= -1e-7);
        }
        // Ranges over the optimal face contain the centre the solver returned.
        solver.set_bound(Bound::RowLower(t.floor), best.objective() - 1e-7 * (1.0 + best.objective())).unwrap();
        for &c in &t.routes {
            let (least, most) = solver.range(&[(c, 1.0)]).unwrap();
            let v = best.value(c);
            prop_assert!(least - tolerance(v) <= v && v <= most + tolerance(v), "{least} <= {v} <= {most}");
        }
        solver.set_bound(Bound::RowLower(t.floor), 0.0).unwrap();
        // Raising one plant's capacity never lowers the optimum.
        let p = t.plants[which % t.plants.len()];
        let before = solver.bound(Bound::RowUpper(p)).unwrap();
        solver.set_bound(Bound::RowUpper(p), before + f64::from(extra)).unwrap();
        let raised = solver.maximize(&objective).unwrap();
        prop_assert!(raised.objective() >= best.objective() - tolerance(best.objective()));
    }
}
/// Found by the proptest above: Clarabel stalls on this program at 1e-13 (insufficient
/// progress with a primal residual near 1e-6) and solves it at a looser tolerance.
#[test]
fn a_stalled_solve_is_retried_at_a_looser_tolerance() {
    let t = transport(&[972, 4], &[272], &[false, true]);
    let objective: Vec<(Column, f64)> = t.routes.iter().map(|&c| (c, 1.0)).collect();
    let mut solver = LpSolver::new(&t.lp, &LpOptions::default()).unwrap();
    let best = solver.maximize(&objective).unwrap();
    assert!(best.reduced_accuracy());
    assert!(
        (best.objective() - 4.0).abs() < 1e-6,
        "{}",
        best.objective()
    );
}

/// Sources of capacity `supply` feed chains of conversions (`next = yield × previous`, one row
/// of two terms each: rows the solver folds away), and the chains' ends share plants of
/// capacity `plant`. Each step's `shape` bits: 1 writes the row the other way round, 2 gives
/// the new column a floor of 0.001 t, 4 a cap of 50 t (either makes it a tree's root, so two
/// in one chain keep a row).
fn chains(
    supply: &[u32],
    yields: &[u32],
    plant: &[u32],
    shape: &[u8],
) -> (LinearProgram, Vec<Column>, Row) {
    let mut lp = LinearProgram::new();
    let mut columns = Vec::new();
    let mut ends = Vec::new();
    for (i, &s) in supply.iter().enumerate() {
        let mut at = lp.add_column(0.0, Some(f64::from(s))).unwrap();
        columns.push(at);
        for step in 0..=(i % 3) {
            let y = f64::from(yields[(i + step) % yields.len()]) / 100.0;
            let bits = shape[(i + step) % shape.len()];
            let lower = if bits & 2 != 0 { 0.001 } else { 0.0 };
            let upper = (bits & 4 != 0).then_some(50.0);
            let next = lp.add_column(lower, upper).unwrap();
            let terms = if bits & 1 != 0 {
                [(at, y), (next, -1.0)]
            } else {
                [(next, 1.0), (at, -y)]
            };
            lp.add_row(&terms, RowBounds::Equal(0.0)).unwrap();
            columns.push(next);
            at = next;
        }
        ends.push(at);
    }
    for (j, &p) in plant.iter().enumerate() {
        let terms: Vec<(Column, f64)> = ends
            .iter()
            .enumerate()
            .filter(|(i, _)| (i + j) % 2 == 0 || plant.len() == 1)
            .map(|(_, &c)| (c, 1.0))
            .collect();
        lp.add_row(&terms, RowBounds::AtMost(f64::from(p))).unwrap();
    }
    // What the program maximises, held at its optimum for ranges.
    let all: Vec<(Column, f64)> = columns.iter().map(|&c| (c, 1.0)).collect();
    let floor = lp.add_row(&all, RowBounds::AtLeast(0.0)).unwrap();
    (lp, columns, floor)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Folding chains changes no optimum and no range.
    #[test]
    fn folded_and_whole_programs_agree(
        supply in prop::collection::vec(1u32..1000, 1..6),
        yields in prop::collection::vec(10u32..300, 1..6),
        plant in prop::collection::vec(100u32..1500, 1..4),
        shape in prop::collection::vec(0u8..8, 1..6),
    ) {
        let (lp, columns, floor) = chains(&supply, &yields, &plant, &shape);
        let objective: Vec<(Column, f64)> = columns.iter().map(|&c| (c, 1.0)).collect();
        let mut folded = LpSolver::new(&lp, &LpOptions::default()).unwrap();
        let mut whole = LpSolver::new(&lp, &LpOptions { reduce: false, ..LpOptions::default() }).unwrap();
        let a = folded.maximize(&objective).unwrap();
        let b = whole.maximize(&objective).unwrap();
        prop_assert!((a.objective() - b.objective()).abs() <= tolerance(b.objective()), "{} {}", a.objective(), b.objective());
        let level = b.objective() - 1e-7 * (1.0 + b.objective());
        folded.set_bound(Bound::RowLower(floor), level).unwrap();
        whole.set_bound(Bound::RowLower(floor), level).unwrap();
        for &c in &columns {
            let (l1, m1) = folded.range(&[(c, 1.0)]).unwrap();
            let (l2, m2) = whole.range(&[(c, 1.0)]).unwrap();
            prop_assert!((l1 - l2).abs() <= 1e-4 * (1.0 + l2.abs()) && (m1 - m2).abs() <= 1e-4 * (1.0 + m2.abs()), "{l1} {m1} / {l2} {m2}");
        }
        // Another objective (each column weighted by a yield): the same optimum, and every
        // column, folded or not, within its floor.
        folded.set_bound(Bound::RowLower(floor), 0.0).unwrap();
        whole.set_bound(Bound::RowLower(floor), 0.0).unwrap();
        let weighted: Vec<(Column, f64)> = columns
            .iter()
            .enumerate()
            .map(|(k, &c)| (c, f64::from(yields[k % yields.len()]) / 100.0))
            .collect();
        let a = folded.maximize(&weighted).unwrap();
        let b = whole.maximize(&weighted).unwrap();
        prop_assert!((a.objective() - b.objective()).abs() <= tolerance(b.objective()), "{} {}", a.objective(), b.objective());
        for (k, &c) in columns.iter().enumerate() {
            let v = a.value(c);
            prop_assert!(v >= -1e-6, "column {k}: {v}");
        }
    }
}
