//! Storage: migrations and queries, one code path for SQLite and PostgreSQL.
//!
//! Every function that reads customer data takes the company id and filters
//! by it. Placeholders are `$1, $2, …`, which both backends accept.

pub mod accounts;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod companies;
mod db;
pub mod documents;
mod error;
mod flag;
pub mod messages;
pub mod notes;
pub mod notify;
pub mod outbox;
pub mod payments;
pub mod people;
pub mod settlement;
pub mod sms;
pub mod student_loans;
pub mod tasks;
pub mod webhooks;

pub use db::{Backend, Db};
pub use error::StoreError;
pub use flag::{Flag, OptCode, code, flag};

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;
