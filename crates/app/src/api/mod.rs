//! `/api/v1` use cases for the company's systems (issue 13): each takes the
//! API client as its actor, checks the key's scope, and audits every write
//! as the key. Payments' API is `crate::payments::api`.

pub mod accounts;
pub mod contacts;

use sha2::{Digest, Sha256};

/// An entity tag over what a resource is now (its representation plus any
/// sealed values it doesn't show): equal tags, equal resources.
pub fn etag(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let d = h.finalize();
    format!("\"{}\"", d[..12].iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// An `If-Match` precondition against the current tag (`None`: the
/// resource doesn't exist). RFC 9110 §13.1.1: `*` matches any current
/// representation; a list matches if one of its (strong) tags does.
pub fn if_match_holds(if_match: Option<&str>, current: Option<&str>) -> bool {
    let Some(header) = if_match else { return true };
    let Some(current) = current else { return false };
    header.split(',').map(str::trim).any(|t| t == "*" || t == current)
}

/// RFC 3339 for a stored Unix time.
pub fn rfc3339(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// A list's position, opaque to the client: `<updated_at>.<id>` of the
/// last item returned.
pub fn cursor(updated_at: i64, id: i64) -> String {
    format!("{updated_at}.{id}")
}

pub fn parse_cursor(s: &str) -> Option<(i64, i64)> {
    let (a, b) = s.split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok().filter(|id: &i64| *id > 0)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preconditions() {
        let t = etag(&["a", "b"]);
        assert_ne!(t, etag(&["ab", ""]), "parts are delimited");
        assert!(if_match_holds(None, None));
        assert!(if_match_holds(Some(&t), Some(&t)));
        assert!(if_match_holds(Some("*"), Some(&t)));
        assert!(!if_match_holds(Some("*"), None));
        assert!(!if_match_holds(Some("\"x\""), Some(&t)));
        assert!(if_match_holds(Some(&format!("\"x\", {t}")), Some(&t)));
        assert_eq!(parse_cursor(&cursor(1_700_000_000, 42)), Some((1_700_000_000, 42)));
        assert_eq!(parse_cursor("nope"), None);
        assert_eq!(parse_cursor("1.-3"), None);
    }
}
