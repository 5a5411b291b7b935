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

/// Decode a stored code (read by hand, outside `FromRow`) as its enum; an
/// unknown code is a decode error, as it is for derived rows.
pub fn code<T: TryFrom<String, Error = portico_domain::codes::UnknownCode>>(s: String) -> Result<T, sqlx::Error> {
    T::try_from(s).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A nullable code column: `#[sqlx(try_from = "OptCode")]` decodes it as
/// `Option<Enum>` (NULL is `None`, an unknown code an error).
#[derive(Debug, Clone, sqlx::Type)]
#[sqlx(transparent)]
pub struct OptCode(Option<String>);

impl<T: TryFrom<String, Error = portico_domain::codes::UnknownCode>> TryFrom<OptCode> for Option<T> {
    type Error = portico_domain::codes::UnknownCode;

    fn try_from(c: OptCode) -> Result<Self, Self::Error> {
        c.0.map(T::try_from).transpose()
    }
}
