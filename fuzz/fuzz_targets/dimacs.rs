//! DIMACS reader + max-flow + min cut, on arbitrary bytes.
//!
//! Oracles: an accepted instance solves; the min cut's capacity equals the flow value; writing
//! the network back and reading it again gives the same instance.
#![no_main]

use libfuzzer_sys::fuzz_target;
use midstream::graph::{FlowError, max_flow, read_dimacs, write_dimacs};

fuzz_target!(|data: &[u8]| {
    let Ok(problem) = read_dimacs(data) else {
        return;
    };
    let net = problem
        .network()
        .expect("an accepted instance builds a network");
    let flow = match max_flow(&net, problem.source, problem.sink) {
        Ok(flow) => flow,
        // Capacities leaving the source that overflow 64 bits are refused, not wrapped.
        Err(FlowError::Overflow { .. }) => return,
        Err(e) => panic!("an accepted instance failed to solve: {e}"),
    };
    let cut = flow.min_cut();
    assert_eq!(
        cut.capacity,
        flow.value(),
        "max-flow differs from min-cut capacity"
    );
    let mut text = Vec::new();
    write_dimacs(&net, problem.source, problem.sink, "round trip", &mut text)
        .expect("writing to memory succeeds");
    let again = read_dimacs(text.as_slice()).expect("a written instance reads back");
    assert_eq!(again, problem, "DIMACS round trip changed the instance");
});
