//! `memo demo`: the sample repository.

use crate::common::TestRepo;

#[test]
fn demo_writes_a_working_repository() {
    let repo = TestRepo::empty();
    let out = repo.memo_ok(&["demo", "--no-tui", "sample"]);
    assert!(out.contains("6 memos"), "{out}");
    let sample = repo.path("sample");
    let memo = |args: &[&str]| {
        let mut all = vec!["-C", "sample"];
        all.extend_from_slice(args);
        repo.memo(&all)
    };

    let list: serde_json::Value =
        serde_json::from_slice(&memo(&["list", "--json"]).output().expect("run").stdout)
            .expect("json");
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 6);
    let statuses: std::collections::BTreeSet<&str> = list
        .iter()
        .map(|m| m["status"].as_str().expect("status"))
        .collect();
    assert!(statuses.len() >= 4, "several statuses: {statuses:?}");
    let templates: std::collections::BTreeSet<&str> = list
        .iter()
        .map(|m| m["template"].as_str().expect("template"))
        .collect();
    assert!(templates.len() >= 4, "several templates: {templates:?}");

    // Only the draft has findings; every finished memo meets its template.
    let findings: serde_json::Value =
        serde_json::from_slice(&memo(&["check", "--json"]).output().expect("run").stdout)
            .expect("json");
    let with_findings: std::collections::BTreeSet<&str> = findings
        .as_array()
        .expect("array")
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    let drafts: std::collections::BTreeSet<&str> = list
        .iter()
        .filter(|m| m["status"] == "draft")
        .map(|m| m["path"].as_str().expect("path"))
        .collect();
    assert_eq!(with_findings, drafts);

    memo(&["search", "postgresql", "--json"]).assert().success();
    let log = std::process::Command::new("git")
        .args(["-C", sample.to_str().expect("path"), "log", "--format=%an"])
        .output()
        .expect("git log");
    let authors = String::from_utf8_lossy(&log.stdout);
    assert!(authors.lines().count() >= 7, "{authors}");

    repo.memo(&["demo", "--no-tui", "sample"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not empty"));
}
