//! `memo templates`.

use std::process::ExitCode;

use serde::Serialize;

use super::Context;
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
            })
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
    Ok(ExitCode::SUCCESS)
}
