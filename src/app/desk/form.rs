//! The appeal form as the operator typed it, and its checks. The checks are
//! pure, so the screen runs them as the operator types and the use case runs
//! them again before anything is written.

use crate::domain::appeal::{AppealKind, Channel, Citizen, Outcome, OutcomeError};
use crate::domain::event::Control;
use crate::domain::iin::IinError;
use crate::domain::phone::PhoneError;
use crate::domain::text::TextError;
use crate::domain::{
    AppealText, Catalogue, CategoryId, Iin, Lang, PersonName, Phone, ShortText, sanitize_line,
};
use chrono::NaiveDate;
use uuid::Uuid;

/// The fields of the appeal form, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct AppealInput {
    pub name: String,
    pub iin: String,
    pub phone: String,
    pub settlement: String,
    pub workplace: String,
    pub category: CategoryId,
    pub kind: AppealKind,
    pub channel: Channel,
    pub text: String,
    /// Officials picked from the config's list, and others typed in.
    pub heard_by: Vec<String>,
    pub heard_by_other: String,
    pub consent: bool,
    pub outcome: Outcome,
    pub redirected_to: String,
    pub under_control: bool,
    pub responsible: String,
    /// As typed: `DD.MM.YYYY` or `YYYY-MM-DD`.
    pub deadline: String,
    /// The ticket being served, when the appeal came through the queue.
    pub ticket_id: Option<Uuid>,
    pub lang: Lang,
}

impl AppealInput {
    pub fn new(category: CategoryId, lang: Lang) -> Self {
        AppealInput {
            name: String::new(),
            iin: String::new(),
            phone: String::new(),
            settlement: String::new(),
            workplace: String::new(),
            category,
            kind: AppealKind::Request,
            channel: Channel::WalkIn,
            text: String::new(),
            heard_by: Vec::new(),
            heard_by_other: String::new(),
            consent: false,
            outcome: Outcome::Registered,
            redirected_to: String::new(),
            under_control: false,
            responsible: String::new(),
            deadline: String::new(),
            ticket_id: None,
            lang,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Iin,
    Phone,
    Settlement,
    Workplace,
    Category,
    Kind,
    Channel,
    Text,
    HeardBy,
    Consent,
    Outcome,
    RedirectedTo,
    Responsible,
    Deadline,
}

/// Why a field is refused; the screen turns it into a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    Iin(IinError),
    Phone(PhoneError),
    /// Personal data typed without consent to keep it.
    NeedsConsent,
    /// Not a date the operator can mean.
    BadDate,
    DateInPast,
    /// In campaign mode only proposals for the programme are taken.
    CampaignMode,
    UnknownCategory,
    /// The outcome cannot be set when an appeal is recorded.
    BadOutcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid {
    pub field: Field,
    pub problem: Problem,
}

/// An appeal that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidAppeal {
    pub kind: AppealKind,
    pub channel: Channel,
    pub category: CategoryId,
    pub citizen: Option<Citizen>,
    pub consent: bool,
    pub text: AppealText,
    pub heard_by: Vec<PersonName>,
    pub outcome: Outcome,
    pub redirected_to: Option<ShortText>,
    pub control: Option<Control>,
    pub ticket_id: Option<Uuid>,
    pub lang: Lang,
}

fn text_problem(e: TextError) -> Problem {
    match e {
        TextError::Empty => Problem::Required,
        TextError::TooLong { max, .. } => Problem::TooLong { max },
    }
}

/// Accepts `02.03.2026`, `2.3.2026` and `2026-03-02`.
pub fn parse_date(typed: &str) -> Option<NaiveDate> {
    let t = typed.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(d);
    }
    let mut parts = t.split(['.', '/']);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// How the screen shows a date: `02.03.2026`, as people in Kazakhstan write it.
pub fn show_date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The IIN check alone, for the message shown while it is typed.
pub fn check_iin(typed: &str) -> Option<Problem> {
    if typed.trim().is_empty() {
        return None;
    }
    Iin::parse(typed).err().map(Problem::Iin)
}

pub fn check_phone(typed: &str) -> Option<Problem> {
    if typed.trim().is_empty() {
        return None;
    }
    Phone::parse(typed).err().map(Problem::Phone)
}

/// Checks everything; every mistake is reported, not just the first.
pub fn validate(
    input: &AppealInput,
    catalogue: &Catalogue,
    campaign_mode: bool,
    today: NaiveDate,
) -> Result<ValidAppeal, Vec<Invalid>> {
    let mut bad = Vec::new();
    let mut flag = |field, problem| bad.push(Invalid { field, problem });

    let optional_short = |s: &str| -> Result<Option<ShortText>, Problem> {
        if sanitize_line(s).is_empty() {
            Ok(None)
        } else {
            ShortText::parse(s).map(Some).map_err(text_problem)
        }
    };

    // the citizen: nothing personal is kept without consent
    let personal_typed = [
        &input.name,
        &input.iin,
        &input.phone,
        &input.settlement,
        &input.workplace,
    ]
    .iter()
    .any(|s| !sanitize_line(s).is_empty());
    let mut citizen = None;
    if input.consent {
        let name = PersonName::parse(&input.name).map_err(text_problem);
        let iin = if input.iin.trim().is_empty() {
            Ok(None)
        } else {
            Iin::parse(&input.iin).map(Some).map_err(Problem::Iin)
        };
        let phone = if input.phone.trim().is_empty() {
            Ok(None)
        } else {
            Phone::parse(&input.phone).map(Some).map_err(Problem::Phone)
        };
        let settlement = optional_short(&input.settlement);
        let workplace = optional_short(&input.workplace);
        match (name, iin, phone, settlement, workplace) {
            (Ok(name), Ok(iin), Ok(phone), Ok(settlement), Ok(workplace)) => {
                citizen = Some(Citizen {
                    name,
                    iin,
                    phone,
                    settlement,
                    workplace,
                })
            }
            (name, iin, phone, settlement, workplace) => {
                for (field, r) in [
                    (Field::Name, name.err()),
                    (Field::Iin, iin.err()),
                    (Field::Phone, phone.err()),
                    (Field::Settlement, settlement.err()),
                    (Field::Workplace, workplace.err()),
                ] {
                    if let Some(p) = r {
                        flag(field, p);
                    }
                }
            }
        }
    } else {
        // a wrong IIN is still pointed out, even before consent is ticked
        if let Some(p) = check_iin(&input.iin) {
            flag(Field::Iin, p);
        }
        if personal_typed {
            flag(Field::Consent, Problem::NeedsConsent);
        }
    }

    let category = catalogue.get(&input.category);
    match category {
        None => flag(Field::Category, Problem::UnknownCategory),
        Some(c) if campaign_mode && !c.programme => flag(Field::Category, Problem::CampaignMode),
        Some(_) => {}
    }
    if campaign_mode && input.kind != AppealKind::Proposal {
        flag(Field::Kind, Problem::CampaignMode);
    }

    let text = AppealText::parse(&input.text).map_err(text_problem);
    if let Err(p) = &text {
        flag(Field::Text, *p);
    }

    let mut heard_by = Vec::new();
    let others: Vec<String> = input
        .heard_by_other
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    for name in input.heard_by.iter().chain(&others) {
        match PersonName::parse(name) {
            Ok(n) if !heard_by.contains(&n) => heard_by.push(n),
            Ok(_) => {}
            Err(e) => flag(Field::HeardBy, text_problem(e)),
        }
    }

    let redirected_to = match optional_short(&input.redirected_to) {
        Ok(b) => b.filter(|_| input.outcome == Outcome::Redirected),
        Err(p) => {
            flag(Field::RedirectedTo, p);
            None
        }
    };
    if input.outcome != Outcome::Registered {
        match Outcome::Registered.change_to(input.outcome, redirected_to.as_ref()) {
            Ok(_) => {}
            Err(OutcomeError::MissingBody) => flag(Field::RedirectedTo, Problem::Required),
            Err(OutcomeError::Illegal { .. }) => flag(Field::Outcome, Problem::BadOutcome),
        }
    }

    let mut control = None;
    if input.under_control {
        let responsible = PersonName::parse(&input.responsible).map_err(text_problem);
        let deadline = match parse_date(&input.deadline) {
            None => Err(Problem::BadDate),
            Some(d) if d < today => Err(Problem::DateInPast),
            Some(d) => Ok(d),
        };
        match (responsible, deadline) {
            (Ok(responsible), Ok(deadline)) => {
                control = Some(Control {
                    responsible,
                    deadline,
                })
            }
            (r, d) => {
                if let Err(p) = r {
                    flag(Field::Responsible, p);
                }
                if let Err(p) = d {
                    flag(Field::Deadline, p);
                }
            }
        }
    }

    if !bad.is_empty() {
        return Err(bad);
    }
    Ok(ValidAppeal {
        kind: input.kind,
        channel: input.channel,
        category: input.category.clone(),
        citizen,
        consent: input.consent,
        text: text.expect("checked above"),
        heard_by,
        outcome: input.outcome,
        redirected_to,
        control,
        ticket_id: input.ticket_id,
        lang: input.lang,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    fn filled() -> AppealInput {
        let mut i = AppealInput::new(CategoryId::new("housing"), Lang::Ru);
        i.name = "Серік Жұмабаев".into();
        i.iin = "791028302728".into();
        i.phone = "8 701 123 45 67".into();
        i.consent = true;
        i.text = "Очередь на жильё\nс 2015 года".into();
        i
    }

    fn problems(i: &AppealInput, campaign: bool) -> Vec<(Field, Problem)> {
        match validate(i, Catalogue::builtin(), campaign, today()) {
            Ok(_) => vec![],
            Err(v) => v.into_iter().map(|x| (x.field, x.problem)).collect(),
        }
    }

    #[test]
    fn a_filled_form_passes() {
        let v = validate(&filled(), Catalogue::builtin(), false, today()).unwrap();
        let c = v.citizen.unwrap();
        assert_eq!(c.iin.unwrap().as_str(), "791028302728");
        assert_eq!(c.phone.unwrap().as_str(), "+77011234567");
        assert_eq!(v.text.as_str(), "Очередь на жильё\nс 2015 года");
    }

    #[test]
    fn wrong_iin_is_named() {
        let mut i = filled();
        i.iin = "791028302729".into();
        assert_eq!(
            problems(&i, false),
            [(Field::Iin, Problem::Iin(IinError::BadCheckDigit))]
        );
        assert_eq!(
            check_iin("7910"),
            Some(Problem::Iin(IinError::WrongLength(4)))
        );
        assert_eq!(check_iin(""), None);
        // even without consent
        i.consent = false;
        assert!(problems(&i, false).contains(&(Field::Iin, Problem::Iin(IinError::BadCheckDigit))));
    }

    #[test]
    fn personal_data_needs_consent() {
        let mut i = filled();
        i.consent = false;
        assert_eq!(
            problems(&i, false),
            [(Field::Consent, Problem::NeedsConsent)]
        );
        let mut anon = AppealInput::new(CategoryId::new("roads"), Lang::Kk);
        anon.text = "Жол жөндеу".into();
        let v = validate(&anon, Catalogue::builtin(), false, today()).unwrap();
        assert!(v.citizen.is_none() && !v.consent);
        anon.consent = true;
        assert_eq!(problems(&anon, false), [(Field::Name, Problem::Required)]);
    }

    #[test]
    fn control_needs_responsible_and_a_future_deadline() {
        let mut i = filled();
        i.under_control = true;
        i.deadline = "30.02.2026".into();
        assert_eq!(
            problems(&i, false),
            [
                (Field::Responsible, Problem::Required),
                (Field::Deadline, Problem::BadDate)
            ]
        );
        i.responsible = "Жилищный отдел".into();
        i.deadline = "01.03.2026".into();
        assert_eq!(
            problems(&i, false),
            [(Field::Deadline, Problem::DateInPast)]
        );
        i.deadline = "23.03.2026".into();
        let v = validate(&i, Catalogue::builtin(), false, today()).unwrap();
        assert_eq!(
            v.control.unwrap().deadline,
            NaiveDate::from_ymd_opt(2026, 3, 23).unwrap()
        );
    }

    #[test]
    fn redirect_names_the_body() {
        let mut i = filled();
        i.outcome = Outcome::Redirected;
        assert_eq!(
            problems(&i, false),
            [(Field::RedirectedTo, Problem::Required)]
        );
        i.redirected_to = "Акимат района".into();
        assert!(problems(&i, false).is_empty());
    }

    #[test]
    fn campaign_mode_takes_only_programme_proposals() {
        let i = filled();
        assert_eq!(
            problems(&i, true),
            [
                (Field::Category, Problem::CampaignMode),
                (Field::Kind, Problem::CampaignMode)
            ]
        );
        let mut p = filled();
        p.category = CategoryId::new("programme");
        p.kind = AppealKind::Proposal;
        assert!(problems(&p, true).is_empty());
    }

    #[test]
    fn heard_by_joins_list_and_free_text() {
        let mut i = filled();
        i.heard_by = vec!["Депутат Серік Ахметов".into()];
        i.heard_by_other = "Аким села; Депутат Серік Ахметов, ".into();
        let v = validate(&i, Catalogue::builtin(), false, today()).unwrap();
        let names: Vec<&str> = v.heard_by.iter().map(|n| n.as_str()).collect();
        assert_eq!(names, ["Депутат Серік Ахметов", "Аким села"]);
    }

    #[test]
    fn dates_as_people_type_them() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(parse_date("02.03.2026"), Some(d));
        assert_eq!(parse_date("2.3.2026"), Some(d));
        assert_eq!(parse_date(" 2026-03-02 "), Some(d));
        assert_eq!(parse_date("2.3.26"), None);
        assert_eq!(parse_date("32.01.2026"), None);
        assert_eq!(show_date(d), "02.03.2026");
    }
}
