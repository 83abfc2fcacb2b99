//! Reception sessions: a dated mobile reception in a village or an on-site
//! reception at a plant. Appeals recorded while one is open belong to it.

use super::form::{self, Field, Problem};
use super::records::SessionRecord;
use super::{DeskError, Operator};
use crate::app::{AppError, AppResult};
use crate::domain::event::{EventBody, SessionKind, SessionOpened, SessionRef};
use crate::domain::text::TextError;
use crate::domain::{PersonName, ShortText, sanitize_line};
use crate::store::Store;
use crate::store::sessions;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

fn invalid(field: Field, e: TextError) -> AppError {
    let problem = match e {
        TextError::Empty => Problem::Required,
        TextError::TooLong { max, .. } => Problem::TooLong { max },
    };
    DeskError::Invalid(vec![form::Invalid { field, problem }]).into()
}

pub fn open_session(
    store: &mut Store,
    op: &Operator,
    kind: SessionKind,
    date: NaiveDate,
    place: &str,
    officials: &[String],
    now: DateTime<Utc>,
) -> AppResult<Uuid> {
    // the form reuses the appeal's field names: place is a settlement
    let place = ShortText::parse(place).map_err(|e| invalid(Field::Settlement, e))?;
    let officials = officials
        .iter()
        .filter(|o| !sanitize_line(o).is_empty())
        .map(|o| PersonName::parse(o).map_err(|e| invalid(Field::HeardBy, e)))
        .collect::<AppResult<Vec<_>>>()?;
    let id = Uuid::now_v7();
    store.write(&op.actor(), now, |w| -> AppResult<Uuid> {
        if sessions::open(w.conn())?.is_some() {
            return Err(DeskError::SessionOpen.into());
        }
        w.append(&EventBody::SessionOpened(SessionOpened {
            session_id: id,
            kind,
            date,
            place,
            officials,
        }))?;
        Ok(id)
    })
}

pub fn close_session(store: &mut Store, op: &Operator, now: DateTime<Utc>) -> AppResult<()> {
    store.write(&op.actor(), now, |w| -> AppResult<()> {
        let open = sessions::open(w.conn())?.ok_or(DeskError::NoSession)?;
        w.append(&EventBody::SessionClosed(SessionRef {
            session_id: open.id,
        }))?;
        Ok(())
    })
}

pub fn current(store: &Store) -> AppResult<Option<SessionRecord>> {
    Ok(sessions::open(store.conn())?.map(SessionRecord::from))
}

pub fn recent(store: &Store, limit: usize) -> AppResult<Vec<SessionRecord>> {
    Ok(sessions::recent(store.conn(), limit)?
        .into_iter()
        .map(SessionRecord::from)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::domain::staff::Role;

    #[test]
    fn one_session_at_a_time() {
        let mut s = store();
        let op = operator(Role::Operator);
        let now = Utc::now();
        let day = now.date_naive();
        assert!(matches!(
            close_session(&mut s, &op, now),
            Err(AppError::Desk(DeskError::NoSession))
        ));
        assert!(open_session(&mut s, &op, SessionKind::OnSite, day, " ", &[], now).is_err());
        let id = open_session(
            &mut s,
            &op,
            SessionKind::OnSite,
            day,
            "Локомотивный завод",
            &["Депутат маслихата".into(), "".into()],
            now,
        )
        .unwrap();
        assert!(matches!(
            open_session(&mut s, &op, SessionKind::Mobile, day, "Ауыл", &[], now),
            Err(AppError::Desk(DeskError::SessionOpen))
        ));
        let open = current(&s).unwrap().unwrap();
        assert_eq!(open.id, id);
        assert_eq!(open.officials, ["Депутат маслихата"]);
        assert_eq!(open.opened_by, "staff:aigul");
        close_session(&mut s, &op, now).unwrap();
        assert!(current(&s).unwrap().is_none());
        assert_eq!(
            recent(&s, 10).unwrap()[0].closed_at,
            Some(now).map(|t| {
                crate::domain::time::parse_time(&crate::domain::time::fmt_time(t)).unwrap()
            })
        );
    }
}
