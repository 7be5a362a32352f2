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

#[test]
fn demo_holds_a_finished_meeting() {
    let repo = TestRepo::empty();
    repo.memo_ok(&["demo", "--no-tui", "sample"]);
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["-C", "sample"];
        all.extend_from_slice(args);
        repo.memo_json(&all)
    };

    let meetings = json(&["meetings", "--json"]);
    let meetings = meetings.as_array().expect("array");
    assert_eq!(meetings.len(), 1);
    let meeting = &meetings[0];
    assert_eq!(meeting["memo"]["number"], 4);
    assert_eq!(meeting["phase"], "ended");
    assert_eq!(
        meeting["facilitator"],
        "Tomás Ortega <tomas.ortega@example.com>"
    );
    assert_eq!(meeting["start"], "2026-02-05T14:00:00Z");
    assert_eq!(meeting["outcome"]["outcome"], "accepted");
    assert_eq!(meeting["outcome"]["ended_at"], "2026-02-05T15:00:00Z");
    assert_eq!(meeting["participants"].as_array().map(Vec::len), Some(4));
    assert_eq!(meeting["comments"], 7);
    assert_eq!(meeting["threads_discussed"], 3);
    assert_eq!(meeting["threads_resolved"], 2);

    let threads = json(&["comment", "list", "4", "--all", "--json"]);
    let threads = threads.as_array().expect("array");
    assert_eq!(threads.len(), 3);
    assert!(
        threads.iter().all(|t| t["anchor"]["state"] == "exact"),
        "{threads:#?}"
    );

    let text = std::fs::read_to_string(
        repo.path("sample/memos/0004-move-production-databases-to-managed-postgresql.md"),
    )
    .expect("memo");
    let id = meeting["id"].as_str().expect("id");
    assert!(text.contains("status: accepted\n"), "{text}");
    assert!(text.contains("decided: 2026-02-05T15:00:00Z\n"), "{text}");
    assert!(text.contains(&format!("meeting: {id}\n")), "{text}");
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(repo.path("sample"))
            .args(args)
            .output()
            .expect("git");
        String::from_utf8(output.stdout).expect("utf-8")
    };
    assert_eq!(git(&["status", "--porcelain"]), "");
    assert_eq!(
        git(&["log", "-1", "--format=%an: %s"]).trim(),
        "Tomás Ortega: Record meeting outcome of memo 0004: accepted"
    );
    let mut all = vec!["-C", "sample"];
    all.extend_from_slice(&["meetings", "4", "--minutes"]);
    let minutes = repo.memo_ok(&all);
    assert!(
        minutes.contains("Resolved by Tomás Ortega at 14:40."),
        "{minutes}"
    );
    assert!(minutes.contains("Left open."), "{minutes}");
}
