//! The performance benchmark of issue 8 (`scripts/bench.sh`, results in BENCHMARKS.md): the
//! data generator, the deadline-day mix driver and the ceiling route. None of it runs unless
//! asked for: the generator and the driver are `server bench …` commands, and the ceiling route
//! is mounted only with `PORTAL_BENCH=1`.

pub mod ceiling;
pub mod generate;
pub mod mix;
