//! Staff: adding, disabling, and logging in with a PIN.

use super::{AppError, AppResult};
use crate::domain::event::{DeskNo, EventBody, LoginAttempted, LoginResult, StaffAdded, StaffRef};
use crate::domain::pin;
use crate::domain::staff::{Login, Role, locked_until};
use crate::domain::{Actor, PersonName, sanitize_line};
use crate::store::{Store, staff};
use chrono::{DateTime, Utc};

pub use crate::store::staff::StaffRow;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffError {
    #[error(transparent)]
    Login(#[from] crate::domain::staff::BadLogin),
    #[error("name: {0}")]
    Name(crate::domain::text::TextError),
    #[error(transparent)]
    Pin(#[from] crate::domain::pin::PinError),
    #[error("login {0} already exists")]
    Exists(String),
    #[error("no such login: {0}")]
    Unknown(String),
}

/// Adds a staff member with a PIN (kept only as its argon2 hash).
pub fn add(
    store: &mut Store,
    actor: &Actor,
    login: &str,
    name: &str,
    role: Role,
    pin_text: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let login = Login::parse(login).map_err(StaffError::from)?;
    let name = PersonName::parse(name).map_err(StaffError::Name)?;
    let hash = pin::hash(pin_text).map_err(StaffError::from)?;
    store.write(actor, now, |w| -> AppResult<()> {
        if staff::get(w.conn(), login.as_str())?.is_some() {
            return Err(StaffError::Exists(login.to_string()).into());
        }
        w.append(&EventBody::StaffAdded(StaffAdded {
            login: login.clone(),
            name,
            role,
        }))?;
        staff::set_pin_hash(w.conn(), &login, &hash)?;
        Ok(())
    })
}

/// Gives a login a new PIN and lifts a lock (an admin at the machine: a
/// forgotten PIN, or a point rebuilt from the server, where PINs never
/// travel). Not an event: a PIN's hash never leaves the point.
pub fn set_pin(
    store: &mut Store,
    login: &str,
    pin_text: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let login = Login::parse(login).map_err(StaffError::from)?;
    let hash = pin::hash(pin_text).map_err(StaffError::from)?;
    store.write(&Actor::system(), now, |w| -> AppResult<()> {
        if staff::get(w.conn(), login.as_str())?.is_none() {
            return Err(StaffError::Unknown(login.to_string()).into());
        }
        staff::set_pin_hash(w.conn(), &login, &hash)?;
        staff::clear_failures(w.conn(), &login)?;
        Ok(())
    })
}

pub fn disable(store: &mut Store, actor: &Actor, login: &str, now: DateTime<Utc>) -> AppResult<()> {
    let login = Login::parse(login).map_err(StaffError::from)?;
    store.write(actor, now, |w| -> AppResult<()> {
        if staff::get(w.conn(), login.as_str())?.is_none() {
            return Err(StaffError::Unknown(login.to_string()).into());
        }
        w.append(&EventBody::StaffDisabled(StaffRef { login }))?;
        Ok(())
    })
}

pub fn list(store: &Store) -> AppResult<Vec<StaffRow>> {
    Ok(staff::all(store.conn())?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    Welcome {
        login: Login,
        name: String,
        role: Role,
    },
    WrongPin {
        attempts_left: u32,
    },
    Locked {
        until: DateTime<Utc>,
    },
    /// Unknown and disabled logins get the same answer as a wrong PIN would
    /// give a stranger: nothing that tells which logins exist.
    Refused,
    /// The point has no enabled login at all (a fresh point): nobody can
    /// log in until an administrator makes one, and the screen says how.
    /// It tells a stranger nothing about any login.
    NoLogins,
}

/// Checks a login and PIN. Every attempt, whatever its result, is an event.
pub fn log_in(
    store: &mut Store,
    login_typed: &str,
    pin_typed: &str,
    desk: Option<DeskNo>,
    now: DateTime<Utc>,
) -> AppResult<LoginOutcome> {
    let typed = sanitize_line(login_typed).to_ascii_lowercase();
    let row = staff::get(store.conn(), &typed)?;
    let (result, outcome) = match &row {
        None if !staff::all(store.conn())?.iter().any(|s| !s.disabled) => {
            (LoginResult::UnknownLogin, LoginOutcome::NoLogins)
        }
        None => (LoginResult::UnknownLogin, LoginOutcome::Refused),
        Some(r) if r.disabled => (LoginResult::Disabled, LoginOutcome::Refused),
        Some(r) => match locked_until(r.failed_pins, r.last_failed_at, now) {
            Some(until) => (LoginResult::Locked, LoginOutcome::Locked { until }),
            // argon2 runs here, outside the write lock
            None if r
                .pin_hash
                .as_deref()
                .is_some_and(|h| pin::verify(pin_typed, h)) =>
            {
                (
                    LoginResult::Ok,
                    LoginOutcome::Welcome {
                        login: r.login.clone(),
                        name: r.name.clone(),
                        role: r.role,
                    },
                )
            }
            None => {
                let failed = if r.failed_pins >= crate::domain::staff::MAX_WRONG_PINS {
                    1
                } else {
                    r.failed_pins + 1
                };
                let left = crate::domain::staff::MAX_WRONG_PINS.saturating_sub(failed);
                let outcome = if left == 0 {
                    LoginOutcome::Locked {
                        until: now + crate::domain::staff::lock_duration(),
                    }
                } else {
                    LoginOutcome::WrongPin {
                        attempts_left: left,
                    }
                };
                (LoginResult::WrongPin, outcome)
            }
        },
    };
    let actor = match &outcome {
        LoginOutcome::Welcome { login, .. } => Actor::staff(login.as_str()),
        _ => Actor::system(),
    };
    store.write(&actor, now, |w| -> AppResult<()> {
        w.append(&EventBody::LoginAttempted(LoginAttempted {
            login: typed.chars().take(64).collect(),
            result,
            desk,
        }))?;
        Ok(())
    })?;
    Ok(outcome)
}

impl From<StaffError> for AppError {
    fn from(e: StaffError) -> Self {
        AppError::Staff(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PointId;
    use crate::store::events;
    use chrono::Duration;

    fn store_with_operator() -> Store {
        let mut s = Store::open_in_memory(&PointId::parse("p").unwrap()).unwrap();
        add(
            &mut s,
            &Actor::system(),
            "aigul",
            "Айгүл Сәрсенова",
            Role::Operator,
            "1357",
            Utc::now(),
        )
        .unwrap();
        s
    }

    #[test]
    fn right_pin_welcomes() {
        let mut s = store_with_operator();
        let r = log_in(&mut s, " AIGUL ", "1357", Some(1), Utc::now()).unwrap();
        assert!(matches!(
            r,
            LoginOutcome::Welcome {
                role: Role::Operator,
                ..
            }
        ));
        let last = events::after(s.conn(), 1, 10).unwrap();
        assert_eq!(last[0].kind, "login_attempted");
        assert_eq!(last[0].actor, "staff:aigul");
    }

    #[test]
    fn five_wrong_pins_lock_for_five_minutes() {
        let mut s = store_with_operator();
        let t0 = Utc::now();
        for left in [4, 3, 2, 1] {
            assert_eq!(
                log_in(&mut s, "aigul", "0000", None, t0).unwrap(),
                LoginOutcome::WrongPin {
                    attempts_left: left
                }
            );
        }
        assert!(matches!(
            log_in(&mut s, "aigul", "0000", None, t0).unwrap(),
            LoginOutcome::Locked { .. }
        ));
        // even the right PIN is refused while locked, and the attempt is logged
        let during = t0 + Duration::minutes(4);
        assert!(matches!(
            log_in(&mut s, "aigul", "1357", None, during).unwrap(),
            LoginOutcome::Locked { .. }
        ));
        assert_eq!(events::last_seq(s.conn()).unwrap(), 1 + 6);
        // the lock ends five minutes after the last wrong PIN
        let after = t0 + Duration::minutes(5) + Duration::seconds(1);
        assert!(matches!(
            log_in(&mut s, "aigul", "1357", None, after).unwrap(),
            LoginOutcome::Welcome { .. }
        ));
    }

    #[test]
    fn wrong_pin_after_expired_lock_starts_a_new_count() {
        let mut s = store_with_operator();
        let t0 = Utc::now();
        for _ in 0..5 {
            log_in(&mut s, "aigul", "0000", None, t0).unwrap();
        }
        let later = t0 + Duration::minutes(6);
        assert_eq!(
            log_in(&mut s, "aigul", "0000", None, later).unwrap(),
            LoginOutcome::WrongPin { attempts_left: 4 }
        );
    }

    #[test]
    fn a_fresh_point_says_it_has_no_logins() {
        let mut s = Store::open_in_memory(&PointId::parse("p").unwrap()).unwrap();
        assert_eq!(
            log_in(&mut s, "admin", "1357", None, Utc::now()).unwrap(),
            LoginOutcome::NoLogins
        );
        // once a login exists, an unknown one is refused as before
        let mut s = store_with_operator();
        assert_eq!(
            log_in(&mut s, "admin", "1357", None, Utc::now()).unwrap(),
            LoginOutcome::Refused
        );
    }

    #[test]
    fn unknown_and_disabled_refused_alike() {
        let mut s = store_with_operator();
        assert_eq!(
            log_in(&mut s, "nobody", "1357", None, Utc::now()).unwrap(),
            LoginOutcome::Refused
        );
        disable(&mut s, &Actor::system(), "aigul", Utc::now()).unwrap();
        assert_eq!(
            log_in(&mut s, "aigul", "1357", None, Utc::now()).unwrap(),
            LoginOutcome::Refused
        );
    }

    #[test]
    fn duplicate_login_and_bad_pin_refused() {
        let mut s = store_with_operator();
        let r = add(
            &mut s,
            &Actor::system(),
            "aigul",
            "X",
            Role::Admin,
            "1234",
            Utc::now(),
        );
        assert!(matches!(r, Err(AppError::Staff(StaffError::Exists(_)))));
        let r = add(
            &mut s,
            &Actor::system(),
            "bolat",
            "Болат",
            Role::Admin,
            "12",
            Utc::now(),
        );
        assert!(matches!(r, Err(AppError::Staff(StaffError::Pin(_)))));
        assert_eq!(list(&s).unwrap().len(), 1);
    }
}
