use portico_store::StoreError;

/// Field-level validation messages, in form order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn new() -> Self {
        FieldErrors(Vec::new())
    }

    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Err(AppError::Invalid)` when any message was added.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Invalid(self)) }
    }

    pub fn single(field: &'static str, message: impl Into<String>) -> AppError {
        let mut e = FieldErrors::new();
        e.add(field, message);
        AppError::Invalid(e)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Absent, or belongs to another company or customer: always 404.
    #[error("not found")]
    NotFound,
    /// Signed in, but this role (or an Agent) may not do this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// A sign-in or verification that is temporarily locked.
    #[error("locked for {minutes} minutes")]
    Locked { minutes: i64 },
    #[error("the user name or password is incorrect")]
    BadCredentials,
    /// Correct credentials, but the portal user or staff member is inactive.
    #[error("inactive")]
    Inactive,
    #[error("conflict: {0}")]
    Conflict(String),
    /// An `If-Match` that no longer holds (HTTP 412).
    #[error("precondition failed: {0}")]
    PreconditionFailed(String),
    /// A link that is unknown, expired or used.
    #[error("this link is invalid, expired or already used")]
    BadToken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Store(e.into())
    }
}
