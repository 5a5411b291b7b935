//! Portal sections a company can switch on or off.
//!
//! Only sections that Portico actually implements are listed; a section
//! that is switched off is absent from menus and its URLs answer 404.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// The long announcement page (the short announcement shows on the dashboard).
    Announcement,
    /// Help: the company's contact details.
    Help,
    /// Frequently asked questions.
    Faq,
    /// Loans, leases and lines of credit (seed 004).
    Accounts,
    /// Business cash advances (seed 000).
    Advances,
    /// Every transaction of every account (seed 000).
    Transactions,
    /// Payments, payment methods, Pay Multiple, AutoPay (seed 004).
    Payments,
    /// The document library (seeds 000, 001, 003, 004).
    Documents,
    /// Tasks assigned by the company (seeds 000, 001).
    Tasks,
    /// Messages with the company's team (seeds 000, 002).
    Messages,
    /// Debt settlement: summary and debts (seed 000 names it "Debts").
    Debts,
    /// The same page under seed 001's name, "Creditors" (a company picks one).
    Creditors,
    /// The settlement program's dedicated account and its statements (seed 000).
    ProgramAccount,
    /// The settlement program's scheduled drafts (seed 001).
    PaymentSchedule,
    /// Profile fields from the intake form (seed 001).
    Profile,
    /// Student loans: data file, estimates, Programs (seed 001).
    StudentLoans,
}

impl Section {
    pub const ALL: [Section; 16] = [
        Section::Announcement,
        Section::Help,
        Section::Faq,
        Section::Accounts,
        Section::Advances,
        Section::Transactions,
        Section::Payments,
        Section::Documents,
        Section::Tasks,
        Section::Messages,
        Section::Debts,
        Section::Creditors,
        Section::ProgramAccount,
        Section::PaymentSchedule,
        Section::Profile,
        Section::StudentLoans,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Section::Announcement => "announcement",
            Section::Help => "help",
            Section::Faq => "faq",
            Section::Accounts => "accounts",
            Section::Advances => "advances",
            Section::Transactions => "transactions",
            Section::Payments => "payments",
            Section::Documents => "documents",
            Section::Tasks => "tasks",
            Section::Messages => "messages",
            Section::Debts => "debts",
            Section::Creditors => "creditors",
            Section::ProgramAccount => "program_account",
            Section::PaymentSchedule => "payment_schedule",
            Section::Profile => "profile",
            Section::StudentLoans => "student_loans",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Section::Announcement => "Announcements",
            Section::Help => "Help",
            Section::Faq => "Frequently asked questions",
            Section::Accounts => "Accounts (loans, leases, lines of credit)",
            Section::Advances => "Advances (business cash advances)",
            Section::Transactions => "Transactions",
            Section::Payments => "Payments (pay, AutoPay, payment methods)",
            Section::Documents => "Documents",
            Section::Tasks => "Tasks",
            Section::Messages => "Messages",
            Section::Debts => "Debts (debt settlement: summary and debts)",
            Section::Creditors => "Creditors (the same page, named Creditors)",
            Section::ProgramAccount => "Program account and statements (dedicated settlement account)",
            Section::PaymentSchedule => "Payment schedule (settlement program drafts)",
            Section::Profile => "Profile (fields from the intake form)",
            Section::StudentLoans => "Student loans (data file, estimates, Programs)",
        }
    }

    pub fn from_key(key: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.key() == key)
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The set of enabled sections, stored as a comma-separated list of keys.
/// Unknown keys (from a newer or older version) are ignored, not fatal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionSet(Vec<Section>);

impl SectionSet {
    pub fn parse(stored: &str) -> SectionSet {
        let mut v: Vec<Section> = stored.split(',').filter_map(|k| Section::from_key(k.trim())).collect();
        v.sort();
        v.dedup();
        SectionSet(v)
    }

    /// Every section a new company starts with: all of them except
    /// Creditors, which only renames Debts (a company picks one name).
    pub fn all() -> SectionSet {
        SectionSet(Section::ALL.into_iter().filter(|s| *s != Section::Creditors).collect())
    }

    pub fn from_sections(sections: impl IntoIterator<Item = Section>) -> SectionSet {
        let mut v: Vec<Section> = sections.into_iter().collect();
        v.sort();
        v.dedup();
        SectionSet(v)
    }

    pub fn contains(&self, s: Section) -> bool {
        self.0.contains(&s)
    }

    pub fn to_stored(&self) -> String {
        self.0.iter().map(|s| s.key()).collect::<Vec<_>>().join(",")
    }

    pub fn iter(&self) -> impl Iterator<Item = Section> + '_ {
        self.0.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_unknown_keys() {
        let s = SectionSet::parse("faq, help,bogus,faq");
        assert!(s.contains(Section::Faq));
        assert!(s.contains(Section::Help));
        assert!(!s.contains(Section::Announcement));
        assert_eq!(s.to_stored(), "help,faq");
        assert!(SectionSet::parse("accounts").contains(Section::Accounts));
        assert_eq!(SectionSet::parse(&SectionSet::all().to_stored()), SectionSet::all());
        assert_eq!(SectionSet::parse(""), SectionSet::default());
    }
}
