//! One error type for pages, mapped to HTTP once. Unexpected errors are
//! logged with their cause and shown as a plain page without details.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use portico_app::AppError;

#[derive(Debug)]
pub enum WebError {
    NotFound,
    Forbidden(String),
    BadRequest(String),
    PayloadTooLarge,
    Conflict(String),
    Internal(String),
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => WebError::NotFound,
            AppError::Forbidden(m) => WebError::Forbidden(m),
            AppError::Conflict(m) | AppError::PreconditionFailed(m) => WebError::Conflict(m),
            AppError::BadToken => WebError::BadRequest(e.to_string()),
            AppError::Invalid(f) => WebError::BadRequest(f.0.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" ")),
            AppError::Locked { minutes } => {
                WebError::Forbidden(format!("This is locked for now. Try again in {minutes} minutes."))
            }
            AppError::BadCredentials | AppError::Inactive => WebError::Forbidden(e.to_string()),
            AppError::Store(s) => WebError::Internal(s.to_string()),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(format!("template: {e}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    code: u16,
    title: &'a str,
    message: &'a str,
}

pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = ErrorPage { code: status.as_u16(), title, message }
        .render()
        .unwrap_or_else(|_| format!("{} {}", status.as_u16(), title));
    (status, [("content-type", "text/html; charset=utf-8")], body).into_response()
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound => error_page(
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is nothing here. Check the address, or go back to the start page.",
            ),
            WebError::Forbidden(m) => error_page(StatusCode::FORBIDDEN, "Not allowed", &m),
            WebError::BadRequest(m) => error_page(StatusCode::BAD_REQUEST, "Something is wrong with this request", &m),
            WebError::PayloadTooLarge => error_page(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Too much data",
                "What you sent is larger than this form accepts. Nothing was saved.",
            ),
            WebError::Conflict(m) => error_page(StatusCode::CONFLICT, "This can't be done right now", &m),
            WebError::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                error_page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "We couldn't complete this request. Nothing was changed. Please try again in a moment.",
                )
            }
        }
    }
}

pub type WebResult<T = Response> = Result<T, WebError>;
