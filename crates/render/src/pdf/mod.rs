//! PDF documents: monthly statements and payoff letters.
//!
//! Real PDF 1.7 files, US Letter portrait, set in the standard-14 Helvetica and Helvetica-Bold
//! fonts (not embedded, WinAnsiEncoding), so text is selectable and extractable. Layout: company
//! name and address top left, document title top right, the customer's name and mailing address,
//! key-value blocks, tables with right-aligned money columns, "Page i of N" footers, and automatic
//! page breaks that repeat the table header.
//!
//! Text outside WinAnsiEncoding (Windows-1252) is folded: accented Latin letters lose their accents
//! ("Nguyễn" → "Nguyen"), anything else (e.g. "李") becomes '?'. The document info dictionary
//! (Title, Author, Subject) keeps the original Unicode text.
//!
//! Both entry points are pure: same input, same bytes (no creation date is written).

mod blocks;
mod font;
mod layout;
mod letter;
mod program_statement;
mod statement;

use pdf_writer::{Finish, Name, Pdf, Rect, Ref, TextStr};
use time::Date;

use self::font::Font;
use self::layout::{PAGE_H, PAGE_W};

pub use self::letter::payoff_letter;
pub use self::program_statement::{ProgramLine, ProgramStatementDoc, program_statement};
pub use self::statement::statement;

/// The longest document we render.
pub const MAX_PAGES: usize = 500;

/// Why a document could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The input is inconsistent (e.g. a cycle that ends before it starts).
    #[error("invalid document: {0}")]
    Invalid(&'static str),
    /// The document would exceed [`MAX_PAGES`].
    #[error("document too long: more than {limit} pages")]
    TooLong {
        /// The page limit.
        limit: usize,
    },
}

/// A company or a customer: name and mailing address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Party {
    /// Display name, e.g. "Acme Lending, LLC" or "Jane Q. Public".
    pub name: String,
    /// Address lines, e.g. ["100 Main Street, Suite 4", "Springfield, IL 62701"].
    pub address_lines: Vec<String>,
}

/// One transaction on a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    /// Posting date.
    pub date: Date,
    /// Description, wrapped if long.
    pub description: String,
    /// Amount in cents; negative for payments and credits.
    pub amount: i64,
}

/// A monthly statement of a line of credit or program account. Amounts are in cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementDoc {
    /// The lender.
    pub company: Party,
    /// The customer and mailing address.
    pub customer: Party,
    /// Already masked by the caller, e.g. "Line of credit ••••4821".
    pub account_label: String,
    /// First day of the cycle.
    pub cycle_start: Date,
    /// Last day of the cycle (statement closing date).
    pub cycle_end: Date,
    /// Balance at the start of the cycle.
    pub opening_balance: i64,
    /// Balance at the end of the cycle ("New balance").
    pub closing_balance: i64,
    /// Credit limit, if the account has one.
    pub credit_limit: Option<i64>,
    /// Available credit, if the account has a limit.
    pub available_credit: Option<i64>,
    /// Summary rows between opening and closing balance, e.g. ("Payments", -50000).
    pub totals: Vec<(String, i64)>,
    /// Transactions of the cycle, in the order given.
    pub lines: Vec<StatementLine>,
    /// Minimum payment due.
    pub minimum_payment: Option<i64>,
    /// Payment due date.
    pub payment_due: Option<Date>,
    /// Annual percentage rate, preformatted, e.g. "18.99 %".
    pub apr: Option<String>,
    /// Paragraphs printed under "Important information".
    pub notes: Vec<String>,
}

/// One account in a payoff quote. Amounts are in cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoffLine {
    /// Masked account label, e.g. "Loan ••••1234".
    pub account_label: String,
    /// Principal owed.
    pub principal: i64,
    /// Interest accrued through the good-through date.
    pub interest: i64,
    /// Fees owed.
    pub fees: i64,
    /// Interest per day after the good-through date.
    pub per_diem: i64,
    /// Amount to pay off this account.
    pub total: i64,
    /// How the account counts interest, in words ("Interest accrues on a
    /// 30/360 basis: …"); printed with its per-diem under the table.
    pub basis: String,
}

/// A payoff quote letter. Amounts are in cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoffLetterDoc {
    /// The lender.
    pub company: Party,
    /// The addressee.
    pub customer: Party,
    /// Date of the letter.
    pub date: Date,
    /// Quote reference, e.g. "PQ-2026-00042".
    pub reference: String,
    /// Last day the quoted amounts are valid.
    pub good_through: Date,
    /// One row per account.
    pub accounts: Vec<PayoffLine>,
    /// Total payoff amount.
    pub total: i64,
    /// Payment instruction paragraphs.
    pub instructions: Vec<String>,
    /// Contact sentence, e.g. "Questions? Call (800) 555-0142 …".
    pub contact: String,
}

/// Document info for [`assemble`].
struct Info<'a> {
    title: &'a str,
    author: &'a str,
    subject: &'a str,
}

/// Writes the PDF file around finished page content streams.
fn assemble(pages: &[Vec<u8>], info: &Info<'_>) -> Result<Vec<u8>, RenderError> {
    if pages.len() > MAX_PAGES {
        return Err(RenderError::TooLong { limit: MAX_PAGES });
    }
    let too_long = || RenderError::TooLong { limit: MAX_PAGES };
    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let regular_id = Ref::new(3);
    let bold_id = Ref::new(4);
    let info_id = Ref::new(5);
    let first_page = 6i32;
    let page_ids: Vec<(Ref, Ref)> = (0..pages.len())
        .map(|i| {
            let i = i32::try_from(i).map_err(|_| too_long())?;
            Ok((Ref::new(first_page + 2 * i), Ref::new(first_page + 2 * i + 1)))
        })
        .collect::<Result<_, RenderError>>()?;
    let count = i32::try_from(pages.len()).map_err(|_| too_long())?;

    let mut pdf = Pdf::with_capacity(16 * 1024 + pages.iter().map(Vec::len).sum::<usize>());
    pdf.set_version(1, 7);
    {
        let mut catalog = pdf.catalog(catalog_id);
        catalog.pages(tree_id);
        catalog.lang(TextStr("en-US"));
        catalog.viewer_preferences().display_doc_title(true);
    }
    pdf.pages(tree_id).kids(page_ids.iter().map(|&(page, _)| page)).count(count);

    for (font, id) in [(Font::Regular, regular_id), (Font::Bold, bold_id)] {
        pdf.type1_font(id)
            .base_font(Name(font.base_font()))
            .encoding_predefined(Name(b"WinAnsiEncoding"))
            .first_char(32)
            .last_char(255)
            .widths(font.widths().iter().map(|&w| f32::from(w)));
    }

    for (&(page_id, content_id), content) in page_ids.iter().zip(pages) {
        let mut page = pdf.page(page_id);
        page.parent(tree_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.contents(content_id);
        page.resources()
            .fonts()
            .pair(Name(Font::Regular.resource()), regular_id)
            .pair(Name(Font::Bold.resource()), bold_id);
        page.finish();
        pdf.stream(content_id, content);
    }

    pdf.document_info(info_id)
        .title(TextStr(info.title))
        .author(TextStr(info.author))
        .subject(TextStr(info.subject))
        .creator(TextStr("Portico"))
        .producer(TextStr("Portico (pdf-writer)"));

    Ok(pdf.finish())
}
