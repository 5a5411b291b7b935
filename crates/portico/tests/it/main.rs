#![allow(clippy::unwrap_used)]
//! Integration tests: the real app over HTTP, on SQLite by default and on
//! PostgreSQL when PORTICO_TEST_DATABASE_URL is set.

mod common;

mod accounts;
mod api;
mod auth;
mod console;
mod crash;
mod documents;
mod isolation;
mod mail;
mod messages;
mod money;
mod payments;
mod roles;
mod schema;
mod settlement;
mod tasks;
mod webhooks;
