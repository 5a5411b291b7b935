//! Company-editable e-mail templates with `{{placeholder}}` fields.
//!
//! Staff write the welcome e-mail themselves (seed 001: "select the Email
//! Template for the portal"), so templates are data, not code. Only the
//! placeholders below exist; an unknown one is an error shown to the staff
//! member when saving, never a surprise in a customer's inbox.

pub const PLACEHOLDERS: [&str; 6] = ["first_name", "last_name", "username", "company", "link", "link_expires"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    Unknown(String),
    Unclosed,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateError::Unknown(p) => write!(
                f,
                "Unknown placeholder {{{{{p}}}}}. Use one of: {}.",
                PLACEHOLDERS.map(|p| format!("{{{{{p}}}}}")).join(", ")
            ),
            TemplateError::Unclosed => f.write_str("A placeholder is missing its closing }}."),
        }
    }
}

/// Render `template`, looking placeholders up with `value`.
pub fn render(template: &str, value: impl Fn(&str) -> Option<String>) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Unclosed)?;
        let name = after[..end].trim();
        if !PLACEHOLDERS.contains(&name) {
            return Err(TemplateError::Unknown(name.to_string()));
        }
        out.push_str(&value(name).unwrap_or_default());
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Check a template before saving it.
pub fn validate(template: &str) -> Result<(), TemplateError> {
    render(template, |_| Some(String::new())).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_known_placeholders() {
        let t = "Hi {{first_name}}, your user name is {{ username }}.";
        let r = render(t, |k| match k {
            "first_name" => Some("Jane".into()),
            "username" => Some("jane.doe".into()),
            _ => None,
        });
        assert_eq!(r, Ok("Hi Jane, your user name is jane.doe.".into()));
    }

    #[test]
    fn refuses_unknown_and_unclosed() {
        assert_eq!(validate("{{password}}"), Err(TemplateError::Unknown("password".into())));
        assert_eq!(validate("Hi {{first_name"), Err(TemplateError::Unclosed));
        assert_eq!(validate("no placeholders"), Ok(()));
    }
}
