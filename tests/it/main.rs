//! One integration-test binary: real HTTP on 127.0.0.1 (wiremock), real sled, real parsing.

mod alerts;
mod cli;
mod conventions;
mod corrections;
mod explain;
mod golden;
mod helpers;
mod incidents;
mod ingest;
mod metrics;
mod occurred;
mod platform;
mod polite;
mod poll;
mod review;
mod serve;
mod sources;
mod trends;
mod undated;
