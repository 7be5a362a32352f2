//! Generates a decision repository of N synthetic memos from a folder of RFCs, for
//! benchmarks.
//!
//! Usage: `cargo run --release --example generate_memos -- RFC_DIR N OUT_DIR`
//!
//! Memo `i` takes the body of RFC `i mod count` (so 10,000 memos repeat the 639 Rust
//! RFCs about 16 times), a title made from that RFC's with the round appended, and
//! front matter that cycles through statuses, templates, authors, tags and creation
//! dates from 2014 to 2026. Output is deterministic for the same input. The memos are
//! written to `OUT_DIR/memos/` with a `.memo/config.toml`; run `git init`, `git add` and
//! `git commit` afterwards if the benchmark needs them committed.

use std::path::{Path, PathBuf};

use memo::memo::Memo;
use memo::memo::edit::front_matter_block;
use memo::memo::slug;
use serde_yaml_ng::Value;

const STATUSES: [&str; 6] = [
    "draft",
    "review",
    "accepted",
    "rejected",
    "deferred",
    "superseded",
];
const AUTHORS: [&str; 8] = [
    "Priya Raman <priya.raman@example.com>",
    "Tomás Ortega <tomas.ortega@example.com>",
    "Ingrid Søndergaard <ingrid.sondergaard@example.com>",
    "Kwame Mensah <kwame.mensah@example.com>",
    "Mei Lin <mei.lin@example.com>",
    "Lars Eriksen <lars.eriksen@example.com>",
    "Amara Okafor <amara.okafor@example.com>",
    "Jun Watanabe <jun.watanabe@example.com>",
];
const TAGS: [&str; 6] = [
    "platform",
    "language",
    "cargo",
    "libs",
    "governance",
    "tooling",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, source, count, out] = args.as_slice() else {
        return Err("usage: generate_memos RFC_DIR N OUT_DIR".into());
    };
    let count: usize = count.parse()?;
    let out = PathBuf::from(out);

    let sources = read_sources(Path::new(source))?;
    if sources.is_empty() {
        return Err(format!("{source} holds no .md files").into());
    }
    std::fs::create_dir_all(out.join("memos"))?;
    std::fs::create_dir_all(out.join(".memo"))?;
    std::fs::write(
        out.join(".memo/config.toml"),
        memo::config::Config::default().to_toml(),
    )?;

    let start = chrono::DateTime::parse_from_rfc3339("2014-01-01T00:00:00Z")?.timestamp();
    let end = chrono::DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z")?.timestamp();
    for i in 0..count {
        let (title, body) = &sources[i % sources.len()];
        let round = i / sources.len();
        let title = if round == 0 {
            title.clone()
        } else {
            format!("{title} (round {round})")
        };
        let number = (i + 1) as u32;
        let created = start + (end - start) * i as i64 / count.max(1) as i64;
        let created = chrono::DateTime::from_timestamp(created, 0).ok_or("date out of range")?;
        let uid = ulid::Ulid::from_parts(created.timestamp_millis() as u64, i as u128).to_string();
        let fields = [
            ("number", Value::Number(number.into())),
            ("uid", Value::String(uid)),
            ("title", Value::String(title.clone())),
            (
                "status",
                Value::String(STATUSES[i % STATUSES.len()].to_owned()),
            ),
            ("template", Value::String("rfc".to_owned())),
            (
                "authors",
                Value::Sequence(vec![Value::String(AUTHORS[i % AUTHORS.len()].to_owned())]),
            ),
            ("created", Value::String(memo::clock::format(created))),
            (
                "tags",
                Value::Sequence(vec![Value::String(TAGS[i % TAGS.len()].to_owned())]),
            ),
        ];
        let mut text = front_matter_block(&fields)?;
        text.push('\n');
        text.push_str(body);
        std::fs::write(
            out.join("memos").join(slug::file_name(number, &title)),
            text,
        )?;
    }
    eprintln!("wrote {count} memos to {}", out.join("memos").display());
    Ok(())
}

/// Reads each RFC's title and body (the text after its front matter, if any).
fn read_sources(dir: &Path) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    let templates = memo::template::Templates::load(None)?;
    let rfc = templates.get("rfc").ok();
    let mut sources = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes = std::fs::read(&path)?;
        let memo = Memo::parse(path.clone(), &bytes)?;
        sources.push((memo::import::rfc::title(&memo, rfc), memo.body().to_owned()));
    }
    Ok(sources)
}
