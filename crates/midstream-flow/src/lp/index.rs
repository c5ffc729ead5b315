//! The handles of a linear program: its columns, rows, row bounds and the bounds whose values
//! change. A leaf module: the program, its solver and the crate's error all name them.

/// A column (variable) of a [`LinearProgram`](super::LinearProgram).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Column(pub(crate) u32);

impl Column {
    /// Its position among the program's columns.
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A row (constraint) of a [`LinearProgram`](super::LinearProgram).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Row(pub(crate) u32);

impl Row {
    /// Its position among the program's rows.
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The bounds of a row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RowBounds {
    /// `a·x = value`.
    Equal(f64),
    /// `a·x ≤ value`.
    AtMost(f64),
    /// `a·x ≥ value`.
    AtLeast(f64),
    /// `lower ≤ a·x ≤ upper`.
    Between(f64, f64),
}

/// One bound of a program: the handle to change its value or read its dual.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bound {
    /// A column's lower bound.
    ColumnLower(Column),
    /// A column's upper bound.
    ColumnUpper(Column),
    /// A row's lower bound.
    RowLower(Row),
    /// A row's upper bound.
    RowUpper(Row),
    /// A row's value (an equality).
    RowEqual(Row),
}
