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
        "---\ntitle: 請求書発行基盤の刷新計画\nstatus: draft\n---\n\n\
         ## 概要\n\n現在の請求書発行基盤は夜間処理に依存しており、月末の遅延が課題である。\n\n\
         ## 分析\n\n過去半年の障害十二件のうち九件は外部決済代行業者との接続不良が原因だった。\n",
    );
    repo.write(
        "memos/0002-zh.md",
        "---\ntitle: 把日志收集迁移到消息总线\nstatus: draft\n---\n\n\
         ## 摘要\n\n我们计划把日志收集迁移到消息总线，以降低磁盘占用。\n\n\
         ## 背景\n\n每天凌晨的日志归档经常失败，导致监控数据缺失。\n",
    );
    repo.write(
        "memos/0003-ko.md",
        "---\ntitle: 결제 대행사 교체 검토\nstatus: draft\n---\n\n\
         ## 요약\n\n결제 대행사를 다음 분기에 교체하는 방안을 검토합니다. The event queue work continues.\n\n\
         ## 분석\n\n지난 반년 동안 장애 열두 건 가운데 아홉 건은 대행사 연결 오류였습니다.\n",
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
    let ja = "請求書発行基盤の刷新計画";
    let zh = "把日志收集迁移到消息总线";
    let ko = "결제 대행사 교체 검토";
    for (query, title) in [
        ("請求書発行", ja),
        ("夜間処理", ja),
        ("決済代行", ja),
        ("接続不良", ja),
        ("請求書 遅延", ja),
        ("消息总线", zh),
        ("日志收集", zh),
        ("归档", zh),
        ("失败", zh),
        ("대행사", ko),
        ("교체하는", ko),
        ("연결", ko),
    ] {
        let found = titles(&repo, query);
        assert_eq!(
            found.first().map(String::as_str),
            Some(title),
            "{query}: {found:?}"
        );
    }
    // One character alone is a word too.
    assert_eq!(titles(&repo, "盘"), [zh]);
    // English search behaves as before, and finds the Korean memo's English sentence.
    let mut english = titles(&repo, "\"event queue\"");
    english.sort();
    assert_eq!(english, ["Event queue", ko]);
}

#[test]
fn cjk_phrases_do_not_cross_punctuation_or_reorder() {
    let repo = cjk_repo();
    // 基盤 and 夜間 are both in the text, with は between them: a bigram phrase must
    // not match across the missing character.
    assert!(titles(&repo, "基盤夜間").is_empty());
    // 总线 ends a run before the comma, and 线以 would cross it.
    assert!(titles(&repo, "总线以").is_empty());
    assert!(titles(&repo, "线总").is_empty());
}

#[test]
fn cjk_highlights_cover_exactly_the_matched_characters() {
    let repo = cjk_repo();
    assert_eq!(marked(&repo, "請求書発行"), ["請求書発行"]);
    assert_eq!(marked(&repo, "接続不良"), ["接続不良"]);
    assert_eq!(marked(&repo, "归档"), ["归档"]);
    assert_eq!(marked(&repo, "대행사"), ["대행사"]);
    let hits = hits(&repo, "接続不良");
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
