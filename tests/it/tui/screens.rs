//! Whole screens with hostile text: wide characters, emoji sequences, combining marks,
//! right-to-left scripts and tabs keep every row at the terminal's width, and control
//! sequences in memos, comments and author names never reach a cell.

use memo::memo::Memo;
use memo::tui::App;
use memo::tui::app::Action;
use memo::tui::threads::{Comment, MemoryThreads, Thread, ThreadState};
use ratatui::buffer::Buffer;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::{app_with, draw, fixed_time, frame, press, rows, snapshot, terminal};

const WIDE: &str = "---\nnumber: 12\ntitle: \"🚢 Ship plan — 大阪 office ❤️\"\nstatus: review\nauthors: [\"Ren Sato <ren@example.com>\"]\ncreated: 2026-02-12\n---\n\n# 🚢 Ship plan — 大阪 office ❤️\n\n## Summary\nOpen the 大阪 (Osaka) office first, 부산 second, then the rest.\n\n## Context\nSign text: مكتب جديد — Hebrew sign: משרד חדש\n\n## Numbers\nmetric\tp50\tp99\nlatency\t120ms\t480ms\nerrors\t0.1%\t0.9%\n\n| Site | Team | State |\n|------|------|-------|\n| 大阪 | crew-👩\u{200d}👩\u{200d}👧 | ✅ ready |\n| 🇯🇵 spare | crew-b | ⚠️ waiting |\n| Cafe\u{301} | crew-c | ❤️ done |\n\n## Options\n- 👍🏽 Option one\n- Option\u{200b}two with a zero-width space\n\n## Links\nRunbook: https://example.invalid/a/very/long/path/without/any/spaces/that/must/wrap/somewhere/in/the/reader\n";

fn wide_memo() -> Memo {
    Memo::parse("memos/0012-ship.md", WIDE.as_bytes()).expect("parses")
}

/// Opens the wide memo in the reader, with one thread on the table row with 大阪.
fn wide_app() -> App {
    let memo = wide_memo();
    let quote = "| 大阪 | crew-👩\u{200d}👩\u{200d}👧 | ✅ ready |";
    let start = memo.text().find(quote).expect("row");
    let mut store = MemoryThreads::new("Ren Sato <ren@example.com>", fixed_time());
    store.threads = vec![Thread {
        id: "t1".into(),
        state: ThreadState::Open,
        anchor: Some(start..start + quote.len()),
        quote: quote.into(),
        section: Some("Numbers".into()),
        comments: vec![Comment {
            author: "Mia Kim 👩\u{200d}💻 <mia@example.com>".into(),
            time: fixed_time(),
            body: "Is 大阪 ready before 부산?\tcheck 🇯🇵 stock".into(),
        }],
    }];
    let mut app = app_with(vec![memo], store);
    app.apply(Action::Open);
    app
}

/// Returns every row's width in columns, counting each cell's symbol once.
fn row_widths(buffer: &Buffer) -> Vec<usize> {
    rows(buffer).iter().map(|r| r.width()).collect()
}

/// Asserts no cell contains part of a grapheme cluster: a lone joiner, variation
/// selector, skin-tone modifier, combining mark or half a flag.
fn assert_whole_clusters(buffer: &Buffer) {
    for cell in buffer.content() {
        let symbol = cell.symbol();
        assert!(symbol.graphemes(true).count() <= 1, "cell {symbol:?}");
        let first = symbol.chars().next().unwrap_or(' ');
        let dependent = matches!(first,
            '\u{200d}' | '\u{fe0f}' | '\u{0300}'..='\u{036f}' | '\u{1f3fb}'..='\u{1f3ff}');
        assert!(!dependent, "cell starts inside a cluster: {symbol:?}");
        let regional = symbol
            .chars()
            .filter(|c| ('\u{1f1e6}'..='\u{1f1ff}').contains(c))
            .count();
        assert!(regional != 1, "half a flag: {symbol:?}");
    }
}

/// Returns the column of the rightmost `│` in each of the given rows.
fn border_columns(buffer: &Buffer, rows: std::ops::Range<u16>) -> Vec<u16> {
    rows.map(|y| {
        (0..buffer.area.width)
            .rev()
            .find(|&x| buffer[(x, y)].symbol() == "│")
            .unwrap_or(u16::MAX)
    })
    .collect()
}

#[test]
fn wide_characters_keep_rows_and_borders_aligned() {
    for (width, height) in [(80, 24), (40, 20)] {
        let mut app = wide_app();
        let mut terminal = terminal(width, height);
        draw(&mut terminal, &mut app);
        // To the thread on the table row, so the pane shows it.
        press(&mut app, ">");
        let buffer = frame(&mut terminal, &mut app);
        let rows = rows(&buffer);
        let reader = app.reader.as_ref().expect("reader");
        assert!(reader.plain[reader.cursor].contains("大阪"), "{rows:#?}");

        let widths = row_widths(&buffer);
        assert!(
            widths.iter().all(|w| *w == usize::from(width)),
            "{width}x{height}: {widths:?} {rows:#?}"
        );
        assert_whole_clusters(&buffer);
        assert!(
            rows.iter()
                .any(|r| r.contains("crew-👩\u{200d}👩\u{200d}👧")),
            "{rows:#?}"
        );
        if width < 80 {
            // The pane below the memo is short: the comment is one scroll away.
            assert!(rows.iter().any(|r| r.contains("J for more")), "{rows:#?}");
            press(&mut app, "JJJ");
            let scrolled = frame(&mut terminal, &mut app);
            let widths = row_widths(&scrolled);
            assert!(
                widths.iter().all(|w| *w == usize::from(width)),
                "{widths:?}"
            );
            let scrolled_rows = super::rows(&scrolled);
            assert!(
                scrolled_rows
                    .iter()
                    .any(|r| r.contains("Mia Kim 👩\u{200d}💻")),
                "{scrolled_rows:#?}"
            );
            press(&mut app, "KKK");
        } else {
            assert!(
                rows.iter().any(|r| r.contains("Mia Kim 👩\u{200d}💻")),
                "{rows:#?}"
            );
        }

        if width >= 80 {
            // The thread pane's left border is in one column on every body row.
            let columns = border_columns(&buffer, 1..height - 2);
            assert!(
                columns.windows(2).all(|w| w[0] == w[1]),
                "{columns:?}\n{rows:#?}"
            );
            insta::assert_snapshot!("wide_80x24", snapshot(&rows));
        } else {
            insta::assert_snapshot!("wide_40x20", snapshot(&rows));
        }
    }
}

#[test]
fn table_borders_line_up_by_display_width() {
    let mut app = wide_app();
    app.apply(Action::ToggleThreads);
    let mut terminal = terminal(70, 40);
    let rows = draw(&mut terminal, &mut app);
    let table: Vec<&String> = rows
        .iter()
        .filter(|r| ['│', '┌', '├', '└'].iter().any(|c| r.contains(*c)))
        .collect();
    assert_eq!(table.len(), 7, "{table:#?}");
    let right: Vec<usize> = table.iter().map(|r| r.trim_end().width()).collect();
    assert!(right.windows(2).all(|w| w[0] == w[1]), "{rows:#?}");
    assert!(rows.iter().any(|r| r.contains("Cafe\u{301}")), "{rows:#?}");
}

#[test]
fn tabs_expand_to_tab_stops() {
    let mut app = wide_app();
    app.apply(Action::ToggleThreads);
    let rows = draw(&mut terminal(70, 40), &mut app);
    let column = |prefix: &str, word: &str| {
        let row = rows.iter().find(|r| r.contains(prefix)).expect(prefix);
        let at = row.find(word).expect(word);
        row[..at].width()
    };
    let metric = column("metric", "metric");
    assert_eq!(column("metric", "p50") - metric, 8, "{rows:#?}");
    assert_eq!(column("latency", "120ms") - metric, 8);
    assert_eq!(column("metric", "p99") - metric, 16);
    assert_eq!(column("errors", "0.9%") - metric, 16);
}

#[test]
fn scrolling_away_and_back_equals_a_fresh_render() {
    for (width, height) in [(80, 24), (40, 20)] {
        let mut app = wide_app();
        let mut terminal = terminal(width, height);
        draw(&mut terminal, &mut app);
        for _ in 0..100 {
            press(&mut app, "j");
            draw(&mut terminal, &mut app);
        }
        for _ in 0..100 {
            press(&mut app, "k");
            draw(&mut terminal, &mut app);
        }
        let scrolled = frame(&mut terminal, &mut app);
        let mut fresh_app = wide_app();
        let fresh = frame(&mut super::terminal(width, height), &mut fresh_app);
        assert_eq!(scrolled, fresh, "{width}x{height}");
    }
}

const HOSTILE: &str = "---\nnumber: 1\ntitle: \"Quarterly review\\e]0;owned title\\a\"\nstatus: draft\nauthors: [\"quiet-author\\e[8m\"]\ncreated: 2026-02-01\n---\n\n# Quarterly review\n\n## Summary\nPlain words, then a clear:\u{1b}[2J\u{1b}[H and a fake prompt.\n\n## Context\nClipboard: \u{1b}]52;c;aGVsbG8=\u{7} end.\nLink: \u{1b}]8;;https://example.invalid/x\u{7}docs\u{1b}]8;;\u{7}.\n\n## Working\nOverwrite: 40% done\r99% done\nEight-bit CSI: \u{9b}2J here\nReversed: cost \u{202e}0001$\u{202c} per month\n\n## Options\nErase: approve\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}reject\n\n## FAQ\nOpen OSC at the end: \u{1b}]0;never closed\n";

fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn assert_no_control(buffer: &Buffer, context: &str) {
    for cell in buffer.content() {
        assert!(
            !cell.symbol().chars().any(is_dangerous),
            "{context}: control character in cell {:?}",
            cell.symbol()
        );
    }
}

fn hostile_app() -> App {
    let memo = Memo::parse("memos/0001-quarterly-review.md", HOSTILE.as_bytes()).expect("parses");
    let quote = "Plain words, then a clear:";
    let start = memo.text().find(quote).expect("quote");
    let mut store = MemoryThreads::new("reviewer\u{1b}[8m <r@example.com>", fixed_time());
    store.threads = vec![
        Thread {
            id: "t1".into(),
            state: ThreadState::Open,
            anchor: Some(start..start + quote.len()),
            quote: quote.into(),
            section: Some("Summary\u{1b}[31m".into()),
            comments: vec![Comment {
                author: "reviewer-x\u{1b}[8m".into(),
                time: fixed_time(),
                body: "Looks fine \u{1b}]0;comment-title\u{7} \u{1b}[2J\u{9b}H".into(),
            }],
        },
        Thread {
            id: "t2".into(),
            state: ThreadState::Open,
            anchor: None,
            quote: "gone \u{1b}]52;c;eA==\u{7}".into(),
            section: None,
            comments: vec![Comment {
                author: "\u{202e}evil".into(),
                time: fixed_time(),
                body: "bell\u{7} and back\u{8}".into(),
            }],
        },
    ];
    app_with(vec![memo], store)
}

#[test]
fn escape_sequences_never_reach_a_cell() {
    let mut app = hostile_app();
    let mut terminal = terminal(100, 30);
    let buffer = frame(&mut terminal, &mut app);
    let rows = super::rows(&buffer);
    assert_no_control(&buffer, "library");
    assert!(
        rows[2].contains("Quarterly review␛]0;owned title␇"),
        "{rows:#?}"
    );

    app.apply(Action::Open);
    draw(&mut terminal, &mut app);
    press(&mut app, ">");
    let buffer = frame(&mut terminal, &mut app);
    let rows = super::rows(&buffer);
    assert_no_control(&buffer, "reader and thread pane");
    let text = rows.join("\n");
    for visible in [
        "␛[2J␛[H",
        "␛]52;c;aGVsbG8=␇",
        "40% done 99% done",
        "<U+009B>2J",
        "<U+202E>0001$<U+202C>",
        "␈␈␈reject",
        "␛]0;never closed",
        "reviewer-x␛[8m",
        "Looks fine ␛]0;comment-title␇",
    ] {
        assert!(text.contains(visible), "{visible:?} is shown:\n{text}");
    }
    assert!(
        row_widths(&buffer).iter().all(|w| *w == 100),
        "placeholders count in the layout: {rows:#?}"
    );
    assert!(
        rows[29].starts_with(" "),
        "the footer is still drawn: {rows:#?}"
    );
    insta::assert_snapshot!("hostile_reader", snapshot(&rows));

    press(&mut app, "O");
    let buffer = frame(&mut terminal, &mut app);
    let rows = super::rows(&buffer);
    assert_no_control(&buffer, "outdated list");
    assert!(rows.join("\n").contains("<U+202E>evil"), "{rows:#?}");
    app.apply(Action::Back);

    press(&mut app, "c");
    let buffer = frame(&mut terminal, &mut app);
    assert_no_control(&buffer, "comment editor");
}
