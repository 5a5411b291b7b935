/// A boolean column. sqlx's `Any` driver cannot carry SQLite booleans and
/// PostgreSQL refuses booleans in integer columns, so flags are stored as
/// BIGINT 0/1 on both backends (docs/decisions.md). Row structs expose them
/// as `bool` with `#[sqlx(try_from = "Flag")]`; binds use [`flag`].
#[derive(Debug, Clone, Copy, sqlx::Type)]
#[sqlx(transparent)]
pub struct Flag(i64);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0 != 0
    }
}

/// The stored form of a flag.
pub fn flag(b: bool) -> i64 {
    i64::from(b)
}
