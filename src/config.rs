//! Repository settings in `.memo/config.toml`.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The folder of memo's own files inside a repository.
pub const MEMO_DIR: &str = ".memo";
pub const CONFIG_FILE: &str = ".memo/config.toml";

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub memos: MemosConfig,
    pub reading: ReadingConfig,
    pub check: CheckConfig,
    pub meeting: MeetingConfig,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MemosConfig {
    /// The folder of the memo files, relative to the repository root.
    pub dir: String,
    /// The template `memo new` uses without `--template`.
    pub default_template: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ReadingConfig {
    /// Reading speed used for reading time and the silent-read countdown.
    pub words_per_minute: u32,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// Words that make one page for page budgets.
    pub words_per_page: Option<u32>,
    /// Severity per rule id: `error`, `warning` or `off`.
    pub severity: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MeetingConfig {
    /// Minimum silent read, in minutes.
    pub min_read_minutes: u32,
    /// Maximum silent read, in minutes.
    pub max_read_minutes: u32,
    /// Seconds between background syncs of a meeting's events; 0 turns them off.
    pub sync_interval_seconds: u32,
}

impl Default for MemosConfig {
    fn default() -> Self {
        MemosConfig {
            dir: "memos".to_owned(),
            default_template: "decision".to_owned(),
        }
    }
}

impl Default for ReadingConfig {
    fn default() -> Self {
        ReadingConfig {
            words_per_minute: 200,
        }
    }
}

impl Default for MeetingConfig {
    fn default() -> Self {
        MeetingConfig {
            min_read_minutes: 5,
            max_read_minutes: 30,
            sync_interval_seconds: 5,
        }
    }
}

impl Config {
    /// Reads the configuration of the repository at `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))?;
        Self::parse(&path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_owned(),
            message: e.to_string().trim_end().to_owned(),
        })?;
        config.validate(path)?;
        Ok(config)
    }

    fn validate(&self, path: &Path) -> Result<()> {
        let invalid = |message: String| Error::Config {
            path: path.to_owned(),
            message,
        };
        relative_dir(&self.memos.dir)
            .map_err(|reason| invalid(format!("memos.dir = '{}' {reason}", self.memos.dir)))?;
        if self.reading.words_per_minute == 0 {
            return Err(invalid(
                "reading.words_per_minute must be above 0".to_owned(),
            ));
        }
        if self.check.words_per_page == Some(0) {
            return Err(invalid(
                "check.words_per_page must be above 0 (leave it out for 500)".to_owned(),
            ));
        }
        for (rule, severity) in &self.check.severity {
            if crate::check::rule(rule).is_none() {
                return Err(invalid(format!(
                    "check.severity.{rule} names no rule (run `memo check --list-rules` to list them)"
                )));
            }
            if !matches!(severity.as_str(), "error" | "warning" | "off") {
                return Err(invalid(format!(
                    "check.severity.{rule} = '{severity}' (expected error, warning or off)"
                )));
            }
            let setting = format!("check.severity.{rule} = '{severity}'");
            if let Some(message) = crate::check::severity_change_error(rule, severity, &setting) {
                return Err(invalid(message));
            }
        }
        if self.meeting.min_read_minutes > self.meeting.max_read_minutes {
            return Err(invalid(
                "meeting.min_read_minutes is above meeting.max_read_minutes".to_owned(),
            ));
        }
        Ok(())
    }

    /// Returns the configuration file text `memo init` writes.
    pub fn to_toml(&self) -> String {
        format!(
            "# memo repository settings; see docs/layout.md for every key.\n\n\
             [memos]\n\
             # Folder of the memo files, relative to the repository root.\n\
             dir = {dir}\n\
             # Template used by `memo new` without --template.\n\
             default_template = {template}\n\n\
             [reading]\n\
             # Reading speed for reading times and the silent-read countdown.\n\
             words_per_minute = {wpm}\n",
            dir = toml_string(&self.memos.dir),
            template = toml_string(&self.memos.default_template),
            wpm = self.reading.words_per_minute,
        )
    }
}

fn toml_string(value: &str) -> String {
    toml::Value::String(value.to_owned()).to_string()
}

/// Checks that a configured folder stays inside the repository.
pub fn relative_dir(dir: &str) -> std::result::Result<PathBuf, &'static str> {
    let path = Path::new(dir);
    if dir.trim().is_empty() {
        return Err("is empty");
    }
    for component in path.components() {
        match component {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return Err("leaves the repository ('..')"),
            Component::RootDir | Component::Prefix(_) => {
                return Err("must be relative to the repository root");
            }
        }
    }
    if path.starts_with(".git") {
        return Err("must not be inside .git");
    }
    Ok(path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_config_reads_back() {
        let config = Config {
            memos: MemosConfig {
                dir: "Q3 planning".to_owned(),
                default_template: "adr".to_owned(),
            },
            ..Config::default()
        };
        let parsed = Config::parse(Path::new("c.toml"), &config.to_toml()).expect("parses");
        assert_eq!(parsed, config);
    }

    #[test]
    fn memo_dir_must_stay_inside() {
        for dir in ["../x", "/abs", "", ".git/memos"] {
            let text = format!("[memos]\ndir = {}\n", toml_string(dir));
            assert!(Config::parse(Path::new("c.toml"), &text).is_err(), "{dir}");
        }
    }

    #[test]
    fn severity_of_unknown_rule_is_an_error() {
        let text = "[check.severity]\nbullet-fragment = \"off\"\n";
        let error = Config::parse(Path::new("c.toml"), text).expect_err("typo");
        assert!(error.to_string().contains("bullet-fragment"), "{error}");
        let text = "[check.severity]\nbullet-fragments = \"off\"\n";
        assert!(Config::parse(Path::new("c.toml"), text).is_ok());
    }

    #[test]
    fn zero_words_per_page_is_an_error() {
        let error =
            Config::parse(Path::new("c.toml"), "[check]\nwords_per_page = 0\n").expect_err("zero");
        assert!(
            error
                .to_string()
                .contains("check.words_per_page must be above 0"),
            "{error}"
        );
    }

    #[test]
    fn severity_of_fixed_rule_stays_error() {
        for rule in ["front-matter", "conflict-marker", "invalid-template"] {
            for level in ["off", "warning"] {
                let text = format!("[check.severity]\n{rule} = \"{level}\"\n");
                let error = Config::parse(Path::new("c.toml"), &text).expect_err(rule);
                let message = error.to_string();
                assert!(
                    message.contains(&format!("rule '{rule}' is always an error")),
                    "{message}"
                );
            }
            let text = format!("[check.severity]\n{rule} = \"error\"\n");
            assert!(Config::parse(Path::new("c.toml"), &text).is_ok(), "{rule}");
        }
    }

    #[test]
    fn unknown_keys_are_errors() {
        let error = Config::parse(Path::new("c.toml"), "[memos]\ndri = \"x\"\n").expect_err("typo");
        assert!(error.to_string().contains("dri"), "{error}");
    }
}
