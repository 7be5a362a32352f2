//! Searching text in many languages: folding, scripts that must survive it, and words
//! inside unbroken Chinese, Japanese and Korean text.

use crate::common::{self, TestRepo};
use crate::search::{hits, marked, memo, titles};

#[test]
fn diacritics_and_case_fold_both_ways() {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-a.md",
        memo("Office", "The café in Zürich opens at eight."),
    );
    repo.write(
        "memos/0002-b.md",
        memo("Travel", "Book the cafe near ZURICH station."),
    );
    for query in ["cafe", "café", "CAFÉ", "zurich", "Zürich", "zürich"] {
        let mut found = titles(&repo, query);
        found.sort();
        assert_eq!(found, ["Office", "Travel"], "{query}");
    }
    // Decomposed input (e + combining acute) is the same word.
    assert_eq!(titles(&repo, "cafe\u{301}").len(), 2);
    let mut marks = marked(&repo, "cafe");
    marks.sort();
    assert_eq!(marks, ["cafe", "café"]);
}

#[test]
fn letters_of_every_script_survive_folding() {
    let repo = TestRepo::new();
    let samples = [
        ("Russian", "Совет утвердил бюджет.", "совет"),
        ("Greek", "Η απόφαση ελήφθη από το συμβούλιο.", "αποφαση"),
        ("Japanese", "評議会が予算を承認した。", "予算"),
        ("Chinese", "理事会批准了预算。", "预算"),
        ("Korean", "위원회가 예산을 승인했습니다.", "예산"),
        ("Arabic", "وافق المجلس على الميزانية.", "الميزانية"),
        ("Hindi", "परिषद ने बजट को मंजूरी दी।", "बजट"),
        ("Hebrew", "המועצה אישרה את התקציב.", "התקציב"),
        ("Thai", "สภาอนุมัติงบประมาณ", "สภาอนุมัติงบประมาณ"),
    ];
    for (i, (title, body, _)) in samples.iter().enumerate() {
        repo.write(&format!("memos/{:04}-m.md", i + 1), memo(title, body));
    }
    for (title, _, query) in samples {
        assert_eq!(titles(&repo, query), [title], "{query}");
    }
    // A word in one script never matches a word of another that folds alike.
    assert!(
        titles(&repo, "coвет").is_empty(),
        "mixed Latin c and Cyrillic"
    );
    // Russian words are stemmed: another case ending finds the same memo.
    assert_eq!(titles(&repo, "совета"), ["Russian"]);
    // Greek accents fold, and so does the final sigma.
    assert_eq!(titles(&repo, "απόφασή"), ["Greek"]);
}

/// Writes memos in Japanese, Chinese and Korean whose words sit inside long runs of
/// characters with no spaces.
fn cjk_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "memos/0001-ja.md",
        "---\ntitle: 決済基盤の移行を来期に延期する提案\nstatus: draft\n---\n\n\
         ## 概要\n\n本提案では決済基盤の移行を来期に延期し、今期は監視の強化に集中する。\n\n\
         ## 分析\n\n直近一年の障害二十四件のうち十九件は外部接続先の遅延が原因であった。\n",
    );
    repo.write(
        "memos/0002-zh.md",
        "---\ntitle: 将夜间批处理迁移到事件队列\nstatus: draft\n---\n\n\
         ## 摘要\n\n我们建议将夜间批处理迁移到事件队列，以减少超时。\n\n\
         ## 背景\n\n批处理窗口经常超时，影响早间报表。\n",
    );
    repo.write(
        "memos/0003-ko.md",
        "---\ntitle: 결제 시스템 이전 계획\nstatus: draft\n---\n\n\
         ## 요약\n\n결제 시스템 이전을 다음 분기로 미룹니다. The event queue work continues.\n\n\
         ## 분석\n\n장애 24건 중 19건은 외부 연동 지연 때문이었습니다.\n",
    );
    repo.write(
        "memos/0004-en.md",
        memo("Event queue", "Move the nightly batch to an event queue."),
    );
    repo
}

#[test]
fn cjk_words_inside_longer_runs_are_found() {
    let repo = cjk_repo();
    let ja = "決済基盤の移行を来期に延期する提案";
    let zh = "将夜间批处理迁移到事件队列";
    let ko = "결제 시스템 이전 계획";
    for (query, title) in [
        ("決済基盤", ja),
        ("移行", ja),
        ("外部接続先", ja),
        ("決済 延期", ja),
        ("事件队列", zh),
        ("批处理", zh),
        ("超时", zh),
        ("결제", ko),
        ("이전을", ko),
        ("연동", ko),
    ] {
        let found = titles(&repo, query);
        assert_eq!(
            found.first().map(String::as_str),
            Some(title),
            "{query}: {found:?}"
        );
    }
    // One character alone is a word too.
    assert_eq!(titles(&repo, "超"), [zh]);
    // English search behaves as before, and finds the Korean memo's English sentence.
    let mut english = titles(&repo, "\"event queue\"");
    english.sort();
    assert_eq!(english, ["Event queue", ko]);
}

#[test]
fn cjk_phrases_do_not_cross_punctuation_or_reorder() {
    let repo = cjk_repo();
    // 基盤 and の移 are in the text, but 盤移 is not: a bigram phrase must not match
    // across the characters that are missing.
    assert!(titles(&repo, "決済基盤移行").is_empty());
    // 队列 ends a run before the comma; 列以 would cross it.
    assert!(titles(&repo, "队列以").is_empty());
    assert!(titles(&repo, "列队").is_empty());
}

#[test]
fn cjk_highlights_cover_exactly_the_matched_characters() {
    let repo = cjk_repo();
    assert_eq!(marked(&repo, "決済基盤"), ["決済基盤"]);
    assert_eq!(marked(&repo, "外部接続先"), ["外部接続先"]);
    assert_eq!(marked(&repo, "超时"), ["超时"]);
    assert_eq!(marked(&repo, "결제"), ["결제"]);
    let hits = hits(&repo, "外部接続先");
    assert_eq!(hits[0]["section"], "分析");
}

#[test]
fn leadership_council_translations_are_searchable() {
    let Some(corpus) = common::corpus("leadership_council_translations_are_searchable") else {
        return;
    };
    let repo = TestRepo::new();
    let rfcs = repo.home().join("rfcs");
    std::fs::create_dir_all(&rfcs).expect("folder");
    std::fs::copy(
        corpus.join("3392-leadership-council.md"),
        rfcs.join("3392-leadership-council.md"),
    )
    .expect("copy the RFC");
    common::copy_dir(
        &corpus.join("3392-leadership-council"),
        &rfcs.join("3392-leadership-council"),
    );
    repo.memo_ok(&["import", "rfc", rfcs.to_str().expect("utf-8 path")]);

    for (query, translation) in [
        // Japanese: inside 「Rustのガバナンス体制とポリシー」 and 「RFC要約」.
        ("ガバナンス", "Leadership-Council-RFCja.md"),
        ("要約", "Leadership-Council-RFCja.md"),
        // Simplified and traditional Chinese spell council differently.
        ("领导理事会", "Leadership-Council-RFCzh-Hans.md"),
        ("領導理事會", "Leadership-Council-RFCzh-Hant.md"),
        // Korean: the council word with its particle attached.
        ("심의회", "Leadership-Council-RFCko.md"),
        // Russian: stemmed, so the genitive finds the nominative.
        ("совета", "Leadership-Council-RFCru-RU.md"),
    ] {
        let found = hits(&repo, query);
        assert_eq!(found.len(), 1, "{query}: {found:?}");
        let section = found[0]["section"].as_str().unwrap_or("");
        assert!(
            section.starts_with(translation),
            "{query}: section {section:?}"
        );
        let marks = marked(&repo, query);
        assert!(!marks.is_empty(), "{query}: no highlight");
        if query != "совета" {
            assert!(marks.iter().all(|m| m == query), "{query}: {marks:?}");
        }
    }
    // The traditional spelling occurs in the traditional translation alone.
    let traditional = hits(&repo, "理事會");
    assert_eq!(traditional.len(), 1);
    let section = traditional[0]["section"].as_str().unwrap_or("");
    assert!(
        section.starts_with("Leadership-Council-RFCzh-Hant.md"),
        "{section}"
    );
}
