//! Stage 5: computation. The formula language (Contract 3) lives here; indicator values,
//! scores and aggregates are evaluated on polars lazy frames over all cities at once.

pub mod formula;
pub mod table;
