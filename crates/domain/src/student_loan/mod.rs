//! Federal student loans: the federal aid data file borrowers download from
//! studentaid.gov ("MyStudentData.txt", [`data_file`]) and repayment
//! estimates per federal plan in effect in 2026 ([`plans`]).
//!
//! Everything here is an **estimate** for a self-service page; the servicer's
//! figures govern. The rules, their sources and the figures used are named on
//! the items that use them.

pub mod data_file;
pub mod plans;

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kind of a federal loan, from the NSLDS "Loan Type Code".
///
/// Codes as published in the NSLDS record layouts ("Loan Type Codes": CL,
/// D0–D9, DU, EU, FI, GB, IC, NU, PL, PU, RF, SF, SL, SN, SU). Codes this
/// list does not know become [`LoanKind::Other`] rather than an error, so a
/// new code in the file does not reject the upload.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LoanKind {
    /// D1 (and D0, SULA eligible): Direct Stafford Subsidized.
    DirectSubsidized,
    /// D2 (and D8): Direct Stafford Unsubsidized.
    DirectUnsubsidized,
    /// D3: Direct PLUS for graduate/professional students.
    DirectPlusGraduate,
    /// D4: Direct PLUS for parents.
    DirectPlusParent,
    /// D5: Direct Consolidation Unsubsidized.
    DirectConsolidationUnsubsidized,
    /// D6 (and D9, SULA eligible): Direct Consolidation Subsidized.
    DirectConsolidationSubsidized,
    /// D7: Direct PLUS Consolidation.
    DirectConsolidationPlus,
    /// SF, SU, SN, RF, SL, FI: FFEL Stafford, SLS and older guaranteed loans.
    FfelStafford,
    /// PL: FFEL PLUS for parents.
    FfelPlusParent,
    /// GB: FFEL PLUS for graduate/professional students.
    FfelPlusGraduate,
    /// CL: FFEL Consolidation.
    FfelConsolidation,
    /// PU, EU, NU, DU: Perkins and National Direct/Defense Student Loans.
    Perkins,
    /// Any other code (kept as written).
    Other(String),
}

impl LoanKind {
    /// The kind for an NSLDS loan type code (case-insensitive, trimmed).
    pub fn from_code(code: &str) -> LoanKind {
        match code.trim().to_ascii_uppercase().as_str() {
            "D0" | "D1" => LoanKind::DirectSubsidized,
            "D2" | "D8" => LoanKind::DirectUnsubsidized,
            "D3" => LoanKind::DirectPlusGraduate,
            "D4" => LoanKind::DirectPlusParent,
            "D5" => LoanKind::DirectConsolidationUnsubsidized,
            "D6" | "D9" => LoanKind::DirectConsolidationSubsidized,
            "D7" => LoanKind::DirectConsolidationPlus,
            "SF" | "SU" | "SN" | "RF" | "SL" | "FI" => LoanKind::FfelStafford,
            "PL" => LoanKind::FfelPlusParent,
            "GB" => LoanKind::FfelPlusGraduate,
            "CL" => LoanKind::FfelConsolidation,
            "PU" | "EU" | "NU" | "DU" => LoanKind::Perkins,
            other => LoanKind::Other(other.to_owned()),
        }
    }

    /// True for William D. Ford Direct Loans.
    pub fn is_direct(&self) -> bool {
        matches!(
            self,
            LoanKind::DirectSubsidized
                | LoanKind::DirectUnsubsidized
                | LoanKind::DirectPlusGraduate
                | LoanKind::DirectPlusParent
                | LoanKind::DirectConsolidationUnsubsidized
                | LoanKind::DirectConsolidationSubsidized
                | LoanKind::DirectConsolidationPlus
        )
    }

    /// True for FFEL Program loans.
    pub fn is_ffel(&self) -> bool {
        matches!(
            self,
            LoanKind::FfelStafford
                | LoanKind::FfelPlusParent
                | LoanKind::FfelPlusGraduate
                | LoanKind::FfelConsolidation
        )
    }

    /// True for PLUS loans made to a parent (Direct or FFEL).
    pub fn is_parent_plus(&self) -> bool {
        matches!(self, LoanKind::DirectPlusParent | LoanKind::FfelPlusParent)
    }

    /// Human label.
    pub fn label(&self) -> &str {
        match self {
            LoanKind::DirectSubsidized => "Direct Subsidized",
            LoanKind::DirectUnsubsidized => "Direct Unsubsidized",
            LoanKind::DirectPlusGraduate => "Direct PLUS (graduate)",
            LoanKind::DirectPlusParent => "Direct PLUS (parent)",
            LoanKind::DirectConsolidationUnsubsidized => "Direct Consolidation (unsubsidized)",
            LoanKind::DirectConsolidationSubsidized => "Direct Consolidation (subsidized)",
            LoanKind::DirectConsolidationPlus => "Direct PLUS Consolidation",
            LoanKind::FfelStafford => "FFEL Stafford",
            LoanKind::FfelPlusParent => "FFEL PLUS (parent)",
            LoanKind::FfelPlusGraduate => "FFEL PLUS (graduate)",
            LoanKind::FfelConsolidation => "FFEL Consolidation",
            LoanKind::Perkins => "Perkins",
            LoanKind::Other(code) => code,
        }
    }
}

impl fmt::Display for LoanKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(LoanKind::from_code(" d2 "), LoanKind::DirectUnsubsidized);
        assert!(LoanKind::from_code("D4").is_parent_plus());
        assert!(LoanKind::from_code("PL").is_parent_plus());
        assert!(LoanKind::from_code("D7").is_direct());
        assert!(LoanKind::from_code("CL").is_ffel());
        assert!(!LoanKind::from_code("PU").is_direct());
        assert_eq!(LoanKind::from_code("ZZ"), LoanKind::Other("ZZ".into()));
        assert_eq!(LoanKind::from_code("ZZ").to_string(), "ZZ");
    }
}
