//! Reading a PIN: never from the command line (it would stay in the shell's
//! history), without echo on a terminal, or one line of standard input
//! for scripts.

use anyhow::{Context as _, bail};
use std::io::{BufRead, IsTerminal};

/// A PIN being set: asked twice on a terminal, so a typo is caught.
pub fn new_pin(what: &str) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        return stdin_line();
    }
    let first = rpassword::prompt_password(format!("{what} (4 to 8 digits): "))
        .context("reading the PIN")?;
    let again = rpassword::prompt_password("The same PIN again: ").context("reading the PIN")?;
    if first != again {
        bail!("the two PINs differ; nothing was changed");
    }
    Ok(first.trim().to_string())
}

/// A PIN being checked: asked once.
pub fn pin(prompt: &str) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        return stdin_line();
    }
    Ok(rpassword::prompt_password(prompt)
        .context("reading the PIN")?
        .trim()
        .to_string())
}

fn stdin_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the PIN from standard input")?;
    Ok(line.trim().to_string())
}
