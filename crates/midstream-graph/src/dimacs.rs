//! A supply graph written as a DIMACS maximum-flow instance (the format itself lives in
//! `midstream-flow`).

use std::io::Write;

use midstream_flow::write_dimacs;

use crate::error::GraphError;
use crate::supply::SupplyGraph;

impl SupplyGraph {
    /// Writes the graph's flow network as DIMACS (for other max-flow solvers). Node `i` of the
    /// file is node `i - 1` of the graph ([`SupplyGraph::node`]).
    ///
    /// # Errors
    /// [`midstream_flow::FlowError::Io`] if writing fails; [`midstream_flow::FlowError::TooLarge`] past 2^31 nodes or arcs.
    pub fn write_dimacs(&self, out: impl Write) -> Result<(), GraphError> {
        let net = self.network()?;
        let comment = format!(
            "midstream supply graph: {} in {}, capacities in kilograms per year",
            self.commodity, self.year
        );
        Ok(write_dimacs(
            &net,
            self.source.index(),
            self.sink.index(),
            &comment,
            out,
        )?)
    }
}
