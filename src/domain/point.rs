use serde::{Deserialize, Serialize};
use std::fmt;

/// A reception point's id, as configured ("akm-kokshetau-01"): letters,
/// digits, `-`, `_` and `.`, at most 64.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PointId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a point id is 1 to 64 ASCII letters, digits, '-', '_' or '.', not {0:?}")]
pub struct BadPointId(pub String);

impl PointId {
    pub fn parse(s: &str) -> Result<Self, BadPointId> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if ok {
            Ok(PointId(s.to_string()))
        } else {
            Err(BadPointId(s.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PointId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PointId {
    type Error = BadPointId;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        PointId::parse(&s)
    }
}

impl From<PointId> for String {
    fn from(p: PointId) -> String {
        p.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PointKind {
    /// A reception room inside an enterprise, for its workers.
    Enterprise,
    /// A district or regional office.
    Office,
    /// A team that travels to villages, often offline for days.
    Mobile,
}

impl PointKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PointKind::Enterprise => "enterprise",
            PointKind::Office => "office",
            PointKind::Mobile => "mobile",
        }
    }

    /// The channel of an appeal left at this point's kiosk.
    pub fn kiosk_channel(self) -> super::appeal::Channel {
        use super::appeal::Channel;
        match self {
            PointKind::Enterprise => Channel::OnSite,
            PointKind::Office => Channel::WalkIn,
            PointKind::Mobile => Channel::Mobile,
        }
    }
}

impl std::str::FromStr for PointKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "enterprise" => Ok(PointKind::Enterprise),
            "office" => Ok(PointKind::Office),
            "mobile" => Ok(PointKind::Mobile),
            _ => Err(format!(
                "unknown point kind {s:?}: enterprise, office or mobile"
            )),
        }
    }
}

// Here, not in `appeal`, so `appeal` needs nothing of `point` (no circle).
/// An appeal's number that means one appeal in the whole region: every
/// point numbers its appeals from 2026-00001, so the point's id comes
/// first, "akm-01/2026-00042". Receipts, their QR codes and look-ups use it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FullAppealNo {
    pub point: PointId,
    pub number: super::appeal::AppealNo,
}

impl fmt::Display for FullAppealNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.point, self.number)
    }
}

impl FullAppealNo {
    /// Reads "akm-01/2026-00042", or the point's own "2026-00042", which
    /// means an appeal of `here`. Spaces around the parts are forgiven.
    pub fn parse_at(s: &str, here: &PointId) -> Result<Self, String> {
        let bad = || format!("not an appeal number: {s:?}");
        let s = s.trim();
        let (point, number) = match s.rsplit_once('/') {
            Some((p, n)) => (PointId::parse(p.trim()).map_err(|_| bad())?, n),
            None => (here.clone(), s),
        };
        let number: super::appeal::AppealNo = number.trim().parse().map_err(|_| bad())?;
        if number.year < 1000 || number.year > 9999 || number.number == 0 {
            return Err(bad());
        }
        Ok(FullAppealNo { point, number })
    }
}
