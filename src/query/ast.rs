//! The search language's syntax tree, and its printing back to text (round-trips).

use std::fmt;

/// A field a term can test.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    /// `id`
    Id,
    /// `name`
    Name,
    /// `type` (execution type)
    Type,
    /// `pipeline`
    Pipeline,
    /// `stage`
    Stage,
    /// `run`: the pipeline run (TFX `pipeline_run`, KFP `system.PipelineRun` context name).
    Run,
    /// `status`
    Status,
    /// `date` / `started`: the start time.
    Started,
    /// `ended`
    Ended,
    /// `duration`
    Duration,
    /// `commit` (prefix match on the full hashes)
    Commit,
    /// `branch`
    Branch,
    /// `repo`
    Repo,
    /// `artifact`: name or URI of an input or output artifact.
    Artifact,
    /// `inputs`: how many distinct artifacts the execution read (`inputs=0`).
    Inputs,
    /// `outputs`: how many distinct artifacts the execution wrote (`outputs=0`: none).
    Outputs,
    /// `alert`: flagged by an alert rule of the same query (`any`, `failed`,
    /// `long-running`, or a rule's name).
    Alert,
    /// `property:NAME`: an execution property (declared or custom).
    Property(String),
}

impl Field {
    /// Every plain field name the parser accepts, with the field it means.
    pub const NAMES: [(&'static str, Field); 18] = [
        ("id", Field::Id),
        ("name", Field::Name),
        ("type", Field::Type),
        ("pipeline", Field::Pipeline),
        ("stage", Field::Stage),
        ("run", Field::Run),
        ("status", Field::Status),
        ("date", Field::Started),
        ("started", Field::Started),
        ("ended", Field::Ended),
        ("duration", Field::Duration),
        ("commit", Field::Commit),
        ("branch", Field::Branch),
        ("repo", Field::Repo),
        ("artifact", Field::Artifact),
        ("inputs", Field::Inputs),
        ("outputs", Field::Outputs),
        ("alert", Field::Alert),
    ];

    /// Looks a field name up (case-insensitive); `property` is handled by the parser.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, f)| f.clone())
    }

    fn name(&self) -> &str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Type => "type",
            Field::Pipeline => "pipeline",
            Field::Stage => "stage",
            Field::Run => "run",
            Field::Status => "status",
            Field::Started => "started",
            Field::Ended => "ended",
            Field::Duration => "duration",
            Field::Commit => "commit",
            Field::Branch => "branch",
            Field::Repo => "repo",
            Field::Artifact => "artifact",
            Field::Inputs => "inputs",
            Field::Outputs => "outputs",
            Field::Alert => "alert",
            Field::Property(_) => "property",
        }
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `:` — contains (text, case-insensitive); for `status`, `id` and times: equals /
    /// falls on; for `commit`: prefix.
    Match,
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
}

impl Op {
    /// The operator's text.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Match => ":",
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
        }
    }
}

/// A value as written, with where it starts (for error messages).
#[derive(Debug, Clone)]
pub struct Literal {
    /// The text (quotes removed).
    pub text: String,
    /// Character offset in the query.
    pub pos: usize,
}

impl PartialEq for Literal {
    /// Positions do not take part: a printed-and-reparsed query equals the original.
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

/// A parsed search.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// All must hold (`AND`, or terms side by side).
    And(Vec<Expr>),
    /// Any must hold.
    Or(Vec<Expr>),
    /// `NOT x` / `-x`.
    Not(Box<Expr>),
    /// `field op value`.
    Compare {
        /// What is tested.
        field: Field,
        /// How.
        op: Op,
        /// Against what.
        value: Literal,
    },
    /// `field:low TO high` (inclusive).
    Range {
        /// What is tested.
        field: Field,
        /// Lower bound.
        low: Literal,
        /// Upper bound.
        high: Literal,
    },
    /// `property:NAME` alone: the execution has the property.
    Has(String),
    /// A bare word: contained in name, type, pipeline or stage.
    Text(Literal),
}

const KEYWORDS: [&str; 4] = ["AND", "OR", "NOT", "TO"];

/// Quotes `text` when it would not read back as one word.
pub(crate) fn quoted(text: &str, bare: bool) -> String {
    let needs = text.is_empty()
        || text.chars().any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '"' | '\\'))
        || KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(text))
        || text.starts_with(['=', '!', '<', '>', ':'])
        || (bare && (text.starts_with('-') || text.contains([':', '=', '<', '>', '!'])));
    if needs {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        text.to_string()
    }
}

pub(crate) fn field_text(f: &Field) -> String {
    match f {
        Field::Property(name) => {
            let q = if name.contains([':', '=', '<', '>', '!']) || name.is_empty() {
                format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
            } else {
                quoted(name, false)
            };
            format!("property:{q}")
        }
        other => other.name().to_string(),
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let child = |e: &Expr, f: &mut fmt::Formatter<'_>, wrap: bool| {
            if wrap {
                write!(f, "({e})")
            } else {
                write!(f, "{e}")
            }
        };
        match self {
            Expr::And(items) => {
                for (i, e) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" AND ")?;
                    }
                    child(e, f, matches!(e, Expr::Or(_) | Expr::And(_)))?;
                }
                Ok(())
            }
            Expr::Or(items) => {
                for (i, e) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" OR ")?;
                    }
                    child(e, f, matches!(e, Expr::Or(_) | Expr::And(_)))?;
                }
                Ok(())
            }
            Expr::Not(e) => {
                f.write_str("NOT ")?;
                child(e, f, matches!(**e, Expr::Or(_) | Expr::And(_) | Expr::Not(_)))
            }
            Expr::Compare { field, op, value } => {
                let sep = match (field, op) {
                    (Field::Property(_), Op::Match) => ":",
                    (_, op) => op.symbol(),
                };
                write!(f, "{}{sep}{}", field_text(field), quoted(&value.text, false))
            }
            Expr::Range { field, low, high } => write!(
                f,
                "{}:{} TO {}",
                field_text(field),
                quoted(&low.text, false),
                quoted(&high.text, false)
            ),
            Expr::Has(name) => f.write_str(&field_text(&Field::Property(name.clone()))),
            Expr::Text(t) => f.write_str(&quoted(&t.text, true)),
        }
    }
}
