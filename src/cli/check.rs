//! `memo check`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Context;
use crate::check::{self, CheckOptions, Finding, Severity, Summary};
use crate::error::{Error, Result};
use crate::memo::{LineIndex, Memo};
use crate::store::{MemoSet, Repo};
use crate::template::Templates;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Memos to check: numbers, uids, file names or paths of any Markdown files.
    pub memos: Vec<String>,

    /// Check every memo in the repository (the default without MEMO arguments).
    #[arg(long)]
    pub all: bool,

    /// Check against this template instead of each memo's own.
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,

    /// Print the findings as a JSON array.
    #[arg(long)]
    pub json: bool,
}

/// Returns the template a memo is checked against.
fn template_name<'a>(memo: &'a Memo, override_name: Option<&'a str>, default: &'a str) -> &'a str {
    override_name
        .or(memo.meta.template.as_deref())
        .unwrap_or(default)
}

fn options(repo: Option<&Repo>) -> CheckOptions {
    CheckOptions {
        severity: repo
            .map(|r| r.config.check.severity.clone())
            .unwrap_or_default(),
    }
}

/// Checks one memo of a repository, including the rules that compare it with the
/// other memos.
pub fn check_one(
    repo: &Repo,
    set: &MemoSet,
    memo: &Memo,
    template: Option<&str>,
) -> Result<Vec<Finding>> {
    let templates = Templates::load(Some(&repo.template_dir()))?;
    let options = options(Some(repo));
    Ok(check_in_repo(
        repo, set, memo, template, &templates, &options,
    ))
}

fn check_in_repo(
    repo: &Repo,
    set: &MemoSet,
    memo: &Memo,
    template: Option<&str>,
    templates: &Templates,
    options: &CheckOptions,
) -> Vec<Finding> {
    let name = template_name(memo, template, &repo.config.memos.default_template);
    let mut findings = check::check_memo(memo, templates.get(name).ok(), name, options);
    findings.extend(check::apply_severity(
        duplicate_number_findings(set, memo),
        options,
    ));
    findings
}

fn duplicate_number_findings(set: &MemoSet, memo: &Memo) -> Vec<Finding> {
    let Some(number) = memo.number() else {
        return Vec::new();
    };
    let others: Vec<String> = set
        .memos
        .iter()
        .filter(|m| m.number() == Some(number) && m.path != memo.path)
        .map(|m| m.file_name())
        .collect();
    if others.is_empty() {
        return Vec::new();
    }
    let line = memo
        .document
        .front_matter
        .as_ref()
        .and_then(|f| f.key_line("number"))
        .unwrap_or(1);
    vec![Finding {
        rule: "duplicate-number",
        severity: Severity::Error,
        path: memo.path.clone(),
        line,
        column: 1,
        end_line: line,
        end_column: 1,
        message: format!(
            "number {number:04} is used by {} memos: {}, {}",
            others.len() + 1,
            memo.file_name(),
            others.join(", ")
        ),
        help: Some(
            "give one of them the next free number (rename the file and change `number:`)"
                .to_owned(),
        ),
    }]
}

/// A finding and the text of the line it points at.
pub type Located = (Finding, Option<String>);

/// Pairs each finding with the text of the line it points at.
pub fn attach_source_lines(repo: &Repo, findings: Vec<Finding>) -> Vec<Located> {
    attach(findings, |path| std::fs::read(repo.absolute(path)).ok())
}

fn attach(findings: Vec<Finding>, read: impl Fn(&Path) -> Option<Vec<u8>>) -> Vec<Located> {
    let mut cache: Option<(PathBuf, Option<String>)> = None;
    findings
        .into_iter()
        .map(|finding| {
            if cache.as_ref().is_none_or(|(p, _)| *p != finding.path) {
                let text = read(&finding.path).and_then(|bytes| {
                    crate::memo::document::decode(&finding.path, &bytes)
                        .ok()
                        .map(|s| s.text)
                });
                cache = Some((finding.path.clone(), text));
            }
            let line = cache
                .as_ref()
                .and_then(|(_, text)| text.as_ref())
                .and_then(|text| {
                    let index = LineIndex::new(text);
                    (finding.line <= index.line_count()).then(|| {
                        let start = index.line_start(finding.line);
                        text[start..].lines().next().unwrap_or("").to_owned()
                    })
                });
            (finding, line)
        })
        .collect()
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let repo = context.repo();
    let paths_only = !args.memos.is_empty()
        && args.memos.iter().all(|m| {
            let path = context.cwd.join(m);
            crate::memo::is_markdown(&path) && path.is_file()
        });

    let (findings, summary) = match repo {
        Ok(repo) if !(paths_only && outside(&repo, &context.cwd, &args.memos)) => {
            check_repository(&repo, &args)?
        }
        Err(error) if !paths_only => return Err(error.into()),
        _ => check_files(context, &args)?,
    };

    if args.json {
        let plain: Vec<&Finding> = findings.iter().map(|(f, _)| f).collect();
        super::print_json(&plain)?;
    } else {
        check::write_human(&mut anstream::stdout().lock(), &findings, &summary)?;
    }
    Ok(if summary.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn outside(repo: &Repo, cwd: &Path, paths: &[String]) -> bool {
    paths.iter().any(|p| repo.relative(&cwd.join(p)).is_none())
}

fn check_repository(repo: &Repo, args: &Args) -> Result<(Vec<Located>, Summary)> {
    let set = repo.load_memos()?;
    let templates = Templates::load(Some(&repo.template_dir()))?;
    if let Some(name) = &args.template {
        templates.get(name)?;
    }
    let options = options(Some(repo));
    let mut targets: Vec<&Memo> = Vec::new();
    if args.memos.is_empty() || args.all {
        targets.extend(set.memos.iter());
    }
    for reference in &args.memos {
        let memo = set.resolve(repo, reference)?;
        if !targets.iter().any(|m| m.path == memo.path) {
            targets.push(memo);
        }
    }

    let mut all = Vec::new();
    let mut summary = Summary::default();
    for error in &set.unreadable {
        if args.memos.is_empty() || args.all {
            let finding = unreadable_finding(error);
            summary.add(std::slice::from_ref(&finding));
            all.push(finding);
        }
    }
    for memo in targets {
        let findings = check_in_repo(
            repo,
            &set,
            memo,
            args.template.as_deref(),
            &templates,
            &options,
        );
        summary.add(&findings);
        all.extend(findings);
    }
    Ok((attach_source_lines(repo, all), summary))
}

fn unreadable_finding(error: &crate::memo::ParseError) -> Finding {
    Finding {
        rule: "front-matter",
        severity: Severity::Error,
        path: error.path.clone(),
        line: error.line,
        column: error.column,
        end_line: error.line,
        end_column: error.column,
        message: error.kind.to_string(),
        help: error.hint().map(str::to_owned),
    }
}

/// Checks Markdown files outside any memo repository, against the built-in templates.
fn check_files(context: &Context, args: &Args) -> Result<(Vec<Located>, Summary)> {
    let templates = Templates::load(None)?;
    let default = args.template.as_deref().unwrap_or("decision");
    templates.get(default)?;
    let options = options(None);
    let mut all = Vec::new();
    let mut summary = Summary::default();
    for name in &args.memos {
        let path = PathBuf::from(name);
        let absolute = context.cwd.join(&path);
        let bytes = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
        let findings = match Memo::parse(path, &bytes) {
            Ok(memo) => {
                let template = template_name(&memo, args.template.as_deref(), default);
                check::check_memo(&memo, templates.get(template).ok(), template, &options)
            }
            Err(error) => vec![unreadable_finding(&error)],
        };
        summary.add(&findings);
        all.extend(findings);
    }
    let cwd = context.cwd.clone();
    Ok((
        attach(all, move |p| std::fs::read(cwd.join(p)).ok()),
        summary,
    ))
}
