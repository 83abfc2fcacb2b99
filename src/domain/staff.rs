//! Staff logins and the PIN lockout rule.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a staff member may do at the point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Operator,
    Supervisor,
    Admin,
}

/// Wrong PINs in a row that lock a login.
pub const MAX_WRONG_PINS: u32 = 5;

/// How long a locked login stays locked after the last wrong PIN.
pub fn lock_duration() -> Duration {
    Duration::minutes(5)
}

/// Until when a login is locked, if it is.
pub fn locked_until(
    failed_pins: u32,
    last_failed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let until = last_failed_at? + lock_duration();
    (failed_pins >= MAX_WRONG_PINS && now < until).then_some(until)
}

/// A staff login: 2 to 32 lower-case Latin letters, digits, '.', '_' or '-'.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Login(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a login is 2 to 32 Latin letters, digits, '.', '_' or '-'")]
pub struct BadLogin;

impl Login {
    pub fn parse(s: &str) -> Result<Self, BadLogin> {
        let s = s.trim().to_ascii_lowercase();
        let ok = (2..=32).contains(&s.len())
            && s.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            });
        if ok { Ok(Login(s)) } else { Err(BadLogin) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Login {
    type Error = BadLogin;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Login::parse(&s)
    }
}

impl From<Login> for String {
    fn from(l: Login) -> String {
        l.0
    }
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    /// Supervisors and admins see the supervisor views.
    pub fn can_supervise(self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin)
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "operator" => Ok(Role::Operator),
            "supervisor" => Ok(Role::Supervisor),
            "admin" => Ok(Role::Admin),
            _ => Err(format!("unknown role {s:?}: operator, supervisor or admin")),
        }
    }
}

/// A role of the region's own staff, at the regional server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionRole {
    /// Follows appeals under control and decides on them, in their region.
    Controller,
    /// Reads, writes nothing.
    Supervisor,
    /// Decides, and also sets region-wide directives.
    Admin,
}

impl RegionRole {
    pub fn as_str(self) -> &'static str {
        match self {
            RegionRole::Controller => "controller",
            RegionRole::Supervisor => "supervisor",
            RegionRole::Admin => "admin",
        }
    }

    /// Controllers and admins decide on appeals; supervisors only read.
    pub fn can_decide(self) -> bool {
        matches!(self, RegionRole::Controller | RegionRole::Admin)
    }
}

impl std::str::FromStr for RegionRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "controller" => Ok(RegionRole::Controller),
            "supervisor" => Ok(RegionRole::Supervisor),
            "admin" => Ok(RegionRole::Admin),
            _ => Err(format!(
                "unknown role {s:?}: controller, supervisor or admin"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn lock_after_five_for_five_minutes() {
        let t = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        assert_eq!(locked_until(4, Some(t), t), None);
        assert_eq!(
            locked_until(5, Some(t), t + Duration::seconds(299)),
            Some(t + lock_duration())
        );
        assert_eq!(locked_until(5, Some(t), t + Duration::seconds(300)), None);
        assert_eq!(locked_until(5, None, t), None);
    }

    #[test]
    fn logins() {
        assert_eq!(Login::parse(" Aigul.S ").unwrap().as_str(), "aigul.s");
        assert!(Login::parse("a").is_err());
        assert!(Login::parse("айгүл").is_err());
        assert!(Login::parse("a b").is_err());
    }
}
