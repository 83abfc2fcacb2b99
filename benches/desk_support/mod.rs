//! A point with 100,000 appeals for the desk benchmarks, built once and kept
//! under `target/` (building it takes a while; the file is reused when it
//! is already there).
#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use qabyldau::app::Context;
use qabyldau::config::Config;
use qabyldau::domain::event::{AppealRecorded, Control, EventBody};
use qabyldau::domain::personal::Personal;
use qabyldau::domain::{
    Actor, AppealKind, AppealNo, AppealText, CategoryId, Channel, Citizen, Iin, Lang, Outcome,
    PersonName, Phone, ShortText,
};
use qabyldau::store::Store;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use uuid::Uuid;

pub const APPEALS: u32 = 100_000;

pub const CONFIG: &str = r#"
[point]
id = "bench-point"
name = "Bench"
kind = "office"
region = "Ақмола облысы"
officials = ["Депутат Серік Ахметов", "Жилищный отдел: Айгерим Нұрланқызы"]

[[desk]]
number = 1

[[desk]]
number = 2
"#;

pub fn ctx() -> Context {
    Context::new(Config::parse(CONFIG, Path::new("bench.toml")).unwrap())
}

/// "Now" for the benchmarks: 10:00 in Almaty, Monday 2 March 2026.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap()
}

const FIRST: &[&str] = &[
    "Серік",
    "Айгүл",
    "Болат",
    "Гүлнар",
    "Нұрлан",
    "Әлия",
    "Ерлан",
    "Жанар",
    "Қайрат",
    "Мәдина",
    "Иван",
    "Ольга",
    "Сергей",
    "Наталья",
    "Виктор",
    "Елена",
    "Дмитрий",
    "Татьяна",
    "Асхат",
    "Салтанат",
];
const LAST: &[&str] = &[
    "Жұмабаев",
    "Сәрсенова",
    "Ахметов",
    "Нұрланқызы",
    "Оспанов",
    "Қасымова",
    "Тоқтаров",
    "Бекова",
    "Иванов",
    "Петрова",
    "Ким",
    "Шевченко",
    "Мұқанов",
    "Әбілова",
    "Серікбаев",
    "Омарова",
];
const PLACES: &[&str] = &[
    "Көкшетау",
    "Степногорск",
    "Щучинск",
    "Жаңажол ауылы",
    "Ақкөл",
    "Макинск",
    "Есіл",
    "Атбасар",
];
const WORK: &[&str] = &[
    "Локомотивное депо",
    "Подшипниковый завод",
    "Птицефабрика",
    "Фабрика сумок",
    "Школа №3",
    "Аудандық аурухана",
    "ЖЭО",
    "Элеватор",
];
const TEXTS: &[&str] = &[
    "В квартире холодно, батареи едва тёплые с октября",
    "Пәтерде суық, жылу жоқ, балалар ауырып жатыр",
    "Стою в очереди на жильё с 2015 года, сирота",
    "Тұрғын үй кезегінде он жылдан бері тұрмын",
    "Из крана идёт ржавая вода, анализы не проводились",
    "Ауыз су сапасы нашар, су лай болып ағады",
    "Задерживают зарплату третий месяц",
    "Жалақы үш айдан бері берілмей жатыр",
    "Дорога к посёлку разбита, скорая не может проехать",
    "Ауылға баратын жол жөндеуді қажет етеді",
    "Прошу помочь с путёвкой в санаторий для ребёнка-инвалида",
    "Мүгедек балаға көмек сұраймын",
    "Предлагаю построить новую котельную в микрорайоне",
    "Жаңа жылу орталығын салуды ұсынамын",
    "Нет света по вечерам, трансформатор перегружен",
    "Благодарю депутатов за ремонт крыши",
];
const CATEGORIES: &[&str] = &[
    "housing",
    "utilities",
    "labour",
    "social",
    "health",
    "education",
    "roads",
    "land",
    "legal",
    "programme",
    "other",
];

/// A valid IIN for a birth date and serial (the check digit computed).
fn iin(rng: &mut StdRng) -> Option<Iin> {
    for _ in 0..20 {
        let y = rng.random_range(50..99);
        let m = rng.random_range(1..13);
        let d = rng.random_range(1..29);
        let sex = rng.random_range(3..5);
        let serial = rng.random_range(0..10000);
        let base = format!("{y:02}{m:02}{d:02}{sex}{serial:04}");
        let digits: Vec<u32> = base.bytes().map(|b| u32::from(b - b'0')).collect();
        let c1: u32 = digits
            .iter()
            .enumerate()
            .map(|(i, d)| d * (i as u32 + 1))
            .sum::<u32>()
            % 11;
        let c = if c1 == 10 {
            let w = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
            digits.iter().zip(w).map(|(d, w)| d * w).sum::<u32>() % 11
        } else {
            c1
        };
        if c < 10 {
            return Iin::parse(&format!("{base}{c}")).ok();
        }
    }
    None
}

fn appeal(rng: &mut StdRng, n: u32, at: DateTime<Utc>) -> AppealRecorded {
    let name = format!(
        "{} {}",
        LAST[rng.random_range(0..LAST.len())],
        FIRST[rng.random_range(0..FIRST.len())]
    );
    let consent = rng.random_bool(0.9);
    let citizen = consent.then(|| Citizen {
        name: PersonName::parse(&name).unwrap(),
        iin: if rng.random_bool(0.5) { iin(rng) } else { None },
        phone: Phone::parse(&format!("8701{:07}", rng.random_range(0..10_000_000))).ok(),
        settlement: Some(ShortText::parse(PLACES[rng.random_range(0..PLACES.len())]).unwrap()),
        workplace: Some(ShortText::parse(WORK[rng.random_range(0..WORK.len())]).unwrap()),
    });
    let text = format!(
        "{}. {}",
        TEXTS[rng.random_range(0..TEXTS.len())],
        TEXTS[rng.random_range(0..TEXTS.len())]
    );
    let outcome = Outcome::ALL[rng.random_range(0..Outcome::ALL.len())];
    let control =
        (outcome == Outcome::UnderConsideration && rng.random_bool(0.2)).then(|| Control {
            responsible: PersonName::parse("Отдел ЖКХ").unwrap(),
            deadline: (at + Duration::days(rng.random_range(5..40))).date_naive(),
        });
    AppealRecorded {
        appeal_id: Uuid::now_v7(),
        number: AppealNo {
            year: 2026,
            number: n,
        },
        kind: AppealKind::ALL[rng.random_range(0..AppealKind::ALL.len())],
        channel: Channel::ALL[rng.random_range(0..Channel::ALL.len())],
        category: CategoryId::new(CATEGORIES[rng.random_range(0..CATEGORIES.len())]),
        citizen: citizen.map(Personal::Clear),
        consent,
        text: Personal::Clear(AppealText::parse(&text).unwrap()),
        subject: None,
        heard_by: vec![],
        ticket_id: None,
        session_id: None,
        desk: Some(1),
        lang: if rng.random_bool(0.5) {
            Lang::Kk
        } else {
            Lang::Ru
        },
        redirected_to: (outcome == Outcome::Redirected)
            .then(|| ShortText::parse("Акимат района").unwrap()),
        outcome,
        control,
    }
}

/// The path of a database holding `APPEALS` appeals, made if missing.
pub fn database() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("desk-{APPEALS}-v2.db"));
    if path.exists() {
        return path;
    }
    let tmp = dir.join("desk-building.db");
    let _ = std::fs::remove_file(&tmp);
    let ctx = ctx();
    let mut store = Store::open(&tmp, ctx.point_id()).unwrap();
    let mut rng = StdRng::seed_from_u64(2026);
    let started = std::time::Instant::now();
    let first = Utc.with_ymd_and_hms(2025, 3, 1, 5, 0, 0).unwrap();
    let step = (now() - first).num_seconds() / i64::from(APPEALS);
    let mut n = 0;
    while n < APPEALS {
        let batch_end = (n + 5000).min(APPEALS);
        let at = first + Duration::seconds(step * i64::from(n));
        store
            .write(
                &Actor::staff("aigul"),
                at,
                |w| -> qabyldau::store::Result<()> {
                    for k in n..batch_end {
                        let a = appeal(&mut rng, k + 1, at);
                        w.append(&EventBody::AppealRecorded(Box::new(a)))?;
                    }
                    Ok(())
                },
            )
            .unwrap();
        n = batch_end;
    }
    drop(store);
    std::fs::rename(&tmp, &path).unwrap();
    let _ = std::fs::remove_file(dir.join("desk-building.db-wal"));
    let _ = std::fs::remove_file(dir.join("desk-building.db-shm"));
    eprintln!(
        "built {} with {APPEALS} appeals in {:.1} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    path
}

/// A copy of the database to change (tickets, logins) without touching the
/// cached one.
pub fn working_copy() -> (tempfile::TempDir, Store) {
    let src = database();
    let dir = tempfile::tempdir().unwrap();
    let dst = dir.path().join("p.db");
    std::fs::copy(&src, &dst).unwrap();
    let store = Store::open(&dst, ctx().point_id()).unwrap();
    (dir, store)
}

/// p50 and p99 of `samples` (microseconds), as text.
pub fn percentiles(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let at = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    (at(0.50), at(0.99))
}
