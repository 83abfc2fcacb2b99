//! The keys of citizens' personal data (`domain::personal`): made when an
//! appeal is recorded, used to open its parts, deleted to forget them.
//! Only this file reads or writes `citizen_keys`, `text_keys` and
//! `personal_secret`.

use super::{Result, StoreError, fmt_time};
use crate::domain::appeal::Citizen;
use crate::domain::event::{AppealRecorded, CitizenErased};
use crate::domain::personal::{self, Key, Part, Personal, SubjectId};
use crate::domain::text::AppealText;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// Seals the personal parts of an appeal about to be recorded: the
/// citizen under the key of their subject (found again by IIN or phone, or
/// new), the text under a key of its own. The keys are written in the
/// transaction of the event, so an appeal is never stored without them.
pub(super) fn seal(
    conn: &Connection,
    at: DateTime<Utc>,
    a: &AppealRecorded,
) -> Result<AppealRecorded> {
    let in_clear = || StoreError::Corrupt("an appeal to record must be in clear".into());
    let text = a.text.clear().ok_or_else(in_clear)?;
    let citizen = match &a.citizen {
        None => None,
        Some(p) => Some(p.clear().ok_or_else(in_clear)?),
    };
    let text_key = Key::generate();
    conn.prepare_cached("INSERT INTO text_keys (appeal_id, key) VALUES (?1, ?2)")?
        .execute(params![
            a.appeal_id.to_string(),
            text_key.as_bytes().as_slice()
        ])?;
    let mut stored = a.clone();
    stored.text = Personal::Sealed(personal::seal(&text_key, a.appeal_id, Part::Text, text));
    if let Some(c) = citizen {
        let (subject, key) = subject_of(conn, at, c)?;
        stored.citizen = Some(Personal::Sealed(personal::seal(
            &key,
            a.appeal_id,
            Part::Citizen,
            c,
        )));
        stored.subject = Some(subject);
    }
    Ok(stored)
}

/// The subject and key of a citizen: found by the keyed hash of their IIN
/// (or of their phone, unless it belongs to someone with another IIN),
/// else made.
fn subject_of(conn: &Connection, at: DateTime<Utc>, c: &Citizen) -> Result<(SubjectId, Key)> {
    let secret = secret(conn)?;
    let iin_tag = c
        .iin
        .as_ref()
        .map(|i| personal::tag(&secret, "iin", i.as_str()));
    let phone_tag = c
        .phone
        .as_ref()
        .map(|p| personal::tag(&secret, "phone", p.as_str()));
    let by_iin = match &iin_tag {
        Some(t) => conn
            .prepare_cached("SELECT subject, key FROM citizen_keys WHERE iin_tag = ?1")?
            .query_row([t], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
            })
            .optional()?,
        None => None,
    };
    let found = match (by_iin, &phone_tag) {
        (Some(f), _) => Some(f),
        (None, Some(t)) => conn
            .prepare_cached(
                "SELECT subject, key FROM citizen_keys
                 WHERE phone_tag = ?1 AND (iin_tag IS NULL OR ?2 IS NULL)
                 ORDER BY created_at DESC LIMIT 1",
            )?
            .query_row(params![t, iin_tag], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
            })
            .optional()?,
        (None, None) => None,
    };
    match found {
        Some((subject, key)) => {
            // what is learnt now finds them next time too
            conn.prepare_cached(
                "UPDATE citizen_keys SET iin_tag = COALESCE(iin_tag, ?2),
                        phone_tag = COALESCE(?3, phone_tag) WHERE subject = ?1",
            )?
            .execute(params![subject, iin_tag, phone_tag])?;
            Ok((parse_subject(&subject)?, parse_key(&key)?))
        }
        None => {
            let (subject, key) = (SubjectId::new(), Key::generate());
            conn.prepare_cached(
                "INSERT INTO citizen_keys (subject, key, iin_tag, phone_tag, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                subject.to_string(),
                key.as_bytes().as_slice(),
                iin_tag,
                phone_tag,
                fmt_time(at)
            ])?;
            Ok((subject, key))
        }
    }
}

/// The point's secret of the keyed hashes, made at first use.
fn secret(conn: &Connection) -> Result<Key> {
    let found: Option<Vec<u8>> = conn
        .prepare_cached("SELECT secret FROM personal_secret WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    match found {
        Some(b) => parse_key(&b),
        None => {
            let k = Key::generate();
            conn.prepare_cached("INSERT INTO personal_secret (id, secret) VALUES (1, ?1)")?
                .execute([k.as_bytes().as_slice()])?;
            Ok(k)
        }
    }
}

fn parse_key(b: &[u8]) -> Result<Key> {
    Key::from_bytes(b).ok_or_else(|| StoreError::Corrupt("a stored key is not 32 bytes".into()))
}

fn parse_subject(s: &str) -> Result<SubjectId> {
    s.parse()
        .map(SubjectId)
        .map_err(|e| StoreError::Corrupt(format!("subject {s:?}: {e}")))
}

/// An appeal's personal parts, opened as far as their keys are here.
pub(super) struct Opened {
    pub citizen: Readable<Citizen>,
    pub text: Readable<AppealText>,
}

/// A personal part: there (in clear or opened), or its key is gone.
pub(super) enum Readable<T> {
    Absent,
    Here(T),
    Erased,
}

impl<T> Readable<T> {
    pub fn here(&self) -> Option<&T> {
        match self {
            Readable::Here(v) => Some(v),
            _ => None,
        }
    }
}

/// Opens an appeal's parts: a part in clear as it is, a sealed one with
/// its key, or erased when the key was deleted.
pub(super) fn open(conn: &Connection, a: &AppealRecorded) -> Result<Opened> {
    let citizen = match &a.citizen {
        None => Readable::Absent,
        Some(Personal::Clear(c)) => Readable::Here(c.clone()),
        Some(Personal::Sealed(s)) => {
            let subject = a.subject.ok_or_else(|| {
                StoreError::Corrupt(format!("appeal {}: sealed without a subject", a.appeal_id))
            })?;
            let key: Option<Vec<u8>> = conn
                .prepare_cached("SELECT key FROM citizen_keys WHERE subject = ?1")?
                .query_row([subject.to_string()], |r| r.get(0))
                .optional()?;
            match key {
                None => Readable::Erased,
                Some(k) => Readable::Here(unseal(&parse_key(&k)?, a.appeal_id, Part::Citizen, s)?),
            }
        }
    };
    let text = match &a.text {
        Personal::Clear(t) => Readable::Here(t.clone()),
        Personal::Sealed(s) => {
            let key: Option<Vec<u8>> = conn
                .prepare_cached("SELECT key FROM text_keys WHERE appeal_id = ?1")?
                .query_row([a.appeal_id.to_string()], |r| r.get(0))
                .optional()?;
            match key {
                None => Readable::Erased,
                Some(k) => Readable::Here(unseal(&parse_key(&k)?, a.appeal_id, Part::Text, s)?),
            }
        }
    };
    Ok(Opened { citizen, text })
}

fn unseal<T: serde::de::DeserializeOwned>(
    key: &Key,
    appeal: Uuid,
    part: Part,
    s: &personal::Sealed,
) -> Result<T> {
    personal::open(key, appeal, part, s)
        .map_err(|e| StoreError::Corrupt(format!("appeal {appeal}: {e}")))
}

/// Deletes the keys an erasure names: the citizens' (all their sealed
/// parts at once) and, when asked, the texts' of the appeals named.
pub(super) fn forget(conn: &Connection, e: &CitizenErased) -> Result<()> {
    for s in &e.subjects {
        conn.execute(
            "DELETE FROM citizen_keys WHERE subject = ?1",
            [s.to_string()],
        )?;
    }
    if e.texts {
        for a in &e.appeals {
            conn.execute(
                "DELETE FROM text_keys WHERE appeal_id = ?1",
                [a.to_string()],
            )?;
        }
    }
    Ok(())
}

/// Whose data a person asks to erase.
#[derive(Debug, Clone, Copy)]
pub enum CitizenBy<'a> {
    /// As stored: twelve digits.
    Iin(&'a str),
    /// As stored: `+7` and ten digits.
    Phone(&'a str),
    Appeal(crate::domain::AppealNo),
    /// The appeal by its id (an erasure asked at the region).
    AppealId(Uuid),
}

/// What an erasure would take: the citizens' subjects and every appeal of
/// theirs (an appeal named alone brings all of its citizen's), with how
/// many still name a citizen and how many still have a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Erasable {
    pub subjects: Vec<SubjectId>,
    pub appeals: Vec<Uuid>,
    pub with_citizen: usize,
    pub with_text: usize,
}

pub fn erasable(conn: &Connection, by: CitizenBy<'_>) -> Result<Erasable> {
    let seed: Vec<(String, Option<String>)> = {
        let (sql, arg): (&str, Vec<Box<dyn rusqlite::ToSql>>) = match by {
            CitizenBy::Iin(i) => (
                "SELECT id, subject FROM appeals WHERE citizen_iin = ?1",
                vec![Box::new(i.to_string())],
            ),
            CitizenBy::Phone(p) => (
                "SELECT id, subject FROM appeals WHERE citizen_phone = ?1",
                vec![Box::new(p.to_string())],
            ),
            CitizenBy::Appeal(n) => (
                "SELECT id, subject FROM appeals WHERE year = ?1 AND number = ?2",
                vec![Box::new(n.year), Box::new(n.number)],
            ),
            CitizenBy::AppealId(id) => (
                "SELECT id, subject FROM appeals WHERE id = ?1",
                vec![Box::new(id.to_string())],
            ),
        };
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(arg.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut subjects: Vec<String> = seed.iter().filter_map(|(_, s)| s.clone()).collect();
    subjects.sort();
    subjects.dedup();
    let mut ids: Vec<String> = seed.into_iter().map(|(id, _)| id).collect();
    for s in &subjects {
        let mut stmt = conn.prepare_cached("SELECT id FROM appeals WHERE subject = ?1")?;
        let rows = stmt.query_map([s], |r| r.get::<_, String>(0))?;
        for id in rows {
            ids.push(id?);
        }
    }
    ids.sort();
    ids.dedup();
    let mut out = Erasable {
        subjects: subjects
            .iter()
            .map(|s| parse_subject(s))
            .collect::<Result<_>>()?,
        ..Erasable::default()
    };
    for id in ids {
        let (citizen, text): (bool, bool) = conn.query_row(
            "SELECT citizen_name IS NOT NULL, text_erased_at IS NULL FROM appeals WHERE id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        out.with_citizen += usize::from(citizen);
        out.with_text += usize::from(text);
        out.appeals.push(
            id.parse()
                .map_err(|e| StoreError::Corrupt(format!("appeal id {id:?}: {e}")))?,
        );
    }
    Ok(out)
}

/// What retention erases: each citizen all of whose appeals were closed
/// before `cutoff` (one whose appeal is still open, or was closed later,
/// is still needed), and each appeal recorded before sealing that was
/// closed before it. Only what still names a citizen.
pub fn expired(conn: &Connection, cutoff: DateTime<Utc>) -> Result<Vec<Erasable>> {
    let cutoff = fmt_time(cutoff);
    let mut out = Vec::new();
    let subjects: Vec<String> = conn
        .prepare(
            "SELECT subject FROM appeals WHERE subject IS NOT NULL GROUP BY subject
             HAVING SUM(closed_at IS NULL OR closed_at >= ?1) = 0
                AND SUM(citizen_name IS NOT NULL) > 0",
        )?
        .query_map([&cutoff], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for s in subjects {
        let ids: Vec<String> = conn
            .prepare_cached("SELECT id FROM appeals WHERE subject = ?1 ORDER BY rowid")?
            .query_map([&s], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        out.push(Erasable {
            subjects: vec![parse_subject(&s)?],
            with_citizen: ids.len(),
            with_text: 0,
            appeals: ids.iter().map(|i| parse_appeal(i)).collect::<Result<_>>()?,
        });
    }
    let legacy: Vec<String> = conn
        .prepare(
            "SELECT id FROM appeals WHERE subject IS NULL AND citizen_name IS NOT NULL
                AND closed_at IS NOT NULL AND closed_at < ?1 ORDER BY rowid",
        )?
        .query_map([&cutoff], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in legacy {
        out.push(Erasable {
            subjects: Vec::new(),
            appeals: vec![parse_appeal(&id)?],
            with_citizen: 1,
            with_text: 0,
        });
    }
    Ok(out)
}

fn parse_appeal(id: &str) -> Result<Uuid> {
    id.parse()
        .map_err(|e| StoreError::Corrupt(format!("appeal id {id:?}: {e}")))
}

/// Someone opened the card of an appeal showing its citizen.
#[derive(Debug, Clone, PartialEq)]
pub struct Viewed {
    pub appeal_id: Uuid,
    pub at: DateTime<Utc>,
    /// As the log has it (`staff:aigul`).
    pub actor: String,
}

/// Who opened the cards of these appeals, oldest first.
pub fn views_of(conn: &Connection, appeals: &[Uuid]) -> Result<Vec<Viewed>> {
    let mut out = Vec::new();
    let mut stmt = conn
        .prepare_cached("SELECT at, actor FROM personal_views WHERE appeal_id = ?1 ORDER BY seq")?;
    for a in appeals {
        let rows = stmt.query_map([a.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (at, actor) = row?;
            out.push(Viewed {
                appeal_id: *a,
                at: super::parse_time(&at)?,
                actor,
            });
        }
    }
    out.sort_by_key(|v| v.at);
    Ok(out)
}

/// Every export with personal data, oldest first: when, who, and what
/// (the period says whose appeals it held).
pub fn exports(
    conn: &Connection,
) -> Result<
    Vec<(
        DateTime<Utc>,
        String,
        crate::domain::event::PersonalDataExported,
    )>,
> {
    let mut stmt = conn.prepare(
        "SELECT at, actor, payload FROM events WHERE kind = 'personal_data_exported' ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    rows.map(|r| {
        let (at, actor, payload) = r?;
        Ok((
            super::parse_time(&at)?,
            actor,
            serde_json::from_str(&payload)?,
        ))
    })
    .collect()
}

/// Appeals whose citizen was erased in `[start, end)`: (for age, on request).
pub fn erased_between(
    conn: &Connection,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<(u64, u64)> {
    let (age, asked): (i64, i64) = conn.query_row(
        "SELECT COALESCE(SUM(citizen_erased_for = 'expired'), 0),
                COALESCE(SUM(citizen_erased_for = 'consent_withdrawn'), 0)
         FROM appeals WHERE citizen_erased_at >= ?1 AND citizen_erased_at < ?2",
        params![fmt_time(start), fmt_time(end)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((age.max(0) as u64, asked.max(0) as u64))
}

#[cfg(test)]
mod tests {
    use super::super::{Store, events, projection};
    use super::*;
    use crate::domain::appeal::{AppealKind, AppealNo, Channel, Outcome};
    use crate::domain::event::{ErasureGround, EventBody};
    use crate::domain::text::{PersonName, ShortText};
    use crate::domain::{Actor, CategoryId, Iin, Lang, PointId};

    fn appeal(n: u32, iin: &str, text: &str) -> AppealRecorded {
        AppealRecorded {
            appeal_id: Uuid::now_v7(),
            number: AppealNo {
                year: 2026,
                number: n,
            },
            kind: AppealKind::Complaint,
            channel: Channel::WalkIn,
            category: CategoryId::new("housing"),
            citizen: Some(Personal::Clear(Citizen {
                name: PersonName::parse("Тұрсынбекова Әлия").unwrap(),
                iin: Some(Iin::parse(iin).unwrap()),
                phone: None,
                settlement: None,
                workplace: None,
            })),
            consent: true,
            text: Personal::Clear(AppealText::parse(text).unwrap()),
            subject: None,
            heard_by: vec![],
            ticket_id: None,
            session_id: None,
            desk: Some(1),
            lang: Lang::Kk,
            outcome: Outcome::Registered,
            redirected_to: None,
            control: None,
        }
    }

    fn erase(store: &mut Store, subjects: Vec<SubjectId>, appeals: Vec<Uuid>) {
        store
            .write(&Actor::system(), Utc::now(), |w| {
                w.append(&EventBody::CitizenErased(CitizenErased {
                    subjects,
                    appeals,
                    texts: true,
                    ground: ErasureGround::ConsentWithdrawn {
                        request: ShortText::parse("№ 1").unwrap(),
                    },
                }))
            })
            .unwrap();
    }

    fn payload(store: &Store, seq: u64) -> String {
        events::get(store.conn(), seq)
            .unwrap()
            .unwrap()
            .payload
            .to_string()
    }

    #[test]
    fn a_sealed_appeal_opens_until_its_keys_are_deleted() {
        let mut store = Store::open_in_memory(&PointId::parse("p").unwrap()).unwrap();
        let a = appeal(1, "850315401231", "Үй кезегі");
        let again = appeal(2, "850315401231", "Тағы");
        let seq = store
            .write(&Actor::system(), Utc::now(), |w| {
                w.append(&EventBody::AppealRecorded(Box::new(a.clone())))?;
                w.append(&EventBody::AppealRecorded(Box::new(again.clone())))
            })
            .unwrap();
        let stored = payload(&store, 1);
        for t in ["Тұрсынбекова", "850315401231", "Үй кезегі"] {
            assert!(!stored.contains(t), "{t} in {stored}");
        }
        let rec = |seq| match events::get(store.conn(), seq)
            .unwrap()
            .unwrap()
            .body()
            .unwrap()
        {
            EventBody::AppealRecorded(a) => *a,
            _ => unreachable!(),
        };
        let (first, second) = (rec(1), rec(seq));
        // the same citizen is the same subject, found by the IIN's tag
        assert!(first.subject.is_some() && first.subject == second.subject);
        let opened = open(store.conn(), &first).unwrap();
        assert_eq!(opened.citizen.here(), a.citizen.as_ref().unwrap().clear());
        assert_eq!(opened.text.here().map(|t| t.as_str()), Some("Үй кезегі"));

        erase(&mut store, vec![first.subject.unwrap()], vec![a.appeal_id]);
        let opened = open(store.conn(), &first).unwrap();
        assert!(matches!(opened.citizen, Readable::Erased));
        assert!(matches!(opened.text, Readable::Erased));
        // the second appeal's citizen went with the subject, its text stayed
        let opened = open(store.conn(), &second).unwrap();
        assert!(matches!(opened.citizen, Readable::Erased));
        assert_eq!(opened.text.here().map(|t| t.as_str()), Some("Тағы"));
        // the stored events are as they were: nothing of the log rewritten
        assert!(payload(&store, 1).contains("sealed"));
    }

    #[test]
    fn an_appeal_recorded_before_sealing_leaves_its_event_when_erased() {
        let mut store = Store::open_in_memory(&PointId::parse("p").unwrap()).unwrap();
        let a = appeal(1, "850315401231", "Үй кезегі");
        let body = EventBody::AppealRecorded(Box::new(a.clone()));
        // as an older qabyldau wrote it: in clear, not through the seal
        store
            .write(&Actor::system(), Utc::now(), |w| -> Result<()> {
                let seq = events::append(&w.tx, w.point, "staff:x", w.at, &body)?;
                projection::apply(&w.tx, seq, w.at, "staff:x", &body)
            })
            .unwrap();
        assert!(payload(&store, 1).contains("850315401231"));
        erase(&mut store, vec![], vec![a.appeal_id]);
        let stored = payload(&store, 1);
        for t in ["Тұрсынбекова", "850315401231", "Үй кезегі"] {
            assert!(!stored.contains(t), "{t} in {stored}");
        }
        let history: Vec<String> = store
            .conn()
            .prepare("SELECT detail FROM appeal_history")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert!(
            history.iter().all(|h| !h.contains("850315401231")),
            "{history:?}"
        );
        // the redacted event still reads, and its parts read as erased
        let rec = events::get(store.conn(), 1).unwrap().unwrap();
        let EventBody::AppealRecorded(back) = rec.body().unwrap() else {
            unreachable!()
        };
        let opened = open(store.conn(), &back).unwrap();
        assert!(matches!(opened.citizen, Readable::Absent));
        assert!(matches!(opened.text, Readable::Erased));
    }
}
