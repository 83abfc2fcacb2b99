//! Leaving the kiosk: a hidden key (F12 or Ctrl-Q) opens a PIN prompt for
//! the staff. Five wrong PINs lock it for five minutes, so a passer-by
//! cannot try them all.

use super::step::Problem;
use crossterm::event::KeyCode;
use std::time::{Duration, Instant};

pub const MAX_WRONG: u32 = 5;
pub const LOCK: Duration = Duration::from_secs(5 * 60);
const PIN_MAX: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitPrompt {
    pub pin: String,
    /// Whether an exit PIN exists at all; without one the prompt only says
    /// how an administrator sets it.
    pub pin_set: bool,
    pub problem: Option<Problem>,
}

pub enum Action {
    Stay,
    Close,
    Check(String),
}

impl ExitPrompt {
    pub fn new(pin_set: bool) -> Self {
        ExitPrompt {
            pin: String::new(),
            pin_set,
            problem: None,
        }
    }

    pub fn on_key(&mut self, code: KeyCode) -> Action {
        match code {
            KeyCode::Esc => Action::Close,
            KeyCode::Char(c) if c.is_ascii_digit() && self.pin_set => {
                if self.pin.len() < PIN_MAX {
                    self.pin.push(c);
                }
                Action::Stay
            }
            KeyCode::Backspace => {
                self.pin.pop();
                Action::Stay
            }
            KeyCode::Enter if self.pin_set && !self.pin.is_empty() => {
                Action::Check(std::mem::take(&mut self.pin))
            }
            _ => Action::Stay,
        }
    }

    pub fn refused(&mut self, problem: Problem) {
        self.pin.clear();
        self.problem = Some(problem);
    }
}

/// Counts wrong PINs across prompts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guard {
    wrong: u32,
    locked_until: Option<Instant>,
}

impl Guard {
    pub fn is_locked(&self, now: Instant) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }

    /// Notes a wrong PIN and says what to show.
    pub fn wrong(&mut self, now: Instant) -> Problem {
        if self.locked_until.is_some_and(|until| now >= until) {
            *self = Guard::default();
        }
        self.wrong += 1;
        if self.wrong >= MAX_WRONG {
            self.locked_until = Some(now + LOCK);
            Problem::PinLocked
        } else {
            Problem::WrongPin {
                left: MAX_WRONG - self.wrong,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_wrong_pins_lock_for_five_minutes() {
        let t0 = Instant::now();
        let mut g = Guard::default();
        for left in [4, 3, 2, 1] {
            assert_eq!(g.wrong(t0), Problem::WrongPin { left });
            assert!(!g.is_locked(t0));
        }
        assert_eq!(g.wrong(t0), Problem::PinLocked);
        assert!(g.is_locked(t0 + Duration::from_secs(299)));
        let later = t0 + LOCK;
        assert!(!g.is_locked(later));
        assert_eq!(g.wrong(later), Problem::WrongPin { left: 4 });
    }

    #[test]
    fn prompt_takes_digits_only() {
        let mut p = ExitPrompt::new(true);
        for c in "12a3456789".chars() {
            p.on_key(KeyCode::Char(c));
        }
        assert_eq!(p.pin, "12345678");
        p.on_key(KeyCode::Backspace);
        assert!(matches!(p.on_key(KeyCode::Enter), Action::Check(pin) if pin == "1234567"));
        assert!(p.pin.is_empty());
        let mut none = ExitPrompt::new(false);
        none.on_key(KeyCode::Char('1'));
        assert!(matches!(none.on_key(KeyCode::Enter), Action::Stay));
        assert!(matches!(none.on_key(KeyCode::Esc), Action::Close));
    }
}
