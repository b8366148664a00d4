//! Lexer and recursive-descent parser of the search language.
//!
//! Grammar (keywords case-insensitive; terms side by side are ANDed):
//! ```text
//! query   := or
//! or      := and ( "OR" and )*
//! and     := unary ( ["AND"] unary )*
//! unary   := ( "NOT" | "-" ) unary | primary
//! primary := "(" or ")" | term
//! term    := field op value [ "TO" value ] | "property:" NAME [ op value ] | word
//! op      := ":" | "=" | "!=" | ">" | ">=" | "<" | "<=" | ":" op
//! ```

use super::ast::{Expr, Field, Literal, Op};
use crate::error::Error;

/// A token: a parenthesis or a word (quotes already resolved into `pieces`).
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Word(Word),
}

/// A run of characters up to whitespace or a parenthesis, quotes allowed inside.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    /// Each character with its offset and whether it came from inside quotes.
    chars: Vec<(char, usize, bool)>,
    start: usize,
    end: usize,
}

impl Word {
    fn text(&self) -> String {
        collect(&self.chars)
    }

    /// A keyword only when written without quotes.
    fn keyword(&self) -> Option<&'static str> {
        if self.chars.iter().any(|c| c.2) {
            return None;
        }
        let t = self.text();
        ["AND", "OR", "NOT", "TO"].into_iter().find(|k| k.eq_ignore_ascii_case(&t))
    }
}

/// Stands for the content of `""` so that an empty quoted value is still a value.
const EMPTY: char = '\0';

/// The text of lexed characters, without empty-quote markers.
fn collect(chars: &[(char, usize, bool)]) -> String {
    chars.iter().filter(|c| !(c.0 == EMPTY && c.2)).map(|c| c.0).collect()
}

fn err(position: usize, message: impl Into<String>) -> Error {
    Error::Query { position, message: message.into() }
}

fn lex(input: &str) -> Result<Vec<Tok>, Error> {
    let chars: Vec<char> = input.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            toks.push(Tok::LParen);
            i += 1;
        } else if c == ')' {
            toks.push(Tok::RParen);
            i += 1;
        } else {
            let start = i;
            let mut out = Vec::new();
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '(' && chars[i] != ')'
            {
                if chars[i] == '"' {
                    let open = i;
                    let before = out.len();
                    i += 1;
                    loop {
                        match chars.get(i) {
                            None => {
                                return Err(err(open, "unterminated quote: add the closing \""))
                            }
                            Some('"') => {
                                i += 1;
                                break;
                            }
                            Some('\\') if i + 1 < chars.len() => {
                                out.push((chars[i + 1], i + 1, true));
                                i += 2;
                            }
                            Some(&ch) => {
                                out.push((ch, i, true));
                                i += 1;
                            }
                        }
                    }
                    if out.len() == before {
                        // `""`: an empty value still takes a place in the word.
                        out.push((EMPTY, open, true));
                    }
                } else {
                    out.push((chars[i], i, false));
                    i += 1;
                }
            }
            toks.push(Tok::Word(Word { chars: out, start, end: i }));
        }
    }
    Ok(toks)
}

/// Longest query accepted, in characters: a search box or a shared link holds far less.
pub const MAX_QUERY_CHARS: usize = 10_000;

/// Deepest nesting of parentheses and `NOT`s accepted. Parsing, compiling and evaluating
/// recurse once per level, so this bound keeps every stack (wasm's is small) safe.
pub const MAX_NESTING: usize = 64;

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    /// Parentheses and NOTs open around the current token.
    depth: usize,
    /// Character offset of the end of the input (for "expected … at END").
    end: usize,
}

/// Parses a search query into its syntax tree.
///
/// # Errors
/// [`Error::Query`] with the character offset and what was expected there.
///
/// ```
/// use mlmd_lens::query::parse;
/// let q = parse("pipeline:mnist AND status:completed AND property:epochs>10").unwrap();
/// assert_eq!(q.to_string(), "pipeline:mnist AND status:completed AND property:epochs>10");
/// let e = parse("property:epochs>").unwrap_err();
/// assert_eq!(e.to_string(), "expected a value after 'property:epochs>' at 16");
/// ```
pub fn parse(input: &str) -> Result<Expr, Error> {
    let chars = input.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(err(
            MAX_QUERY_CHARS,
            format!("the query is too long ({chars} characters; at most {MAX_QUERY_CHARS})"),
        ));
    }
    let mut p = Parser { toks: lex(input)?, pos: 0, depth: 0, end: chars };
    if p.toks.is_empty() {
        return Ok(Expr::And(Vec::new()));
    }
    let e = p.or()?;
    match p.peek() {
        None => Ok(e),
        Some(Tok::RParen) => Err(err(p.offset(), "unmatched ')'")),
        Some(_) => Err(err(p.offset(), "expected AND, OR or the end of the query")),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    /// Character offset of the current token (or the end).
    fn offset(&self) -> usize {
        self.offset_of(self.pos)
    }

    fn offset_of(&self, i: usize) -> usize {
        // Offsets of parentheses are not stored; derive from neighbours.
        match self.toks.get(i) {
            Some(Tok::Word(w)) => w.start,
            Some(_) => self.toks[..i]
                .iter()
                .rev()
                .find_map(|t| if let Tok::Word(w) = t { Some(w.end) } else { None })
                .unwrap_or(0),
            None => self.end,
        }
    }

    /// Enters one level of nesting at character `at`, refusing more than [`MAX_NESTING`].
    fn enter(&mut self, at: usize) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(err(
                at,
                format!("the query nests too deeply: at most {MAX_NESTING} levels of parentheses and NOT"),
            ));
        }
        Ok(())
    }

    fn is_keyword(&self, k: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w.keyword() == Some(k))
    }

    fn or(&mut self) -> Result<Expr, Error> {
        let mut items = vec![self.and()?];
        while self.is_keyword("OR") {
            self.pos += 1;
            if self.peek().is_none() {
                return Err(err(self.end, "expected a search term after OR"));
            }
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Expr::And(vec![]))
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Result<Expr, Error> {
        let mut items = vec![self.unary()?];
        loop {
            if self.is_keyword("AND") {
                self.pos += 1;
                if self.peek().is_none() {
                    return Err(err(self.end, "expected a search term after AND"));
                }
                items.push(self.unary()?);
            } else if matches!(self.peek(), None | Some(Tok::RParen)) || self.is_keyword("OR") {
                break;
            } else {
                items.push(self.unary()?);
            }
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Expr::And(vec![]))
        } else {
            Expr::And(items)
        })
    }

    fn unary(&mut self) -> Result<Expr, Error> {
        if self.is_keyword("NOT") {
            self.enter(self.offset())?;
            self.pos += 1;
            if self.peek().is_none() {
                return Err(err(self.end, "expected a search term after NOT"));
            }
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        if let Some(Tok::Word(w)) = self.peek() {
            if w.chars.len() > 1 && w.chars[0] == ('-', w.start, false) {
                let mut rest = w.clone();
                rest.chars.remove(0);
                rest.start += 1;
                self.pos += 1;
                return Ok(Expr::Not(Box::new(self.term(rest)?)));
            }
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, Error> {
        match self.peek().cloned() {
            Some(Tok::LParen) => {
                let open = self.offset();
                self.enter(open)?;
                self.pos += 1;
                if matches!(self.peek(), Some(Tok::RParen)) {
                    return Err(err(open, "empty parentheses: put a search term inside"));
                }
                let e = self.or()?;
                if matches!(self.peek(), Some(Tok::RParen)) {
                    self.pos += 1;
                    self.depth -= 1;
                    Ok(e)
                } else {
                    Err(err(self.offset(), "expected ')' to close the '(' opened earlier"))
                }
            }
            Some(Tok::Word(w)) => {
                if let Some(k) = w.keyword() {
                    return Err(err(w.start, format!("expected a search term before {k}")));
                }
                self.pos += 1;
                self.term(w)
            }
            Some(Tok::RParen) => Err(err(self.offset(), "unmatched ')'")),
            None => Err(err(self.end, "expected a search term")),
        }
    }

    /// A word: `field op value`, `property:NAME [op value]`, or a bare search word.
    fn term(&mut self, w: Word) -> Result<Expr, Error> {
        let c = &w.chars;
        let ident_len = c
            .iter()
            .take_while(|(ch, _, q)| !q && (ch.is_ascii_alphanumeric() || *ch == '_'))
            .count();
        let after = c.get(ident_len).filter(|(_, _, q)| !q).map(|x| x.0);
        if ident_len == 0 || !matches!(after, Some(':' | '=' | '!' | '<' | '>')) {
            return Ok(Expr::Text(Literal { text: w.text(), pos: w.start }));
        }
        let name = collect(&c[..ident_len]);
        let mut i = ident_len;
        let field = if name.eq_ignore_ascii_case("property") || name.eq_ignore_ascii_case("prop") {
            if after != Some(':') {
                return Err(err(c[i].1, "expected ':' and a property name after 'property'"));
            }
            i += 1;
            let start = i;
            while i < c.len() && (c[i].2 || !matches!(c[i].0, ':' | '=' | '!' | '<' | '>')) {
                i += 1;
            }
            let prop = collect(&c[start..i]);
            if prop.is_empty() {
                return Err(err(
                    c.get(start).map_or(w.end, |x| x.1),
                    "expected a property name after 'property:'",
                ));
            }
            if i == c.len() {
                return Ok(Expr::Has(prop));
            }
            Field::Property(prop)
        } else {
            Field::from_name(&name).ok_or_else(|| {
                let names: Vec<&str> = Field::NAMES.iter().map(|(n, _)| *n).collect();
                err(
                    w.start,
                    format!(
                        "unknown field '{name}': use one of {}, property:NAME",
                        names.join(", ")
                    ),
                )
            })?
        };
        let (op, used) = read_op(&c[i..]);
        if used == 0 {
            return Err(err(
                c.get(i).map_or(w.end, |x| x.1),
                "expected an operator (: = != > >= < <=)",
            ));
        }
        i += used;
        let prefix = collect(&c[..i]);
        if i == c.len() {
            return Err(err(w.end, format!("expected a value after '{prefix}'")));
        }
        let value = Literal { text: collect(&c[i..]), pos: c[i].1 };
        // `field:low TO high`
        if op == Op::Match && self.is_keyword("TO") {
            let to_pos = self.offset();
            self.pos += 1;
            return match self.peek().cloned() {
                Some(Tok::Word(h)) if h.keyword().is_none() => {
                    self.pos += 1;
                    Ok(Expr::Range {
                        field,
                        low: value,
                        high: Literal { text: h.text(), pos: h.start },
                    })
                }
                _ => Err(err(to_pos + 2, "expected a value after 'TO'")),
            };
        }
        Ok(Expr::Compare { field, op, value })
    }
}

/// Reads an operator at the start of `c` (unquoted): returns it and how many chars it took.
fn read_op(c: &[(char, usize, bool)]) -> (Op, usize) {
    let at = |i: usize| c.get(i).filter(|x| !x.2).map(|x| x.0);
    let cmp = |i: usize| -> Option<(Op, usize)> {
        match (at(i), at(i + 1)) {
            (Some('>'), Some('=')) => Some((Op::Ge, 2)),
            (Some('<'), Some('=')) => Some((Op::Le, 2)),
            (Some('!'), Some('=')) => Some((Op::Ne, 2)),
            (Some('='), _) => Some((Op::Eq, 1)),
            (Some('>'), _) => Some((Op::Gt, 1)),
            (Some('<'), _) => Some((Op::Lt, 1)),
            _ => None,
        }
    };
    if at(0) == Some(':') {
        // `field:>5` is the same as `field>5` (GitHub style).
        match cmp(1) {
            Some((op, n)) => (op, n + 1),
            None => (Op::Match, 1),
        }
    } else {
        cmp(0).unwrap_or((Op::Match, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(q: &str) -> String {
        let ast = parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        let printed = ast.to_string();
        assert_eq!(parse(&printed).unwrap(), ast, "{q} -> {printed}");
        printed
    }

    #[test]
    fn the_seed_examples_parse() {
        assert_eq!(round_trip("property:learning_rate=0.001"), "property:learning_rate=0.001");
        assert_eq!(round_trip("date:2026-01-01 TO 2026-01-31"), "started:2026-01-01 TO 2026-01-31");
        assert_eq!(round_trip("commit:a3f9e2b7"), "commit:a3f9e2b7");
        assert_eq!(
            round_trip("pipeline:mnist AND status:completed AND property:epochs>10"),
            "pipeline:mnist AND status:completed AND property:epochs>10"
        );
    }

    #[test]
    fn every_construct_round_trips() {
        for q in [
            "a b c",
            "a OR b c",
            "(a OR b) c",
            "NOT a",
            "-a",
            "-(a OR b)",
            "NOT NOT a",
            "name:\"my run\"",
            "\"two words\"",
            "\"AND\"",
            "\"\"",
            "property:\"learning rate\">=0.1",
            "property:\"a:b\"=1",
            "property:optimizer:adam",
            "property:epochs",
            "duration>5m",
            "duration:>=5m",
            "started>=2026-01-01T10:00:00Z",
            "id!=3",
            "status:failed or status:canceled",
            "x AND (y OR (z AND NOT w))",
            "artifact:s3://bucket/x",
            "name:\"quote \\\" inside\"",
            "date:-7d TO today",
        ] {
            round_trip(q);
        }
    }

    #[test]
    fn precedence_is_not_and_or() {
        let e = parse("a OR b AND NOT c").unwrap();
        assert_eq!(e.to_string(), "a OR (b AND NOT c)", "printing makes the grouping explicit");
        match e {
            Expr::Or(items) => assert!(matches!(items[1], Expr::And(_))),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_name_the_position_and_what_was_expected() {
        let cases = [
            ("property:epochs>", "expected a value after 'property:epochs>' at 16"),
            ("pipeline:mnist AND", "expected a search term after AND at 18"),
            ("(a OR b", "expected ')' to close the '(' opened earlier at 7"),
            ("a)", "unmatched ')' at 1"),
            ("foo:bar", "unknown field 'foo': use one of"),
            ("name:\"open", "unterminated quote: add the closing \" at 5"),
            ("property:", "expected a property name after 'property:'"),
            ("date:2026-01-01 TO", "expected a value after 'TO'"),
            ("OR a", "expected a search term before OR at 0"),
            ("()", "empty parentheses"),
            ("NOT", "expected a search term after NOT"),
            ("name:", "expected a value after 'name:' at 5"),
        ];
        for (q, want) in cases {
            let e = parse(q).expect_err(q);
            assert!(e.to_string().starts_with(want), "{q}: got {e:?}, want {want}");
            assert_eq!(e.kind(), "query");
        }
    }

    #[test]
    fn empty_query_matches_everything() {
        assert_eq!(parse("   ").unwrap(), Expr::And(vec![]));
    }

    /// Regression (issue 10, item 1): ~1,400 nested `(` or `NOT` overflowed the stack
    /// (trapping the wasm for good); any input is now an error with a position.
    #[test]
    fn deep_or_long_queries_are_errors_not_crashes() {
        for n in [MAX_NESTING + 1, 1_400, 4_000] {
            let parens = format!("{}a{}", "(".repeat(n), ")".repeat(n));
            let nots = format!("{}a", "NOT ".repeat(n));
            let dashes = format!("{}(a)", "NOT (".repeat(n / 2));
            for q in [parens, nots, dashes] {
                match parse(&q) {
                    Err(Error::Query { message, .. }) => {
                        assert!(
                            message.contains("nests too deeply") || message.contains("too long"),
                            "{message}"
                        )
                    }
                    other => panic!("{n}: expected a query error, got {other:?}"),
                }
            }
        }
        let ok = format!("{}a{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert!(parse(&ok).is_ok());
        let long = "a ".repeat(MAX_QUERY_CHARS);
        assert!(matches!(parse(&long), Err(Error::Query { position: MAX_QUERY_CHARS, .. })));
    }
}
