//! The server's part of the performance benchmark of issue 8 (`scripts/bench.sh`, results in
//! BENCHMARKS.md): the ceiling route, mounted only with `PORTAL_BENCH=1`. The data generator
//! and the deadline-day mix driver are the separate `portal-bench` binary (`bench/`), so the
//! production binary carries neither them nor their HTTP client.

pub mod ceiling;
