//! Storage: migrations and queries, one code path for SQLite and PostgreSQL.
//!
//! Every function that reads customer data takes the company id and filters
//! by it. Placeholders are `$1, $2, …`, which both backends accept.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod companies;
mod db;
mod error;
mod flag;
pub mod outbox;
pub mod people;

pub use db::{Backend, Db};
pub use error::StoreError;
pub use flag::{Flag, flag};

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;
