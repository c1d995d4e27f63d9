#[path = "it/helpers.rs"]
#[allow(dead_code)]
mod helpers;
#[path = "it/serve.rs"]
mod serve;
