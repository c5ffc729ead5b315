//! An error with its exit code: 2 for bad input, 1 for a bug of the program or of its embedded
//! data. A leaf module: parsing, commands and output all return it.

use midstream::graph::GraphError;

/// An error with its exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn input(message: impl std::fmt::Display) -> Self {
        Self {
            code: 2,
            message: message.to_string(),
        }
    }

    pub(crate) fn internal(message: impl std::fmt::Display) -> Self {
        Self {
            code: 1,
            message: message.to_string(),
        }
    }
}

impl From<midstream::Error> for Failure {
    fn from(e: midstream::Error) -> Self {
        // A bug of the program or of its embedded data is an internal failure (exit 1), not
        // bad input.
        if e.is_internal() {
            Self::internal(e)
        } else {
            Self::input(e)
        }
    }
}

impl From<GraphError> for Failure {
    fn from(e: GraphError) -> Self {
        midstream::Error::from(e).into()
    }
}
