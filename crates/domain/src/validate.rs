//! Input validation shared by the portal, the console and the API.

use time::Date;
use time::macros::format_description;

/// A normalised e-mail address (trimmed, lower-case), or `None` when it is
/// not plausibly an address. Deliberately simple: one `@`, a dot in the
/// domain, no spaces or control characters, at most 254 characters.
pub fn email(input: &str) -> Option<String> {
    let e = input.trim().to_lowercase();
    if e.len() > 254 || e.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (local, domain) = e.split_once('@')?;
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return None;
    }
    Some(e)
}

/// The last four digits of a social security number, or `None`.
pub fn ssn_last4(input: &str) -> Option<String> {
    let d: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (d.len() == 4 && d.chars().all(|c| c.is_ascii_digit())).then_some(d)
}

/// A calendar date typed by a person: `YYYY-MM-DD` (what `<input type=date>`
/// sends) or US `MM/DD/YYYY`.
pub fn date(input: &str) -> Option<Date> {
    let s = input.trim();
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .or_else(|_| Date::parse(s, format_description!("[month]/[day]/[year]")))
        .ok()
}

/// ISO form of a date, as stored.
pub fn iso_date(d: Date) -> String {
    let f = format_description!("[year]-[month]-[day]");
    d.format(f).unwrap_or_default()
}

/// A host name as a company may register it for its portal: lower-case
/// letters, digits, dots and hyphens, no port, no scheme.
pub fn host(input: &str) -> Option<String> {
    let h = input.trim().trim_end_matches('.').to_lowercase();
    let ok = !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    ok.then_some(h)
}

/// The host part of a `Host` header (port removed, lower-case).
pub fn host_header(value: &str) -> String {
    let v = value.trim().to_lowercase();
    if let Some(rest) = v.strip_prefix('[') {
        // IPv6 literal: [::1]:8080
        return rest.split(']').next().unwrap_or_default().to_string();
    }
    v.split(':').next().unwrap_or_default().to_string()
}

/// A CSS colour as `#rrggbb`.
pub fn hex_color(input: &str) -> Option<String> {
    let s = input.trim().to_lowercase();
    (s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())).then_some(s)
}

/// Single-line text: trimmed, control characters refused, bounded length.
pub fn line(input: &str, max: usize) -> Result<String, &'static str> {
    let s = input.trim();
    if s.chars().any(char::is_control) {
        return Err("Use a single line without control characters.");
    }
    if s.chars().count() > max {
        return Err("This is too long.");
    }
    Ok(s.to_string())
}

/// Multi-line text: line breaks kept, other control characters refused.
pub fn text(input: &str, max: usize) -> Result<String, &'static str> {
    let s = input.trim().replace("\r\n", "\n");
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err("Remove control characters.");
    }
    if s.chars().count() > max {
        return Err("This is too long.");
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn emails() {
        assert_eq!(email(" Jane.Doe@Example.com "), Some("jane.doe@example.com".into()));
        for bad in ["", "jane", "jane@", "@x.com", "a@b", "a b@c.com", "a@b..com", "a@@b.com"] {
            assert_eq!(email(bad), None, "{bad}");
        }
    }

    #[test]
    fn ssn_and_dates() {
        assert_eq!(ssn_last4("1234"), Some("1234".into()));
        assert_eq!(ssn_last4(" 12-34 "), Some("1234".into()));
        assert_eq!(ssn_last4("123"), None);
        assert_eq!(ssn_last4("12a4"), None);
        assert_eq!(date("1985-04-12"), Some(date!(1985 - 04 - 12)));
        assert_eq!(date("04/12/1985"), Some(date!(1985 - 04 - 12)));
        assert_eq!(date("1985-02-30"), None);
        assert_eq!(iso_date(date!(1985 - 04 - 12)), "1985-04-12");
    }

    #[test]
    fn hosts() {
        assert_eq!(host("Portal.Acme.com."), Some("portal.acme.com".into()));
        assert_eq!(host("acme.localhost"), Some("acme.localhost".into()));
        assert_eq!(host("bad host"), None);
        assert_eq!(host("-x.com"), None);
        assert_eq!(host("a..b"), None);
        assert_eq!(host_header("Acme.localhost:8080"), "acme.localhost");
        assert_eq!(host_header("[::1]:8080"), "::1");
        assert_eq!(host_header("127.0.0.1"), "127.0.0.1");
    }

    #[test]
    fn text_fields() {
        assert_eq!(line("  hi ", 10), Ok("hi".into()));
        assert!(line("a\u{7}b", 10).is_err());
        assert!(line("abcdef", 3).is_err());
        assert_eq!(text("a\r\nb", 10), Ok("a\nb".into()));
        assert_eq!(hex_color("#1A2b3C"), Some("#1a2b3c".into()));
        assert_eq!(hex_color("red"), None);
    }
}
