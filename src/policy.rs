//! Nova's policy, evaluated exactly as oslo.policy evaluates it.
//!
//! Nova decides who may call each API with oslo.policy: every rule is a check string such as
//! `role:member and project_id:%(project_id)s`, a deployment may override any rule by name in
//! its `policy.yaml`, and a token whose scope the rule does not admit is refused. This module
//! parses check strings with oslo.policy's own grammar and quirks ([`parse`]), evaluates them
//! against a target and the caller's [`Credentials`] ([`evaluate`]), builds the rule set Nova
//! enforces from registered defaults and overrides ([`Enforcer`]), and says in words who may
//! pass a check ([`who_may`]).
//!
//! Every semantic was read from oslo.policy 6.0.1 (the version each Nova 27.5.1 … 34.0.0
//! environment installs) and is compared case by case against it executed
//! (`oracle/oslo_policy_cases.py`, `tests/policy.rs`).
//!
//! A result is one of four: allowed, denied, undecided (an `http:` check, which only the
//! deployment's server can answer, or a form this evaluator does not reproduce; the result
//! names the check), or "raises" (oslo.policy itself would raise and Nova answer with a server
//! error, e.g. a rule that refers to itself). Nothing here panics on bad input, recurses without
//! bound or formats through `core::fmt`.
//!
//! Limits: a check string nests at most [`MAX_DEPTH`] levels (oslo.policy itself fails with a
//! Python recursion error a few hundred levels down); evaluation follows at most
//! [`MAX_EVAL_DEPTH`] nested checks and rule references, beyond which the answer is undecided.

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{push_quoted, put, Error, ErrorKind};

/// How deeply a check string may nest (`not`, `and`/`or` inside parentheses) before [`parse`]
/// refuses it.
pub const MAX_DEPTH: u32 = 100;

/// How many nested checks and rule references one evaluation follows before it stops and says
/// it could not decide (Python's recursion limit makes oslo.policy fail somewhere beyond this).
pub const MAX_EVAL_DEPTH: u32 = 300;

/// A parsed check string: the tree oslo.policy builds from it.
#[derive(Clone, PartialEq, Eq)]
pub enum Check {
    /// `@`, the empty string: always passes.
    True,
    /// `!`, and every check string oslo.policy cannot parse: never passes.
    False,
    /// `rule:NAME`: passes when the named rule passes (a missing rule fails, unless the policy
    /// defines a rule called `default`, which then stands in for it).
    Rule(String),
    /// `role:NAME`: the credentials carry the role, compared case-insensitively (`%(key)s` in
    /// NAME is taken from the target first).
    Role(String),
    /// `is_admin:True` / `is_admin:False` (a check Nova registers): the context's admin flag.
    IsAdmin(bool),
    /// `http:…` / `https:…`: a remote server decides; never decided here.
    Http {
        /// `https:` rather than `http:`.
        https: bool,
        /// What follows the colon.
        target: String,
    },
    /// Any other `KIND:MATCH`: MATCH (after `%(key)s` substitution from the target) equals the
    /// credentials attribute KIND (dotted for nested values), or the Python literal KIND.
    Generic {
        /// The text before the first colon.
        kind: String,
        /// The text after it.
        matches: String,
    },
    /// `not CHECK`.
    Not(Box<Check>),
    /// `A and B and …`.
    And(Vec<Check>),
    /// `A or B or …`.
    Or(Vec<Check>),
    /// A check string nested deeper than [`MAX_DEPTH`], kept in a rule set so that evaluating
    /// it says so (oslo.policy's own answer there depends on Python's stack).
    TooDeep,
}

/// One token of the check-string language.
enum Token {
    Check(Check, u32),
    /// An `and` expression; its depth.
    AndExpr(Vec<Check>, u32),
    /// An `or` expression; its depth and the depth of its last member.
    OrExpr(Vec<Check>, u32, u32),
    And,
    Or,
    Not,
    Open,
    Close,
    /// A quoted token (`'x'`): oslo.policy keeps it as a string, which never reduces.
    Quoted,
}

/// Whitespace as Python's `\s` and `str.isspace` know it.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Parses a check string exactly as oslo.policy's `parse_rule` does for a string: a string it
/// cannot parse is [`Check::False`], the empty string [`Check::True`].
///
/// The one error is nesting deeper than [`MAX_DEPTH`] (where oslo.policy itself overflows
/// Python's stack), or a check string above 16 MB.
pub fn parse(rule: &str) -> Result<Check, Error> {
    if rule.is_empty() {
        return Ok(Check::True);
    }
    if rule.len() > 16 << 20 {
        return Err(Error::new(
            ErrorKind::OutOfRange,
            quoting(
                "check string ",
                rule,
                &[" is too long: expected at most 16 MB"],
            ),
        ));
    }
    let mut stack: Vec<Token> = Vec::new();
    for word in rule.split(is_space).filter(|w| !w.is_empty()) {
        let clean = word.trim_start_matches('(');
        for _ in 0..word.len() - clean.len() {
            shift(&mut stack, Token::Open, rule)?;
        }
        if clean.is_empty() {
            continue;
        }
        let inner = clean.trim_end_matches(')');
        let trail = clean.len() - inner.len();
        if inner.eq_ignore_ascii_case("and") {
            shift(&mut stack, Token::And, rule)?;
        } else if inner.eq_ignore_ascii_case("or") {
            shift(&mut stack, Token::Or, rule)?;
        } else if inner.eq_ignore_ascii_case("not") {
            shift(&mut stack, Token::Not, rule)?;
        } else if !inner.is_empty() {
            let b = clean.as_bytes();
            let quoted = b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b.last() == Some(&b[0]);
            if quoted {
                shift(&mut stack, Token::Quoted, rule)?;
            } else {
                shift(&mut stack, Token::Check(parse_check(inner), 0), rule)?;
            }
        }
        for _ in 0..trail {
            shift(&mut stack, Token::Close, rule)?;
        }
    }
    match (stack.pop(), stack.is_empty()) {
        (Some(Token::Check(check, _)), true) => Ok(check),
        (Some(Token::AndExpr(checks, _)), true) => Ok(Check::And(checks)),
        (Some(Token::OrExpr(checks, _, _)), true) => Ok(Check::Or(checks)),
        _ => Ok(Check::False),
    }
}

/// Parses one `KIND:MATCH` word (no operators), as oslo.policy's list form does for each item.
pub fn parse_check(word: &str) -> Check {
    match word {
        "!" => return Check::False,
        "@" => return Check::True,
        _ => {}
    }
    let Some((kind, rest)) = word.split_once(':') else {
        return Check::False;
    };
    match kind {
        "http" | "https" => Check::Http {
            https: kind == "https",
            target: rest.to_owned(),
        },
        "rule" => Check::Rule(rest.to_owned()),
        "role" => Check::Role(rest.to_owned()),
        "is_admin" => Check::IsAdmin(rest.eq_ignore_ascii_case("true")),
        _ => Check::Generic {
            kind: kind.to_owned(),
            matches: rest.to_owned(),
        },
    }
}

fn too_deep(rule: &str) -> Error {
    let mut depth = String::new();
    crate::error::push_number(&mut depth, MAX_DEPTH as u64);
    Error::new(
        ErrorKind::OutOfRange,
        quoting(
            "check string ",
            rule,
            &[
                " nests too deeply: expected at most ",
                &depth,
                " levels of not, and/or and parentheses",
            ],
        ),
    )
}

fn shift(stack: &mut Vec<Token>, token: Token, rule: &str) -> Result<(), Error> {
    stack.push(token);
    // The greedy reduction of oslo.policy's parser, as a loop.
    loop {
        let n = stack.len();
        let reduced = if n >= 3 { reduce3(stack) } else { false };
        if reduced {
            if top_depth(stack) > MAX_DEPTH {
                return Err(too_deep(rule));
            }
            continue;
        }
        let n = stack.len();
        if n >= 2 && matches!(stack[n - 2], Token::Not) && matches!(stack[n - 1], Token::Check(..))
        {
            let Some(Token::Check(check, depth)) = stack.pop() else {
                return Ok(());
            };
            stack.pop();
            if depth + 1 > MAX_DEPTH {
                return Err(too_deep(rule));
            }
            stack.push(Token::Check(Check::Not(Box::new(check)), depth + 1));
            continue;
        }
        return Ok(());
    }
}

fn top_depth(stack: &[Token]) -> u32 {
    match stack.last() {
        Some(Token::Check(_, d) | Token::AndExpr(_, d) | Token::OrExpr(_, d, _)) => *d,
        _ => 0,
    }
}

/// Tries the three-token reductions on the top of the stack; true when one applied.
fn reduce3(stack: &mut Vec<Token>) -> bool {
    let n = stack.len();
    let shape = (
        kind(&stack[n - 3]),
        kind(&stack[n - 2]),
        kind(&stack[n - 1]),
    );
    let (Some(c), Some(b), Some(a)) = (stack.pop(), stack.pop(), stack.pop()) else {
        return false;
    };
    let token = match (shape, a, b, c) {
        ((b'(', b'c' | b'&' | b'|', b')'), _, inner, _) => match inner {
            Token::Check(check, d) => Token::Check(check, d),
            Token::AndExpr(checks, d) => Token::Check(Check::And(checks), d),
            Token::OrExpr(checks, d, _) => Token::Check(Check::Or(checks), d),
            other => other,
        },
        ((b'c', b'a', b'c'), Token::Check(x, dx), _, Token::Check(y, dy)) => {
            Token::AndExpr(Vec::from([x, y]), 1 + dx.max(dy))
        }
        ((b'&', b'a', b'c'), Token::AndExpr(mut xs, d), _, Token::Check(y, dy)) => {
            xs.push(y);
            Token::AndExpr(xs, d.max(1 + dy))
        }
        ((b'|', b'a', b'c'), Token::OrExpr(mut xs, d, dl), _, Token::Check(y, dy)) => {
            let (member, dm) = match xs.pop() {
                Some(Check::And(mut ys)) => {
                    ys.push(y);
                    (Check::And(ys), dl.max(1 + dy))
                }
                Some(last) => (Check::And(Vec::from([last, y])), 1 + dl.max(dy)),
                None => (y, dy),
            };
            xs.push(member);
            Token::OrExpr(xs, d.max(1 + dm), dm)
        }
        ((b'c', b'o', b'c'), Token::Check(x, dx), _, Token::Check(y, dy)) => {
            Token::OrExpr(Vec::from([x, y]), 1 + dx.max(dy), dy)
        }
        ((b'&', b'o', b'c'), Token::AndExpr(xs, dx), _, Token::Check(y, dy)) => {
            Token::OrExpr(Vec::from([Check::And(xs), y]), 1 + dx.max(dy), dy)
        }
        ((b'|', b'o', b'c'), Token::OrExpr(mut xs, d, _), _, Token::Check(y, dy)) => {
            xs.push(y);
            Token::OrExpr(xs, d.max(1 + dy), dy)
        }
        (_, a, b, c) => {
            stack.push(a);
            stack.push(b);
            stack.push(c);
            return false;
        }
    };
    stack.push(token);
    true
}

fn kind(token: &Token) -> u8 {
    match token {
        Token::Check(..) => b'c',
        Token::AndExpr(..) => b'&',
        Token::OrExpr(..) => b'|',
        Token::And => b'a',
        Token::Or => b'o',
        Token::Not => b'n',
        Token::Open => b'(',
        Token::Close => b')',
        Token::Quoted => b'q',
    }
}

/// The message of `parts`, one after another, written out of line into one string.
#[inline(never)]
fn message(parts: &[&str]) -> String {
    let mut out = String::new();
    push_all(&mut out, parts);
    out
}

/// Appends `parts` to `out`.
#[inline(never)]
fn push_all(out: &mut String, parts: &[&str]) {
    for part in parts {
        put(out, part);
    }
}

/// The message `before`, `input` quoted (as `error::quote` quotes it), then `after`: written into
/// one string, out of line.
#[inline(never)]
fn quoting(before: &str, input: &str, after: &[&str]) -> String {
    let mut out = String::from(before);
    push_quoted(&mut out, input);
    push_all(&mut out, after);
    out
}

/// Appends the check string that parses back to `check` (oslo.policy's own rendering: `and` and
/// `or` in parentheses).
pub fn push_check_string(out: &mut String, check: &Check) {
    match check {
        Check::True => out.push('@'),
        Check::False | Check::TooDeep => out.push('!'),
        Check::Rule(name) => {
            out.push_str("rule:");
            out.push_str(name);
        }
        Check::Role(name) => {
            out.push_str("role:");
            out.push_str(name);
        }
        Check::IsAdmin(value) => out.push_str(if *value {
            "is_admin:True"
        } else {
            "is_admin:False"
        }),
        Check::Http { https, target } => {
            out.push_str(if *https { "https:" } else { "http:" });
            out.push_str(target);
        }
        Check::Generic { kind, matches } => {
            out.push_str(kind);
            out.push(':');
            out.push_str(matches);
        }
        Check::Not(inner) => {
            out.push_str("not ");
            push_check_string(out, inner);
        }
        Check::And(checks) | Check::Or(checks) => {
            let op = if matches!(check, Check::And(_)) {
                " and "
            } else {
                " or "
            };
            out.push('(');
            for (i, c) in checks.iter().enumerate() {
                if i > 0 {
                    out.push_str(op);
                }
                push_check_string(out, c);
            }
            out.push(')');
        }
    }
}

impl core::fmt::Display for Check {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut out = String::new();
        push_check_string(&mut out, self);
        f.write_str(&out)
    }
}

impl core::fmt::Debug for Check {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Check(")?;
        core::fmt::Display::fmt(self, f)?;
        f.write_str(")")
    }
}

// ---------------------------------------------------------------------------------------------
// Who asks, and about what

/// Who asks: the attributes of the Keystone token as Nova's request context hands them to
/// oslo.policy (`RequestContext.to_policy_values()` plus Nova's `is_admin`).
///
/// `roles` are the token's roles exactly as Keystone lists them (already expanded through
/// implied roles: never expand them again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// The token's roles, unchanged.
    pub roles: Vec<String>,
    /// The project the token is scoped to.
    pub project_id: Option<String>,
    /// The user.
    pub user_id: Option<String>,
    /// `all` for a system-scoped token.
    pub system_scope: Option<String>,
    /// The domain a domain-scoped token is scoped to.
    pub domain_id: Option<String>,
    /// The user's domain.
    pub user_domain_id: Option<String>,
    /// The project's domain.
    pub project_domain_id: Option<String>,
    /// Keystone's `is_admin_project` (true unless the token says otherwise).
    pub is_admin_project: bool,
    /// Nova's `context.is_admin`: what `context_is_admin` said for this token
    /// ([`Enforcer::is_admin`]); `None` while it is being computed.
    pub is_admin: Option<bool>,
}

impl Default for Credentials {
    fn default() -> Self {
        Credentials {
            roles: Vec::new(),
            project_id: None,
            user_id: None,
            system_scope: None,
            domain_id: None,
            user_domain_id: None,
            project_domain_id: None,
            is_admin_project: true,
            is_admin: None,
        }
    }
}

/// A value of the credentials, as oslo.policy's generic checks see it.
enum Value<'a> {
    Str(&'a str),
    None,
    Bool(bool),
    List(&'a [String]),
}

fn opt(value: &Option<String>) -> Value<'_> {
    match value {
        Some(s) => Value::Str(s),
        None => Value::None,
    }
}

impl Credentials {
    /// A token's roles and project: the common case.
    pub fn project(roles: &[&str], project_id: &str, user_id: &str) -> Self {
        Credentials {
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
            project_id: Some(project_id.to_owned()),
            user_id: Some(user_id.to_owned()),
            ..Credentials::default()
        }
    }

    fn get(&self, key: &str) -> Option<Value<'_>> {
        Some(match key {
            "user_id" => opt(&self.user_id),
            "user_domain_id" => opt(&self.user_domain_id),
            "system_scope" => opt(&self.system_scope),
            "domain_id" => opt(&self.domain_id),
            "project_id" => opt(&self.project_id),
            "project_domain_id" => opt(&self.project_domain_id),
            "roles" => Value::List(&self.roles),
            "is_admin_project" => Value::Bool(self.is_admin_project),
            "service_user_id"
            | "service_user_domain_id"
            | "service_project_id"
            | "service_project_domain_id" => Value::None,
            "service_roles" => Value::List(&[]),
            "is_admin" => match self.is_admin {
                Some(b) => Value::Bool(b),
                None => Value::None,
            },
            "system" => match self.system_scope.as_deref() {
                Some(s) if !s.is_empty() => Value::Str(s),
                _ => return None,
            },
            _ => return None,
        })
    }

    /// The token's scope as oslo.policy's scope check sees it.
    pub fn scope(&self) -> Scope {
        Scope::of_token(self.system_scope.as_deref(), self.domain_id.as_deref())
    }
}

/// A token's scope, or one of a rule's `scope_types`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// `system`.
    System,
    /// `domain`.
    Domain,
    /// `project`.
    Project,
}

impl Scope {
    /// The scope of a token with this system scope and domain ([`Credentials::scope`]).
    pub fn of_token(system_scope: Option<&str>, domain_id: Option<&str>) -> Scope {
        if system_scope.is_some_and(|s| !s.is_empty()) {
            Scope::System
        } else if domain_id.is_some_and(|s| !s.is_empty()) {
            Scope::Domain
        } else {
            Scope::Project
        }
    }

    /// The name oslo.policy uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::System => "system",
            Scope::Domain => "domain",
            Scope::Project => "project",
        }
    }
}

/// The object of the action (for a server: `project_id` and `user_id` of the server), which
/// `%(key)s` in a check reads; keys keep the order they were set in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Target {
    entries: Vec<(String, Option<String>)>,
}

impl Target {
    /// An empty target.
    pub fn new() -> Self {
        Target::default()
    }

    /// Nova's target for a server: its `project_id` and `user_id`.
    pub fn server(project_id: Option<&str>, user_id: Option<&str>) -> Self {
        let mut target = Target::new();
        target.set("project_id", project_id);
        target.set("user_id", user_id);
        target
    }

    /// Sets `key` (a `None` value is Python's `None`).
    pub fn set(&mut self, key: &str, value: Option<&str>) {
        let value = value.map(ToOwned::to_owned);
        for entry in &mut self.entries {
            if entry.0 == key {
                entry.1 = value;
                return;
            }
        }
        self.entries.push((key.to_owned(), value));
    }

    /// The value of `key`: `None` when absent, `Some(None)` when set to Python's `None`.
    pub fn get(&self, key: &str) -> Option<Option<&str>> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_deref())
    }
}

// ---------------------------------------------------------------------------------------------
// Results

/// What one policy evaluation came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The check passes.
    Allow,
    /// The check fails (Nova answers 403).
    Deny(DenyReason),
    /// Only something this evaluator cannot see can decide (an `http:` check, a form it does
    /// not reproduce); the blocker names the check.
    Undecided(Blocker),
    /// oslo.policy itself raises here, so Nova answers with a server error rather than a
    /// verdict.
    Raises(Blocker),
}

/// Why a check was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DenyReason {
    /// The check string evaluated to false.
    Check,
    /// The token's scope is not among the rule's `scope_types` (oslo.policy's `InvalidScope`,
    /// which Nova turns into the same 403).
    Scope(Scope),
}

/// The check an evaluation could not get past, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocker {
    /// The check (or rule name) as written.
    pub check: String,
    /// Why it stops the evaluation.
    pub why: Why,
}

/// Why a check cannot be answered with allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Why {
    /// An `http:`/`https:` check: the deployment's server decides.
    Remote,
    /// A form of check this evaluator does not reproduce (named in the docs of [`evaluate`]).
    Unsupported,
    /// Deeper than [`MAX_DEPTH`] or [`MAX_EVAL_DEPTH`].
    TooDeep,
    /// A rule that refers back to itself: oslo.policy recurses until Python gives up.
    Cycle,
    /// The `%(key)s` substitution fails in Python (a missing key where it is not caught,
    /// `%d` of a string, a lone `%`).
    Format,
    /// The check's kind is not valid Python, which oslo.policy's literal evaluation rejects
    /// with an exception.
    Syntax,
    /// A dotted kind goes into a value that is not a mapping.
    NotMapping,
    /// The rule was never registered (oslo.policy's `PolicyNotRegistered`).
    NotRegistered,
}

impl Why {
    /// A short phrase for a person.
    pub fn as_str(self) -> &'static str {
        match self {
            Why::Remote => "decided by a remote policy server",
            Why::Unsupported => "a form of check this evaluator does not reproduce",
            Why::TooDeep => "nested too deeply",
            Why::Cycle => "a rule that refers to itself",
            Why::Format => "a substitution that fails in oslo.policy",
            Why::Syntax => "a check kind that is not valid Python",
            Why::NotMapping => "a dotted check into a value that is not a mapping",
            Why::NotRegistered => "a rule Nova does not register",
        }
    }
}

impl Outcome {
    /// True only for [`Outcome::Allow`].
    pub fn is_allowed(&self) -> bool {
        matches!(self, Outcome::Allow)
    }
}

/// The outcomes an evaluation may still have (an `http:` check may answer either way):
/// passes, fails, raises, with the first check that raises and the first that is open.
struct Tri {
    t: bool,
    f: bool,
    e: Option<Blocker>,
    u: Option<Blocker>,
}

#[allow(non_snake_case)]
impl Tri {
    fn T() -> Tri {
        Tri {
            t: true,
            f: false,
            e: None,
            u: None,
        }
    }
    fn F() -> Tri {
        Tri {
            t: false,
            f: true,
            e: None,
            u: None,
        }
    }
    fn E(b: Blocker) -> Tri {
        Tri {
            t: false,
            f: false,
            e: Some(b),
            u: None,
        }
    }
    /// Either answer (an `http:` check).
    fn U(b: Blocker) -> Tri {
        Tri {
            t: true,
            f: true,
            e: None,
            u: Some(b),
        }
    }
    /// Any answer, a raise included (a form not reproduced here).
    fn any(b: Blocker) -> Tri {
        Tri {
            t: true,
            f: true,
            e: Some(b.clone()),
            u: Some(b),
        }
    }
}

fn blocker(check: &Check, why: Why) -> Blocker {
    let mut text = String::new();
    push_check_string(&mut text, check);
    Blocker { check: text, why }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/// Rules a `rule:` check can refer to.
pub trait Rules {
    /// The rule called `name`, if the rule set has it.
    fn rule(&self, name: &str) -> Option<&Check>;
}

impl Rules for BTreeMap<String, Check> {
    fn rule(&self, name: &str) -> Option<&Check> {
        self.get(name)
    }
}

/// Evaluates `check` for `creds` against `target`, with `rules` for `rule:` references, as
/// oslo.policy does (left to right, short-circuit).
///
/// Undecided ([`Why::Unsupported`]): a generic check whose kind is a Python literal other than a
/// plain quoted string without escapes, `True`, `False`, `None` or a decimal integer, or not
/// an identifier path (`a.b`, `a-b`); `%r`/`%s` of values with non-ASCII characters; widths
/// above 2^20.
pub fn evaluate(check: &Check, target: &Target, creds: &Credentials, rules: &dyn Rules) -> Outcome {
    let mut eval = Eval {
        target,
        creds,
        rules,
        active: Vec::new(),
    };
    let r = eval.check(check, 0);
    match (r.t, r.f, r.e, r.u) {
        (true, false, None, _) => Outcome::Allow,
        (false, true, None, _) => Outcome::Deny(DenyReason::Check),
        (false, false, Some(e), _) => Outcome::Raises(e),
        (_, _, e, u) => Outcome::Undecided(u.or(e).unwrap_or(Blocker {
            check: String::new(),
            why: Why::Unsupported,
        })),
    }
}

struct Eval<'a> {
    target: &'a Target,
    creds: &'a Credentials,
    rules: &'a dyn Rules,
    /// The rules being evaluated, to find cycles.
    active: Vec<&'a str>,
}

impl<'a> Eval<'a> {
    fn check(&mut self, check: &'a Check, depth: u32) -> Tri {
        if depth > MAX_EVAL_DEPTH {
            return Tri::any(blocker(check, Why::TooDeep));
        }
        match check {
            Check::True => Tri::T(),
            Check::False => Tri::F(),
            Check::TooDeep => Tri::any(blocker(check, Why::TooDeep)),
            Check::Not(inner) => {
                let mut r = self.check(inner, depth + 1);
                core::mem::swap(&mut r.t, &mut r.f);
                r
            }
            Check::And(checks) => self.join(checks, depth, true),
            Check::Or(checks) => self.join(checks, depth, false),
            Check::Rule(name) => {
                let (name, rule) = match self.rules.rule(name) {
                    Some(rule) => (name.as_str(), rule),
                    None => match self.rules.rule("default") {
                        Some(rule) => ("default", rule),
                        None => return Tri::F(),
                    },
                };
                if self.active.contains(&name) {
                    return Tri::E(Blocker {
                        check: name.to_owned(),
                        why: Why::Cycle,
                    });
                }
                self.active.push(name);
                let result = self.check(rule, depth + 1);
                self.active.pop();
                result
            }
            Check::Role(pattern) => match substitute(pattern, self.target) {
                Err(Sub::Missing) => Tri::F(),
                Err(Sub::Fails) => Tri::E(blocker(check, Why::Format)),
                Err(Sub::Unsupported) => Tri::any(blocker(check, Why::Unsupported)),
                Ok(role) => {
                    let wanted = lower(&role);
                    let mut open = false;
                    for r in &self.creds.roles {
                        match (&wanted, lower(r)) {
                            (Some(w), Some(r)) if *w == r => return Tri::T(),
                            (None, None) if role == *r => return Tri::T(),
                            (None, None) => open = true,
                            _ => {}
                        }
                    }
                    if open {
                        Tri::any(blocker(check, Why::Unsupported))
                    } else {
                        Tri::F()
                    }
                }
            },
            Check::IsAdmin(expected) => {
                if self.creds.is_admin == Some(*expected) {
                    Tri::T()
                } else {
                    Tri::F()
                }
            }
            Check::Http { target, .. } => match substitute(target, self.target) {
                Ok(_) => Tri::U(blocker(check, Why::Remote)),
                Err(Sub::Unsupported) => Tri::any(blocker(check, Why::Unsupported)),
                Err(_) => Tri::E(blocker(check, Why::Format)),
            },
            Check::Generic { kind, matches } => self.generic(check, kind, matches),
        }
    }

    fn join(&mut self, checks: &'a [Check], depth: u32, and: bool) -> Tri {
        // `and` goes on while every member so far passed, `or` while every one failed.
        let mut acc = if and { Tri::T() } else { Tri::F() };
        for c in checks {
            let going = if and { acc.t } else { acc.f };
            if !going {
                break;
            }
            let r = self.check(c, depth + 1);
            if and {
                acc.t = r.t;
                acc.f |= r.f;
            } else {
                acc.f = r.f;
                acc.t |= r.t;
            }
            if acc.e.is_none() {
                acc.e = r.e;
            }
            if acc.u.is_none() {
                acc.u = r.u;
            }
        }
        acc
    }

    fn generic(&self, check: &Check, kind: &str, pattern: &str) -> Tri {
        let wanted = match substitute(pattern, self.target) {
            Ok(s) => s,
            Err(Sub::Missing) => return Tri::F(),
            Err(Sub::Fails) => return Tri::E(blocker(check, Why::Format)),
            Err(Sub::Unsupported) => return Tri::any(blocker(check, Why::Unsupported)),
        };
        match literal(kind) {
            Literal::Value(v) => {
                if v == wanted {
                    Tri::T()
                } else {
                    Tri::F()
                }
            }
            Literal::Syntax => Tri::E(blocker(check, Why::Syntax)),
            Literal::Unsupported => Tri::any(blocker(check, Why::Unsupported)),
            Literal::Path => {
                let mut segments = kind.split('.');
                let first = segments.next().unwrap_or("");
                let Some(value) = self.creds.get(first) else {
                    return Tri::F();
                };
                let rest: Vec<&str> = segments.collect();
                find(&value, &rest, &wanted, check)
            }
        }
    }
}

/// oslo.policy's search of a dotted path in the credentials, from the value at the first
/// segment.
fn find(value: &Value<'_>, rest: &[&str], wanted: &str, check: &Check) -> Tri {
    match value {
        Value::List(items) => {
            for item in items.iter() {
                let r = find(&Value::Str(item), rest, wanted, check);
                if r.t || r.e.is_some() {
                    return r;
                }
            }
            Tri::F()
        }
        _ if !rest.is_empty() => Tri::E(blocker(check, Why::NotMapping)),
        Value::Str(s) => bool_tri(*s == wanted),
        Value::None => bool_tri(wanted == "None"),
        Value::Bool(b) => bool_tri(wanted == if *b { "True" } else { "False" }),
    }
}

fn bool_tri(b: bool) -> Tri {
    if b {
        Tri::T()
    } else {
        Tri::F()
    }
}

/// Python's `str.lower()` where it is ASCII (only A-Z and the Kelvin sign lower to ASCII);
/// `None` for text whose lower case is not ASCII.
fn lower(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{212a}' => out.push('k'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            _ => return None,
        }
    }
    Some(out)
}

enum Literal {
    /// A Python literal, as `str()` prints it.
    Value(String),
    /// Not a literal: a credentials path.
    Path,
    /// `ast.literal_eval` raises `SyntaxError`.
    Syntax,
    Unsupported,
}

const KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

fn is_identifier(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && !b[0].is_ascii_digit()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// What `ast.literal_eval(kind)` does, for the forms reproduced here. (Its cuts, and
/// `substitute`'s, are at ASCII bytes or char boundaries, taken with `get`: indexing's failure
/// path would link `core::fmt` into the describe module.)
fn literal(kind: &str) -> Literal {
    let trimmed = kind.trim_start_matches([' ', '\t']);
    if trimmed.is_empty() {
        return Literal::Syntax;
    }
    if let "True" | "False" | "None" = trimmed {
        return Literal::Value(trimmed.to_owned());
    }
    let b = trimmed.as_bytes();
    if b[0] == b'\'' || b[0] == b'"' {
        let inner = trimmed.get(1..).unwrap_or_default();
        if let Some(end) = inner.find(b[0] as char) {
            let body = inner.get(..end).unwrap_or_default();
            if end + 2 == trimmed.len() && !body.contains(['\\', '\n', '\r']) {
                return Literal::Value(body.to_owned());
            }
        }
        return Literal::Unsupported;
    }
    let digits = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
    if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
        let value = digits.trim_start_matches('0');
        if value.is_empty() {
            return Literal::Value("0".to_owned());
        }
        if value.len() != digits.len() {
            return Literal::Syntax;
        }
        let mut out = String::new();
        if trimmed.starts_with('-') {
            out.push('-');
        }
        out.push_str(value);
        return Literal::Value(out);
    }
    let mut open = Vec::new();
    for c in trimmed.bytes() {
        match c {
            b'(' | b'[' | b'{' => open.push(c),
            b')' | b']' | b'}'
                if open.pop().map(|o| o + if o == b'(' { 1 } else { 2 }) != Some(c) =>
            {
                return Literal::Syntax;
            }
            _ => {}
        }
    }
    if !open.is_empty() {
        return Literal::Syntax;
    }
    // Identifiers joined by `.` (attributes) and `-` (subtraction): valid Python that is no
    // literal, unless a keyword makes it a syntax error.
    let mut after_dot = false;
    let mut rest = trimmed;
    loop {
        let end = rest.find(['.', '-']).unwrap_or(rest.len());
        let word = rest.get(..end).unwrap_or_default();
        if !is_identifier(word) {
            return Literal::Unsupported;
        }
        if KEYWORDS.contains(&word) || (after_dot && matches!(word, "True" | "False" | "None")) {
            return Literal::Syntax;
        }
        if end == rest.len() {
            return Literal::Path;
        }
        after_dot = rest.as_bytes()[end] == b'.';
        rest = rest.get(end + 1..).unwrap_or_default();
    }
}

enum Sub {
    /// A `%(key)s` names a key the target lacks (`KeyError`).
    Missing,
    /// Python's formatting raises something else.
    Fails,
    Unsupported,
}

const MAX_WIDTH: usize = 1 << 20;

/// Python's `pattern % target` for a dict target with string or `None` values.
fn substitute(pattern: &str, target: &Target) -> Result<String, Sub> {
    if !pattern.contains('%') {
        return Ok(pattern.to_owned());
    }
    let mut out = String::new();
    let mut chars = pattern.char_indices().peekable();
    // Whether the one positional argument (the target itself) is used up.
    let mut used = false;
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if let Some((_, '%')) = chars.peek() {
            chars.next();
            out.push('%');
            continue;
        }
        // The argument: a keyed value, or the target as a whole.
        let mut arg: Option<Option<&str>> = None;
        if let Some((start, '(')) = chars.peek().copied() {
            chars.next();
            let mut level = 1;
            let mut end = None;
            for (i, c) in chars.by_ref() {
                if c == '(' {
                    level += 1;
                } else if c == ')' {
                    level -= 1;
                    if level == 0 {
                        end = Some(i);
                        break;
                    }
                }
            }
            let Some(end) = end else {
                return Err(Sub::Fails);
            };
            // `get`, not indexing: both ends are ASCII parentheses, and no slicing panic links
            // `core::fmt`.
            match target.get(pattern.get(start + 1..end).unwrap_or_default()) {
                Some(v) => arg = Some(v),
                None => return Err(Sub::Missing),
            }
            used = false;
        }
        let mut left = false;
        while let Some((_, f @ ('-' | '+' | ' ' | '#' | '0'))) = chars.peek().copied() {
            left |= f == '-';
            chars.next();
        }
        let mut width = 0usize;
        let mut precision: Option<usize> = None;
        if let Some((_, '*')) = chars.peek() {
            return Err(Sub::Fails);
        }
        while let Some((_, d @ '0'..='9')) = chars.peek().copied() {
            width = width * 10 + (d as usize - '0' as usize);
            if width > MAX_WIDTH {
                return Err(Sub::Unsupported);
            }
            chars.next();
        }
        if let Some((_, '.')) = chars.peek() {
            chars.next();
            if let Some((_, '*')) = chars.peek() {
                return Err(Sub::Fails);
            }
            let mut p = 0usize;
            while let Some((_, d @ '0'..='9')) = chars.peek().copied() {
                p = p * 10 + (d as usize - '0' as usize);
                if p > MAX_WIDTH {
                    return Err(Sub::Unsupported);
                }
                chars.next();
            }
            precision = Some(p);
        }
        while let Some((_, 'h' | 'l' | 'L')) = chars.peek() {
            chars.next();
        }
        let Some((_, conversion)) = chars.next() else {
            return Err(Sub::Fails);
        };
        if arg.is_none() && used {
            return Err(Sub::Fails);
        }
        used = true;
        let text = match conversion {
            's' | 'r' | 'a' => {
                let mut text = String::new();
                let ascii = conversion == 'a';
                match arg {
                    None => push_dict(&mut text, target, ascii)?,
                    Some(None) => text.push_str("None"),
                    Some(Some(v)) if conversion == 's' => text.push_str(v),
                    Some(Some(v)) => push_repr(&mut text, v, ascii)?,
                }
                text
            }
            'c' => match arg {
                Some(Some(v)) if v.chars().count() == 1 => v.to_owned(),
                _ => return Err(Sub::Fails),
            },
            'd' | 'i' | 'u' | 'o' | 'x' | 'X' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                return Err(Sub::Fails)
            }
            _ => return Err(Sub::Fails),
        };
        let (cut, count) =
            match precision.and_then(|p| text.char_indices().nth(p).map(|c| (c.0, p))) {
                Some(at) => at,
                None => (text.len(), text.chars().count()),
            };
        let pad = width.saturating_sub(count);
        if !left {
            out.extend(core::iter::repeat_n(' ', pad));
        }
        out.push_str(text.get(..cut).unwrap_or_default());
        if left {
            out.extend(core::iter::repeat_n(' ', pad));
        }
    }
    Ok(out)
}

/// Python's `repr` (or `ascii`) of a string.
fn push_repr(out: &mut String, s: &str, ascii: bool) -> Result<(), Sub> {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x100 && (c as u32 <= 0x7f || ascii) => push_escape(out, 'x', c, 2),
            c if ascii && (c as u32) < 0x10000 => push_escape(out, 'u', c, 4),
            c if ascii => push_escape(out, 'U', c, 8),
            _ => return Err(Sub::Unsupported),
        }
    }
    out.push(quote);
    Ok(())
}

fn push_escape(out: &mut String, letter: char, c: char, digits: u32) {
    out.push('\\');
    out.push(letter);
    for shift in (0..digits).rev() {
        let d = (c as u32 >> (shift * 4)) & 0xf;
        out.push(b"0123456789abcdef"[d as usize] as char);
    }
}

/// Python's `str` (or `ascii`) of the target dict.
fn push_dict(out: &mut String, target: &Target, ascii: bool) -> Result<(), Sub> {
    out.push('{');
    for (i, (key, value)) in target.entries.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_repr(out, key, ascii)?;
        out.push_str(": ");
        match value {
            Some(v) => push_repr(out, v, ascii)?,
            None => out.push_str("None"),
        }
    }
    out.push('}');
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The enforcer

/// A rule as Nova registers it (`oslo_policy.policy.DocumentedRuleDefault`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleDefault {
    /// The rule's name, e.g. `os_compute_api:servers:create`.
    pub name: String,
    /// Its default check string.
    pub check_str: String,
    /// The token scopes it admits (`project`, `system`, `domain`); empty admits every scope.
    pub scope_types: Vec<String>,
    /// The rule it replaces: that rule's name and check string.
    pub deprecated: Option<(String, String)>,
}

/// A deployment's value for one rule in `policy.yaml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OverrideValue {
    /// A check string.
    Text(String),
    /// An empty value (YAML `~` or nothing): oslo.policy reads it as always allowed.
    Null,
    /// The legacy list form: the items are or-ed, the strings inside an inner list and-ed, each
    /// string a single check without operators.
    List(Vec<ListItem>),
}

/// One item of the legacy list form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListItem {
    /// A single check.
    Text(String),
    /// Checks that must all pass.
    All(Vec<String>),
}

/// How oslo.policy is configured (`[oslo_policy]` in `nova.conf`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// `enforce_new_defaults` (true by default): when false, a rule that replaced a deprecated
    /// one also passes where the deprecated default would.
    pub enforce_new_defaults: bool,
    /// `enforce_scope` (true by default): when false, a token whose scope a rule does not admit
    /// is not refused for it (oslo.policy only logs it) and the rule's check decides. oslo.policy
    /// 6.0 removed the option: scope is then always enforced.
    pub enforce_scope: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            enforce_new_defaults: true,
            enforce_scope: true,
        }
    }
}

/// Parses a `policy.yaml` value as oslo.policy does.
pub fn parse_override(value: &OverrideValue) -> Check {
    match value {
        OverrideValue::Text(s) => parse(s).unwrap_or(Check::TooDeep),
        OverrideValue::Null => Check::True,
        OverrideValue::List(items) => {
            if items.is_empty() {
                return Check::True;
            }
            let mut any = Vec::new();
            for item in items {
                let mut all: Vec<Check> = match item {
                    ListItem::Text(s) => Vec::from([parse_check(s)]),
                    ListItem::All(v) if v.is_empty() => continue,
                    ListItem::All(v) => v.iter().map(|s| parse_check(s)).collect(),
                };
                any.push(if all.len() == 1 {
                    all.pop().unwrap_or(Check::False)
                } else {
                    Check::And(all)
                });
            }
            match any.len() {
                0 => Check::False,
                1 => any.pop().unwrap_or(Check::False),
                _ => Check::Or(any),
            }
        }
    }
}

/// A map from rule names: the names sorted, in one vector, their values in another, so the
/// search is one non-generic function and the module carries no B-tree (the maps hold about a
/// hundred rules).
#[derive(Clone)]
struct Named<V> {
    names: Vec<String>,
    values: Vec<V>,
}

/// Where `name` is in the sorted `names`, or where it would go.
fn find_name(names: &[String], name: &str) -> Result<usize, usize> {
    names.binary_search_by(|n| n.as_str().cmp(name))
}

impl<V> Named<V> {
    fn new() -> Self {
        Named {
            names: Vec::new(),
            values: Vec::new(),
        }
    }

    fn get(&self, name: &str) -> Option<&V> {
        self.values.get(find_name(&self.names, name).ok()?)
    }

    /// Sets `name` to `value`; whether `name` was there already.
    fn insert(&mut self, name: &str, value: V) -> bool {
        match find_name(&self.names, name) {
            Ok(i) => {
                if let Some(slot) = self.values.get_mut(i) {
                    *slot = value;
                }
                true
            }
            Err(i) => {
                self.names.insert(i, name.to_owned());
                self.values.insert(i, value);
                false
            }
        }
    }
}

impl<V: core::fmt::Debug> core::fmt::Debug for Named<V> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_map()
            .entries(self.names.iter().zip(&self.values))
            .finish()
    }
}

/// The rules Nova enforces: its registered defaults with a deployment's overrides applied the
/// way oslo.policy's `Enforcer.load_rules` applies them.
#[derive(Clone, Debug)]
pub struct Enforcer {
    rules: Named<Check>,
    scopes: Named<Vec<String>>,
    enforce_scope: bool,
}

impl Rules for Enforcer {
    fn rule(&self, name: &str) -> Option<&Check> {
        self.rules.get(name)
    }
}

impl Enforcer {
    /// Registers `defaults` (in order) and applies `overrides` (later entries win).
    ///
    /// An override wins for its own name. An override of a rule's *deprecated* name applies to
    /// the rule when the rule itself is not overridden, unless it equals the deprecated default
    /// or is exactly `rule:<the new name>`. With `enforce_new_defaults` false, a rule whose
    /// deprecated default differs passes with either default. Overrides of names Nova does not
    /// register are kept (a `rule:` check may use them).
    ///
    /// Errors: a name registered twice (oslo.policy's `DuplicatePolicyError`), an empty rule
    /// name.
    pub fn new(
        defaults: &[RuleDefault],
        overrides: &[(String, OverrideValue)],
        options: Options,
    ) -> Result<Enforcer, Error> {
        let mut file: Named<Check> = Named::new();
        for (name, value) in overrides {
            check_rule_name(name)?;
            file.insert(name, parse_override(value));
        }
        let mut rules = file.clone();
        let mut scopes = Named::new();
        for default in defaults {
            check_rule_name(&default.name)?;
            if scopes.insert(&default.name, default.scope_types.clone()) {
                return Err(Error::new(
                    ErrorKind::Malformed,
                    quoting(
                        "policy rule ",
                        &default.name,
                        &[" is registered twice: expected each default once"],
                    ),
                ));
            }
            if rules.get(&default.name).is_some() {
                continue;
            }
            let check = parse(&default.check_str).unwrap_or(Check::TooDeep);
            let check = match &default.deprecated {
                None => check,
                Some((old_name, old_str)) => {
                    let old = parse(old_str).unwrap_or(Check::TooDeep);
                    let overridden = file.get(old_name).filter(|f| {
                        *old_name != default.name
                            && **f != old
                            && **f != Check::Rule(default.name.clone())
                    });
                    match overridden {
                        Some(f) => f.clone(),
                        None if !options.enforce_new_defaults && *old_str != default.check_str => {
                            Check::Or(Vec::from([check, old]))
                        }
                        None => check,
                    }
                }
            };
            rules.insert(&default.name, check);
        }
        Ok(Enforcer {
            rules,
            scopes,
            enforce_scope: options.enforce_scope,
        })
    }

    /// The check in force for `name`, if there is one.
    pub fn rule(&self, name: &str) -> Option<&Check> {
        self.rules.get(name)
    }

    /// Whether Nova's `authorize` lets `creds` do `rule` on `target`: the scope check first
    /// (a refusal there is [`DenyReason::Scope`]; none with `enforce_scope` off), then the
    /// rule's check. A rule Nova does not
    /// register raises ([`Why::NotRegistered`]).
    pub fn authorize(&self, rule: &str, target: &Target, creds: &Credentials) -> Outcome {
        let Some(scope_types) = self.scopes.get(rule) else {
            return Outcome::Raises(Blocker {
                check: rule.to_owned(),
                why: Why::NotRegistered,
            });
        };
        let scope = creds.scope();
        if self.enforce_scope
            && !scope_types.is_empty()
            && !scope_types.iter().any(|s| s == scope.as_str())
        {
            return Outcome::Deny(DenyReason::Scope(scope));
        }
        match self.rules.get(rule) {
            Some(check) => evaluate(check, target, creds, self),
            None => Outcome::Deny(DenyReason::Check),
        }
    }

    /// Nova's `context.is_admin` for a token: `context_is_admin` evaluated against the token's
    /// own project and user, while `is_admin` is still unset. Set the answer (allowed or not)
    /// as [`Credentials::is_admin`] before authorizing.
    pub fn is_admin(&self, creds: &Credentials) -> Outcome {
        let mut creds = creds.clone();
        creds.is_admin = None;
        let target = Target::server(creds.project_id.as_deref(), creds.user_id.as_deref());
        self.authorize("context_is_admin", &target, &creds)
    }
}

// ---------------------------------------------------------------------------------------------
// Who may, in words

/// Says in words who passes `check`, expanding `rule:` references through `rules`, e.g.
/// `needs the member role in the server's project, or the admin role`.
pub fn who_may(check: &Check, rules: &dyn Rules) -> String {
    let mut alternatives = Vec::new();
    let mut budget = 64u32;
    describe(check, rules, 0, &mut budget, &mut alternatives);
    if alternatives.iter().any(|a| a == "anyone") {
        return "anyone may".to_owned();
    }
    if alternatives.is_empty() {
        return "nobody may".to_owned();
    }
    let mut out = String::from("needs ");
    for (i, alt) in alternatives.iter().enumerate() {
        if i > 0 {
            out.push_str(", or ");
        }
        if alt.starts_with("in ") || alt.starts_with("as ") {
            out.push_str("a token ");
        }
        out.push_str(alt);
    }
    out
}

/// Appends the ways to pass `check`, each a phrase; nothing for a check nobody passes.
fn describe(check: &Check, rules: &dyn Rules, depth: u32, budget: &mut u32, out: &mut Vec<String>) {
    if *budget == 0 || depth > 16 {
        push_unique(out, "a check too long to describe".to_owned());
        return;
    }
    *budget -= 1;
    let phrase = match check {
        Check::True => "anyone".to_owned(),
        Check::False | Check::TooDeep => return,
        Check::Or(checks) => {
            for c in checks {
                describe(c, rules, depth + 1, budget, out);
            }
            return;
        }
        Check::Rule(name) => {
            if let Some(rule) = rules.rule(name).or_else(|| rules.rule("default")) {
                describe(rule, rules, depth + 1, budget, out);
            }
            return;
        }
        Check::And(checks) => {
            let mut phrase = String::new();
            for c in checks {
                let mut parts = Vec::new();
                describe(c, rules, depth + 1, budget, &mut parts);
                if parts.is_empty() {
                    return;
                }
                if parts.iter().any(|p| p == "anyone") {
                    continue;
                }
                let part = if parts.len() == 1 {
                    parts.pop().unwrap_or_default()
                } else {
                    let mut joined = String::from("(");
                    for (i, p) in parts.iter().enumerate() {
                        if i > 0 {
                            joined.push_str(" or ");
                        }
                        joined.push_str(p);
                    }
                    joined.push(')');
                    joined
                };
                if !phrase.is_empty() {
                    phrase.push_str(if part.starts_with("in ") || part.starts_with("as ") {
                        " "
                    } else {
                        " and "
                    });
                }
                phrase.push_str(&part);
            }
            if phrase.is_empty() {
                "anyone".to_owned()
            } else {
                phrase
            }
        }
        Check::Not(inner) => {
            let mut text = String::from("not ");
            push_check_string(&mut text, inner);
            text
        }
        Check::Role(role) => message(&["the ", role, " role"]),
        Check::IsAdmin(true) => "an admin context".to_owned(),
        Check::IsAdmin(false) => "a context that is not admin".to_owned(),
        Check::Http { .. } => {
            let mut text = String::from("approval from ");
            push_check_string(&mut text, check);
            text
        }
        Check::Generic { kind, matches } => generic_phrase(kind, matches),
    };
    push_unique(out, phrase);
}

fn generic_phrase(kind: &str, matches: &str) -> String {
    let key = matches
        .strip_prefix("%(")
        .and_then(|m| m.strip_suffix(")s"))
        .filter(|k| *k == kind);
    match (kind, key) {
        ("project_id", Some(_)) => "in the server's project".to_owned(),
        ("user_id", Some(_)) => "as the server's owner".to_owned(),
        (_, Some(k)) => message(&["a token whose ", kind, " is the target's ", k]),
        ("system_scope", None) => message(&["a token with system scope ", matches]),
        _ => message(&[kind, " ", matches]),
    }
}

fn push_unique(out: &mut Vec<String>, phrase: String) {
    if !out.contains(&phrase) {
        out.push(phrase);
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input, for the JS boundary

/// Refuses a rule name oslo.policy could never look up usefully: the empty string.
pub fn check_rule_name(name: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(Error::new(
            ErrorKind::Malformed,
            "policy rule name \"\" is empty: expected a rule name such as \"os_compute_api:servers:start\""
                .to_owned(),
        ));
    }
    Ok(())
}

/// The error for a policy value of the wrong type: `found` names the type (`number`, `object`).
pub fn not_a_check_string(rule: &str, found: &str) -> Error {
    Error::new(
        ErrorKind::Malformed,
        quoting(
            "policy rule ",
            rule,
            &[
                " is ",
                article(found),
                found,
                ": expected a check string (or a list of check strings)",
            ],
        ),
    )
}

/// The error for a policy that is not an object of rule name → check string.
pub fn not_a_policy(found: &str) -> Error {
    Error::new(
        ErrorKind::Malformed,
        message(&[
            "policy is ",
            article(found),
            found,
            ": expected an object of rule name to check string",
        ]),
    )
}

/// The error for a credentials field of the wrong type, e.g.
/// `credentials.roles is a string: expected an array of role names`.
pub fn bad_credentials_field(field: &str, found: &str, expected: &str) -> Error {
    Error::new(
        ErrorKind::Malformed,
        message(&[
            "credentials.",
            field,
            " is ",
            article(found),
            found,
            ": expected ",
            expected,
        ]),
    )
}

fn article(noun: &str) -> &'static str {
    match noun.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => "an ",
        Some(_) => "a ",
        None => "",
    }
}

impl Credentials {
    /// Refuses credentials no Keystone token carries: a system scope other than `all`.
    pub fn validate(&self) -> Result<(), Error> {
        check_system_scope(self.system_scope.as_deref())
    }
}

/// Refuses a system scope no Keystone token carries: anything but `all` (or none).
pub fn check_system_scope(system_scope: Option<&str>) -> Result<(), Error> {
    match system_scope {
        None | Some("all") => Ok(()),
        Some(other) => Err(Error::new(
            ErrorKind::OutOfRange,
            quoting(
                "credentials.systemScope ",
                other,
                &[" is not a system scope: expected \"all\" or null"],
            ),
        )),
    }
}
