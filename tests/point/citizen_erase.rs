//! A citizen's own data (issue 21): erased at their request, gone from the
//! bytes of the point's files, every figure unchanged, the other citizens'
//! repeated appeals still marked.

use crate::support::TempPoint;

const PERIOD: [&str; 4] = ["--from", "2000-01-01", "--to", "2100-12-31"];

/// The citizen who asks to be forgotten, and the forms of them the
/// point's files could hold: as typed, lower-cased, folded to Russian
/// look-alikes and in the Kazakh Latin alphabet (the search index keeps
/// those), the IIN, the phone in its ten digits.
const NAME: &str = "Тұрсынбекова Әлия";
const IIN: &str = "850315401231";
const PHONE: &str = "+7 701 765 43 21";
const TRACES: [&str; 7] = [
    "Тұрсынбекова",
    "тұрсынбекова",
    "турсынбекова",
    "tursynbekova",
    "850315401231",
    "7017654321",
    "Жаңаталап",
];

/// Every file of the point's database on disk, read whole.
fn db_bytes(point: &TempPoint) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let path = format!("{}{suffix}", point.db.display());
        if let Ok(b) = std::fs::read(&path) {
            out.push((path, b));
        }
    }
    out
}

fn traces_in(point: &TempPoint) -> Vec<String> {
    let mut found = Vec::new();
    for (path, bytes) in db_bytes(point) {
        for t in TRACES {
            if bytes.windows(t.len()).any(|w| w == t.as_bytes()) {
                found.push(format!("{t:?} in {path}"));
            }
        }
    }
    found
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn leave(point: &TempPoint, name: &str, iin: Option<&str>, phone: &str, text: &str) {
    let settlement = if name == NAME {
        "Жаңаталап"
    } else {
        "Көкшетау"
    };
    let mut args = vec![
        "appeal",
        "--category",
        "housing",
        "--text",
        text,
        "--name",
        name,
        "--phone",
        phone,
        "--settlement",
        settlement,
    ];
    if let Some(i) = iin {
        args.extend(["--iin", i]);
    }
    ok(&point.run(&args));
}

fn appeals(point: &TempPoint) -> Vec<serde_json::Value> {
    point
        .json(&["appeals", "--json", "--limit", "100000"])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn an_erased_citizen_is_in_no_byte_of_the_point_and_every_figure_stays() {
    let point = TempPoint::new();
    ok(&point.run(&["demo", "--days", "8", "--seed", "4"]));
    leave(&point, NAME, Some(IIN), PHONE, "Үй кезегі туралы");
    // the same citizen again, known by the phone alone
    leave(&point, NAME, None, PHONE, "Тағы да үй кезегі");
    // someone else, twice: their second appeal is and stays repeated
    leave(
        &point,
        "Серік Бекмұратов",
        None,
        "87015550011",
        "Жол жөндеу",
    );
    leave(
        &point,
        "Серік Бекмұратов",
        None,
        "87015550011",
        "Жол жөндеу, екінші рет",
    );
    let report = |p: &TempPoint| p.json(&[&["report", "--format", "json"][..], &PERIOD].concat());
    // every figure but the count of erasures itself
    let figures = |mut r: serde_json::Value| {
        r.as_object_mut().unwrap().remove("erasures");
        r
    };
    let before = report(&point);
    assert_eq!(
        before["erasures"],
        serde_json::json!({"for_age": 0, "on_request": 0})
    );
    let mine: Vec<_> = appeals(&point)
        .into_iter()
        .filter(|a| a["citizen_phone"] == "+77017654321")
        .collect();
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().any(|a| a["repeated"] == true), "{mine:?}");
    // the negative control: before the erasure the point's files hold the
    // citizen (the tables and the search index the screens read)
    let held = traces_in(&point);
    assert!(
        held.iter().any(|t| t.contains("850315401231"))
            && held.iter().any(|t| t.contains("tursynbekova")),
        "{held:?}"
    );

    let out = point.run_with_stdin(
        &[
            "citizen",
            "erase",
            "--iin",
            IIN,
            "--login",
            "dana",
            "--reason",
            "өтініш № 17, 03.12.2026",
        ],
        "3333\n",
    );
    let said = ok(&out);
    assert!(said.contains("erased the citizen of 2 appeal(s)"), "{said}");

    let left = traces_in(&point);
    assert!(left.is_empty(), "still on disk after the erasure: {left:?}");
    let after_report = report(&point);
    assert_eq!(
        after_report["erasures"],
        serde_json::json!({"for_age": 0, "on_request": 2}),
        "the report counts what was erased, never whom"
    );
    assert_eq!(figures(after_report), figures(before), "every figure stays");

    let after = appeals(&point);
    let erased: Vec<_> = after
        .iter()
        .filter(|a| mine.iter().any(|m| m["id"] == a["id"]))
        .collect();
    assert_eq!(erased.len(), 2);
    for a in &erased {
        assert!(
            a["citizen_name"].is_null() && a["citizen_phone"].is_null(),
            "{a}"
        );
        assert!(!a["citizen_erased_at"].is_null(), "{a}");
        // the text stays unless the citizen asks
        assert!(!a["text"].as_str().unwrap().is_empty(), "{a}");
    }
    assert!(erased.iter().any(|a| a["repeated"] == true));
    let serik: Vec<_> = after
        .iter()
        .filter(|a| a["citizen_phone"] == "+77015550011")
        .collect();
    assert_eq!(serik.len(), 2);
    assert!(serik.iter().any(|a| a["repeated"] == true), "{serik:?}");
    // searching still finds the others, and no longer the erased one
    assert_eq!(
        point
            .json(&["appeals", "--json", "--search", "Бекмұратов"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(
        point
            .json(&["appeals", "--json", "--search", "Тұрсынбекова"])
            .as_array()
            .unwrap()
            .is_empty()
    );

    // the erasure is an event naming who and why, never whom
    let events = point.json(&["events", "--json"]);
    let erasure = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "citizen_erased")
        .expect("the erasure is an event");
    assert_eq!(erasure["actor"], "staff:dana");
    let text = erasure.to_string();
    assert!(text.contains("өтініш № 17"), "{text}");
    for t in TRACES {
        assert!(!text.contains(t), "{t} in {text}");
    }

    // an export made afterwards says so and holds none of it
    let export = point.run_with_stdin(
        &[
            &[
                "report",
                "--with-personal-data",
                "--login",
                "dana",
                "--format",
                "csv",
                "--lang",
                "ru",
            ][..],
            &PERIOD,
        ]
        .concat(),
        "3333\n",
    );
    let csv = ok(&export);
    assert!(csv.contains("персональные данные удалены"), "{csv}");
    let table = ok(&point.run(&[&["report", "--lang", "ru"][..], &PERIOD].concat()));
    let line = table
        .lines()
        .find(|l| l.contains("по заявлению гражданина (отзыв согласия)"))
        .unwrap_or_else(|| panic!("the report's count of erasures: {table}"));
    assert!(line.trim_end().ends_with(" 2"), "{line}");
    for t in TRACES {
        assert!(!csv.contains(t), "{t} in the export");
    }

    // who looked: the export held the citizen's appeals
    let n = &mine[0]["number"];
    let number = format!(
        "{}-{:05}",
        n["year"].as_i64().unwrap(),
        n["number"].as_u64().unwrap()
    );
    let listed = ok(&point.run_with_stdin(
        &["citizen", "looked", "--appeal", &number, "--login", "dana"],
        "3333\n",
    ));
    assert!(listed.contains("exported personal data (csv"), "{listed}");

    // asked again: nothing is left, and it says so
    let again = point.run_with_stdin(
        &[
            "citizen", "erase", "--iin", IIN, "--login", "dana", "--reason", "again",
        ],
        "3333\n",
    );
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("no appeal here names this citizen"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

#[test]
fn only_a_supervisor_erases_and_texts_go_only_when_asked() {
    let point = TempPoint::new();
    ok(&point.run(&["demo", "--days", "3", "--seed", "5"]));
    leave(&point, NAME, Some(IIN), PHONE, "Мәтін: Тұрсынбекова");
    let number = appeals(&point)
        .into_iter()
        .find(|a| a["citizen_iin"] == IIN)
        .unwrap()["number"]
        .clone();
    let number = format!(
        "{}-{:05}",
        number["year"].as_i64().unwrap(),
        number["number"].as_u64().unwrap()
    );
    // an operator may not; a wrong PIN may not; nothing changes
    for (login, pin) in [("aigerim", "1111"), ("dana", "0000")] {
        let out = point.run_with_stdin(
            &[
                "citizen", "erase", "--appeal", &number, "--login", login, "--reason", "r",
            ],
            &format!("{pin}\n"),
        );
        assert!(!out.status.success(), "{login}");
    }
    assert!(!traces_in(&point).is_empty());
    let said = ok(&point.run_with_stdin(
        &[
            "citizen", "erase", "--appeal", &number, "--texts", "--login", "dana", "--reason", "r",
        ],
        "3333\n",
    ));
    assert!(said.contains("and 1 text(s)"), "{said}");
    let a = appeals(&point)
        .into_iter()
        .find(|a| a["citizen_erased_at"].is_string())
        .unwrap();
    assert_eq!(a["text"], "");
    assert!(a["text_erased_at"].is_string());
    assert!(traces_in(&point).is_empty(), "{:?}", traces_in(&point));
}

/// The desk end to end: a supervisor finds the citizen, opens the card
/// (recorded: who looked), erases them with D, noting the request; the
/// database says so, and `citizen looked` lists the card opened.
#[test]
fn a_supervisor_erases_a_citizen_at_the_desk_and_who_looked_is_listed() {
    use crate::support::Pty;
    let point = TempPoint::new();
    let out = point.run_with_stdin(
        &[
            "staff",
            "add",
            "dana",
            "--name",
            "Дана Ержанова",
            "--role",
            "supervisor",
        ],
        "3333\n",
    );
    ok(&out);
    leave(&point, NAME, Some(IIN), PHONE, "Үй кезегі туралы");
    let number = appeals(&point)[0]["number"].clone();
    let number = format!(
        "{}-{:05}",
        number["year"].as_i64().unwrap(),
        number["number"].as_u64().unwrap()
    );

    let mut p = Pty::spawn(&point, &["desk", "--desk", "1", "--lang", "ru"], 80, 24);
    p.wait_for("Введите логин и PIN-код");
    p.send("dana\r3333\r");
    p.wait_for("Здравствуйте, Дана Ержанова");
    // F3: search, the name typed on a Russian keyboard finds the Kazakh one
    p.send("\x1bOR");
    p.send("Турсынбекова");
    p.wait_for(&number);
    p.enter();
    p.wait_for("Заявитель: Тұрсынбекова Әлия");
    p.send("d");
    p.wait_for("Удалить персональные данные заявителя");
    p.send("заявление № 17 от 04.12.2026");
    p.enter();
    p.wait_for("Персональные данные заявителя удалены.");
    p.wait_for("Заявитель: персональные данные удалены");
    p.ctrl('q');
    p.wait_for("Вы вышли из системы");
    p.esc();
    assert!(p.wait_exit(std::time::Duration::from_secs(10)).success());

    let a = &appeals(&point)[0];
    assert!(
        a["citizen_name"].is_null() && a["citizen_erased_at"].is_string(),
        "{a}"
    );
    assert!(traces_in(&point).is_empty(), "{:?}", traces_in(&point));
    let events = point.json(&["events", "--json"]);
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == "staff:dana")
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"personal_data_viewed"), "{kinds:?}");
    assert!(kinds.contains(&"citizen_erased"), "{kinds:?}");

    let listed = ok(&point.run_with_stdin(
        &["citizen", "looked", "--appeal", &number, "--login", "dana"],
        "3333\n",
    ));
    assert!(
        listed.contains("Дана Ержанова (dana)")
            && listed.contains(&format!("opened the card of {number}")),
        "{listed}"
    );
}

/// Backups (issue 19.2, as issue 21 needs them): a copy made after an
/// erasure holds nothing of the citizen; a copy made before brings them
/// back only as erased when it is restored; a damaged file or another
/// point's copy is refused and nothing is replaced.
#[test]
fn a_backup_older_than_an_erasure_restores_the_citizen_erased() {
    let point = TempPoint::new();
    ok(&point.run(&["demo", "--days", "3", "--seed", "6"]));
    leave(&point, NAME, Some(IIN), PHONE, "Үй кезегі туралы");
    let dir = point.path().join("copies");
    let copies = || {
        let mut v: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    };
    let said = ok(&point.run(&["backup", "--to", dir.to_str().unwrap()]));
    assert!(said.contains("checked"), "{said}");
    let older = copies().remove(0);
    let holds = |p: &std::path::Path| {
        let b = std::fs::read(p).unwrap();
        b.windows(IIN.len()).any(|w| w == IIN.as_bytes())
    };
    assert!(holds(&older), "the control: the copy holds the citizen");

    ok(&point.run_with_stdin(
        &[
            "citizen", "erase", "--iin", IIN, "--login", "dana", "--reason", "№ 17",
        ],
        "3333\n",
    ));
    std::thread::sleep(std::time::Duration::from_millis(5));
    ok(&point.run(&["backup", "--to", dir.to_str().unwrap()]));
    let newer = copies().pop().unwrap();
    assert_ne!(newer, older);
    assert!(
        !holds(&newer),
        "a copy made after the erasure holds nothing of them"
    );

    let events_before = point.json(&["events", "--json"]).as_array().unwrap().len();
    for bad in ["damaged.db", "other.db"] {
        let path = point.path().join(bad);
        if bad == "damaged.db" {
            std::fs::write(&path, b"SQLite format 3\0 and then nothing useful").unwrap();
        } else {
            let other = TempPoint::with_config(
                &std::fs::read_to_string(&point.config)
                    .unwrap()
                    .replace("id = \"", "id = \"other-"),
            );
            ok(&other.run(&["queue"]));
            std::fs::copy(&other.db, &path).unwrap();
        }
        let out = point.run(&["restore", path.to_str().unwrap()]);
        assert!(!out.status.success(), "{bad} was restored");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("nothing was replaced"), "{said}");
        assert_eq!(
            point.json(&["events", "--json"]).as_array().unwrap().len(),
            events_before,
            "{bad}: the database is as it was"
        );
    }

    let said = ok(&point.run(&["restore", older.to_str().unwrap()]));
    assert!(
        said.contains("1 erasure(s) of a citizen among them were made again"),
        "{said}"
    );
    assert!(said.contains("kept as"), "{said}");
    let mine: Vec<_> = appeals(&point)
        .into_iter()
        .filter(|a| a["citizen_erased_at"].is_string())
        .collect();
    assert_eq!(
        mine.len(),
        1,
        "the citizen is erased in the restored database"
    );
    assert!(traces_in(&point).is_empty(), "{:?}", traces_in(&point));
    let aside = std::fs::read_dir(point.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains(".replaced-"));
    assert!(aside, "the replaced database is kept aside");
}
