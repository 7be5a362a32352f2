//! The library view: every memo, one row each, filtered by status and tag, searched as
//! you type and sorted.

use std::collections::BTreeSet;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_segmentation::UnicodeSegmentation;

use super::app::Action;
use super::catalog::Catalog;
use super::widgets::{dim, fit_line, footer, status_color, title_bar};
use crate::render::sanitize_line;
use crate::render::wrap::{display_width, pad};
use crate::search::StoredMemo;

/// The order of the rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    Number,
    Created,
    Title,
    Status,
    /// Best match first; only while a query is typed.
    Relevance,
}

impl Sort {
    pub fn name(self) -> &'static str {
        match self {
            Sort::Number => "number",
            Sort::Created => "date",
            Sort::Title => "title",
            Sort::Status => "status",
            Sort::Relevance => "relevance",
        }
    }
}

#[derive(Debug)]
pub struct LibraryState {
    pub catalog: Catalog,
    /// Indices into the catalog's rows, in display order.
    pub visible: Vec<usize>,
    pub selected: usize,
    /// Index of the first row drawn.
    pub offset: usize,
    /// Rows drawn at the last draw, for paging.
    page: usize,
    pub query: String,
    /// Keys go to the query.
    pub typing: bool,
    pub status_filter: Option<String>,
    pub tag_filter: Option<String>,
    pub sort: Sort,
    pub reverse: bool,
    /// A line for the user: a memo that cannot be opened, memos the index could not read.
    pub notice: Option<String>,
    /// Why the typed query cannot be parsed yet, drawn after the query itself.
    pub query_error: Option<String>,
    /// The last results of the query, with scores, kept while a new query is invalid.
    matches: Option<Vec<(usize, f32)>>,
    statuses: Vec<String>,
    tags: Vec<String>,
}

impl LibraryState {
    pub fn new(catalog: Catalog) -> LibraryState {
        let statuses: BTreeSet<String> = catalog.rows.iter().map(|r| r.status.clone()).collect();
        let tags: BTreeSet<String> = catalog.rows.iter().flat_map(|r| r.tags.clone()).collect();
        let notice = catalog.warnings.first().map(|w| {
            format!(
                "{w} ({} memos could not be read fully)",
                catalog.warnings.len()
            )
        });
        let mut state = LibraryState {
            catalog,
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            page: 1,
            query: String::new(),
            typing: false,
            status_filter: None,
            tag_filter: None,
            sort: Sort::Number,
            reverse: false,
            notice,
            query_error: None,
            matches: None,
            statuses: statuses.into_iter().collect(),
            tags: tags.into_iter().collect(),
        };
        state.refresh();
        state
    }

    pub fn selected_row(&self) -> Option<&StoredMemo> {
        self.visible
            .get(self.selected)
            .and_then(|&i| self.catalog.rows.get(i))
    }

    /// Returns the visible rows in display order.
    pub fn rows(&self) -> impl Iterator<Item = &StoredMemo> {
        self.visible
            .iter()
            .filter_map(|&i| self.catalog.rows.get(i))
    }

    /// Runs the query, applies the filters and the order, and keeps the selected memo
    /// selected when it is still shown.
    pub fn refresh(&mut self) {
        let previous = self.visible.get(self.selected).copied();
        self.query_error = None;
        if self.query.trim().is_empty() {
            self.matches = None;
            if self.sort == Sort::Relevance {
                self.sort = Sort::Number;
            }
        } else {
            match self.catalog.search(&self.query) {
                Ok(matches) => {
                    self.matches = Some(matches);
                    self.notice = None;
                }
                // An unfinished query (an open quote) keeps the last results.
                Err(e) => self.query_error = Some(e.to_string()),
            }
        }

        let rows = &self.catalog.rows;
        let keep = |i: usize| {
            let row = &rows[i];
            self.status_filter.as_ref().is_none_or(|s| &row.status == s)
                && self
                    .tag_filter
                    .as_ref()
                    .is_none_or(|t| row.tags.contains(t))
        };
        let mut visible: Vec<usize> = match &self.matches {
            Some(matches) => matches
                .iter()
                .map(|(i, _)| *i)
                .filter(|&i| keep(i))
                .collect(),
            None => (0..rows.len()).filter(|&i| keep(i)).collect(),
        };
        match self.sort {
            Sort::Relevance if self.matches.is_some() => {}
            Sort::Relevance | Sort::Number => visible.sort_by_key(|&i| {
                let row = &rows[i];
                (row.number.is_none(), row.number, row.path.clone())
            }),
            Sort::Created => visible.sort_by_key(|&i| (rows[i].created, rows[i].number)),
            Sort::Title => visible.sort_by_cached_key(|&i| rows[i].title.to_lowercase()),
            Sort::Status => {
                visible.sort_by_key(|&i| (status_rank(&rows[i].status), rows[i].number))
            }
        }
        if self.reverse {
            visible.reverse();
        }
        // Memos without a date come last in both directions, as in `memo search --sort`.
        if self.sort == Sort::Created {
            let (dated, undated): (Vec<usize>, Vec<usize>) = visible
                .into_iter()
                .partition(|&i| rows[i].created.is_some());
            visible = dated;
            visible.extend(undated);
        }
        self.visible = visible;
        self.selected = previous
            .and_then(|p| self.visible.iter().position(|&i| i == p))
            .unwrap_or(0);
        // While a query is typed with the best match first, the best match is selected.
        if self.typing && self.sort == Sort::Relevance {
            self.selected = 0;
        }
    }

    /// Handles a key while the query is being typed.
    pub fn type_key(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => {
                self.typing = false;
                self.query.clear();
                self.notice = None;
                self.refresh();
            }
            KeyCode::Enter => self.typing = false,
            KeyCode::Backspace => {
                self.query.pop();
                self.refresh();
            }
            KeyCode::Char('u') if ctrl => {
                self.query.clear();
                self.refresh();
            }
            KeyCode::Up => self.apply(Action::Up),
            KeyCode::Down => self.apply(Action::Down),
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                self.query.push(c);
                if self.sort != Sort::Relevance && self.matches.is_none() {
                    self.sort = Sort::Relevance;
                }
                self.refresh();
            }
            _ => {}
        }
    }

    pub fn apply(&mut self, action: Action) {
        let last = self.visible.len().saturating_sub(1);
        let page = self.page.max(1);
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::PageDown => self.selected = (self.selected + page).min(last),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = last,
            Action::Search => {
                self.typing = true;
                if self.matches.is_none() {
                    self.sort = Sort::Relevance;
                }
            }
            Action::CycleStatus => {
                self.status_filter = cycle(&self.statuses, self.status_filter.take());
                self.refresh();
            }
            Action::CycleTag => {
                self.tag_filter = cycle(&self.tags, self.tag_filter.take());
                self.refresh();
            }
            Action::CycleSort => {
                let searching = self.matches.is_some();
                self.sort = match self.sort {
                    Sort::Number => Sort::Created,
                    Sort::Created => Sort::Title,
                    Sort::Title => Sort::Status,
                    Sort::Status if searching => Sort::Relevance,
                    Sort::Status | Sort::Relevance => Sort::Number,
                };
                self.refresh();
            }
            Action::ReverseSort => {
                self.reverse = !self.reverse;
                self.refresh();
            }
            Action::ClearFilters => {
                self.status_filter = None;
                self.tag_filter = None;
                self.query.clear();
                self.reverse = false;
                self.sort = Sort::Number;
                self.notice = None;
                self.refresh();
            }
            _ => {}
        }
    }
}

/// Returns the next value after `current` in `values`, then none again.
fn cycle(values: &[String], current: Option<String>) -> Option<String> {
    match current {
        None => values.first().cloned(),
        Some(current) => values
            .iter()
            .position(|v| *v == current)
            .and_then(|i| values.get(i + 1))
            .cloned(),
    }
}

fn status_rank(status: &str) -> (usize, String) {
    let rank = crate::memo::Status::NAMES
        .iter()
        .position(|s| *s == status)
        .unwrap_or(usize::MAX);
    (rank, status.to_owned())
}

/// Maps the library's own keys.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => Action::Open,
        KeyCode::Char('/') => Action::Search,
        KeyCode::Char('s') => Action::CycleStatus,
        KeyCode::Char('t') => Action::CycleTag,
        KeyCode::Char('o') => Action::CycleSort,
        KeyCode::Char('r') => Action::ReverseSort,
        KeyCode::Char('x') => Action::ClearFilters,
        _ => return None,
    })
}

/// Builds the line below the header: the query with its cursor, then why the query
/// cannot be parsed or another notice, cut to the window's width.
fn query_line(state: &LibraryState, width: u16) -> Line<'static> {
    let width = usize::from(width);
    let warning = Style::new().fg(Color::Yellow);
    let message = state.query_error.as_ref().or(state.notice.as_ref());
    if !state.typing && state.query.is_empty() {
        let span = match message {
            Some(message) => Span::styled(format!(" {}", sanitize_line(message)), warning),
            None => Span::styled(" / to search as you type", dim()),
        };
        return fit_line(vec![span], width);
    }

    let prompt = " / ";
    let cursor = if state.typing { "▏" } else { "" };
    // The end of a query longer than the window stays visible, with the cursor after it.
    let room = width.saturating_sub(display_width(prompt) + display_width(cursor));
    let mut spans = vec![
        Span::styled(prompt, Style::new().fg(Color::Cyan)),
        Span::raw(format!(
            "{}{cursor}",
            tail(&sanitize_line(&state.query), room)
        )),
    ];
    if let Some(message) = message {
        spans.push(Span::styled(
            format!("  {}", sanitize_line(message)),
            warning,
        ));
    }
    fit_line(spans, width)
}

/// Returns the end of `text` that fits in `width` columns, led by `…` when cut.
fn tail(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut kept = Vec::new();
    let mut used = display_width("…");
    for grapheme in text.graphemes(true).rev() {
        used += display_width(grapheme);
        if used > width {
            break;
        }
        kept.push(grapheme);
    }
    kept.reverse();
    format!("…{}", kept.concat())
}

/// Returns an author's name without the address: `Ana <ana@example.com>` is `Ana`.
fn author_name(author: &str) -> &str {
    author.split('<').next().map_or(author, str::trim)
}

pub fn draw(frame: &mut Frame, area: Rect, state: &mut LibraryState) {
    let [header, query, body, footer_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);

    let total = state.catalog.rows.len();
    let mut facts = format!(" memo · {} of {total} memos", state.visible.len());
    if let Some(status) = &state.status_filter {
        facts.push_str(&format!(" · status {}", sanitize_line(status)));
    }
    if let Some(tag) = &state.tag_filter {
        facts.push_str(&format!(" · tag {}", sanitize_line(tag)));
    }
    let arrow = if state.reverse { "↓" } else { "↑" };
    facts.push_str(&format!(" · by {} {arrow}", state.sort.name()));
    title_bar(frame, header, vec![Span::raw(facts)]);

    frame.render_widget(Paragraph::new(query_line(state, query.width)), query);

    let rows = usize::from(body.height);
    state.page = rows;
    state.selected = state.selected.min(state.visible.len().saturating_sub(1));
    if state.selected < state.offset {
        state.offset = state.selected;
    } else if state.selected >= state.offset + rows {
        state.offset = state.selected + 1 - rows;
    }
    state.offset = state.offset.min(state.visible.len().saturating_sub(rows));

    let width = usize::from(body.width);
    let number_width = state
        .catalog
        .rows
        .iter()
        .filter_map(|r| r.number)
        .max()
        .map_or(4, |n| n.to_string().len().max(4));
    let author_width = if width >= 90 { 16 } else { 0 };
    let mut lines = Vec::with_capacity(rows);
    for (i, row) in state.rows().enumerate().skip(state.offset).take(rows) {
        let number = row
            .number
            .map_or(" ".repeat(number_width), |n| format!("{n:0number_width$}"));
        let date = row
            .created
            .map_or(String::new(), |c| c.format("%Y-%m-%d").to_string());
        let mut spans = vec![
            Span::raw(format!("{number}  ")),
            Span::styled(
                pad(&sanitize_line(&row.status), 10),
                Style::new().fg(status_color(&row.status)),
            ),
            Span::raw("  "),
            Span::styled(pad(&date, 10), dim()),
            Span::raw("  "),
        ];
        if author_width > 0 {
            let mut authors = row
                .authors
                .first()
                .map_or("", |a| author_name(a))
                .to_owned();
            if row.authors.len() > 1 {
                authors.push_str(&format!(" +{}", row.authors.len() - 1));
            }
            spans.push(Span::raw(pad(&sanitize_line(&authors), author_width)));
            spans.push(Span::raw("  "));
        }
        let mut title = sanitize_line(&row.title).into_owned();
        if !row.tags.is_empty() {
            title.push_str("  ");
        }
        spans.push(Span::raw(title));
        if !row.tags.is_empty() {
            let tags: Vec<String> = row
                .tags
                .iter()
                .map(|t| format!("#{}", sanitize_line(t)))
                .collect();
            spans.push(Span::styled(tags.join(" "), dim()));
        }
        let mut line = fit_line(spans, width);
        if i == state.selected {
            line = line.style(Style::new().add_modifier(Modifier::REVERSED));
        }
        lines.push(line);
    }
    if state.visible.is_empty() {
        let text = if total == 0 {
            "No memos yet. Quit and run `memo new \"Your decision\"`."
        } else {
            "No memo matches. Esc clears the search, x clears every filter."
        };
        lines.push(Line::from(Span::styled(format!(" {text}"), dim())));
    }
    frame.render_widget(Paragraph::new(lines), body);

    let keys = if state.typing {
        " type to search · ↑↓ move · Enter keep · Esc clear"
    } else {
        " / search · s status · t tag · o sort · r reverse · Enter open · ? help · q quit"
    };
    footer(frame, footer_area, keys);
}
