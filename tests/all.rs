//! Every integration test, in one binary: a module per feature (`tests/<feature>.rs`) and the
//! shared harness in `tests/support/` (fresh databases, `TestApp`, `Client`, the WebDriver
//! client). The tests run as threads of this one process, so none may rely on having the
//! process to itself: no environment changes, no change of directory, no fixed ports.
//!
//! `cargo test -p server --test all leads::` runs one feature's tests.

mod support;

mod abuse;
mod admin;
mod api_conformance;
mod api_contract;
mod audit;
mod browser;
mod crash;
mod demo;
mod directory_version;
mod edge;
mod events;
mod foundation;
mod fuzz;
mod group_commit;
mod home;
mod hostile;
mod identity;
mod lead_cases;
mod leads;
mod library;
mod names;
mod operations;
mod outage;
mod page_cache;
mod regulation;
mod scaleout;
mod screens;
mod series;
mod tips;
mod training;
mod training_integrity;
mod training_lawyers;
mod training_snapshot;
