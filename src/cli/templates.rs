//! `memo templates`: the valid templates, then the repository's invalid template
//! files with their errors.

use std::process::ExitCode;

use serde::Serialize;

use super::Context;
use crate::render::sanitize_line;
use crate::template::{Origin, Templates};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the templates as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct TemplateJson {
    name: String,
    description: String,
    origin: String,
    sections: Vec<String>,
    /// The reason the template file cannot be used, absent for a valid template.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub fn run(context: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let dir = context.repo().ok().map(|r| r.template_dir());
    let templates = Templates::load(dir.as_deref())?;
    if args.json {
        let entries: Vec<TemplateJson> = templates
            .templates
            .iter()
            .map(|t| TemplateJson {
                name: t.name.clone(),
                description: t.description.clone(),
                origin: match &t.origin {
                    Origin::Builtin => "builtin".to_owned(),
                    Origin::Repository(path) => path.display().to_string(),
                },
                sections: t.sections.iter().map(|s| s.heading.clone()).collect(),
                error: None,
            })
            .chain(templates.invalid.iter().map(|e| TemplateJson {
                name: e.name.clone(),
                description: String::new(),
                origin: e.path.display().to_string(),
                sections: Vec::new(),
                error: Some(e.to_string()),
            }))
            .collect();
        super::print_json(&entries)?;
        return Ok(ExitCode::SUCCESS);
    }
    for template in &templates.templates {
        let origin = match &template.origin {
            Origin::Builtin => "",
            Origin::Repository(_) => " (this repository)",
        };
        println!("{:<10}  {}{origin}", template.name, template.description);
    }
    for error in &templates.invalid {
        println!(
            "{:<10}  invalid: {}:{}: {}",
            sanitize_line(&error.name),
            sanitize_line(&error.path.to_string_lossy()),
            error.line,
            sanitize_line(&error.message)
        );
        if let Some(hint) = &error.hint {
            println!("{:<10}  hint: {hint}", "");
        }
    }
    Ok(ExitCode::SUCCESS)
}
