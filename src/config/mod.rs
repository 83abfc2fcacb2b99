//! The point's configuration file (TOML) and where files live.

use crate::domain::event::DeskNo;
use crate::domain::hours::{Hours, Span};
use crate::domain::{CategoryId, Lang, PointId, PointKind};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub point: PointConfig,
    #[serde(default = "default_desks", rename = "desk")]
    pub desks: Vec<DeskConfig>,
    #[serde(default)]
    pub kiosk: KioskConfig,
    #[serde(default)]
    pub queue: QueueConfig,
    #[serde(default)]
    pub board: BoardConfig,
    /// Opening hours; without them the point never closes its queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<HoursConfig>,
    #[serde(default)]
    pub ui: UiConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<ServerLink>,
    /// The receipt printer of this machine (kiosk or desk); none: nothing
    /// is printed and the number is shown on screen only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printer: Option<PrinterConfig>,
    #[serde(default)]
    pub retention: RetentionConfig,
}

/// `[retention]`: how long a citizen's personal data is kept once their
/// appeals are closed (the law: no longer than its purpose needs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionConfig {
    /// Years after the last of a citizen's appeals was closed; then any
    /// running screen erases their personal data (once a day), as does
    /// `qabyldau citizen erase --expired`.
    #[serde(default = "default_retention_years")]
    pub years: u32,
}

fn default_retention_years() -> u32 {
    5
}

impl Default for RetentionConfig {
    fn default() -> Self {
        RetentionConfig {
            years: default_retention_years(),
        }
    }
}

/// `[hours]`: each weekday's opening ("09:00-18:00"; a day left out is
/// closed) and when the kiosk stops giving tickets. Days off come from the
/// holiday calendar (`assets/holidays.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursConfig {
    #[serde(default)]
    pub mon: Option<Span>,
    #[serde(default)]
    pub tue: Option<Span>,
    #[serde(default)]
    pub wed: Option<Span>,
    #[serde(default)]
    pub thu: Option<Span>,
    #[serde(default)]
    pub fri: Option<Span>,
    #[serde(default)]
    pub sat: Option<Span>,
    #[serde(default)]
    pub sun: Option<Span>,
    /// Minutes before closing when the kiosk gives its last ticket.
    #[serde(default = "default_stop_tickets")]
    pub stop_tickets_before_close_minutes: u32,
}

impl HoursConfig {
    pub fn hours(&self) -> Hours {
        Hours {
            week: [
                self.mon, self.tue, self.wed, self.thu, self.fri, self.sat, self.sun,
            ],
            stop_tickets_before: chrono::Duration::minutes(i64::from(
                self.stop_tickets_before_close_minutes,
            )),
        }
    }
}

fn default_stop_tickets() -> u32 {
    15
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointConfig {
    pub id: PointId,
    pub name: String,
    pub kind: PointKind,
    pub region: String,
    #[serde(default = "default_tz")]
    pub timezone: Tz,
    /// Deputies and officials who hear appeals here, offered in the desk's form.
    #[serde(default)]
    pub officials: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeskConfig {
    pub number: DeskNo,
    #[serde(default)]
    pub name: String,
    /// Categories this desk serves; empty means all.
    #[serde(default)]
    pub categories: Vec<CategoryId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskConfig {
    #[serde(default = "all_langs")]
    pub languages: Vec<Lang>,
    /// Seconds without a key or a touch before the kiosk forgets a
    /// half-filled form and returns to the welcome screen.
    #[serde(default = "default_idle")]
    pub idle_timeout_secs: u64,
    #[serde(default)]
    pub campaign_mode: bool,
    /// A touch screen with no keyboard: the written appeal's fields get an
    /// on-screen keyboard.
    #[serde(default)]
    pub touch: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueConfig {
    /// Minutes an ordinary ticket may wait before it goes ahead of newer
    /// priority tickets, and before it is marked as waiting too long.
    #[serde(default = "default_wait_limit")]
    pub wait_limit_minutes: u32,
    /// A topic's own waiting limit (`legal = 15`); a topic left out has
    /// `wait_limit_minutes`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub wait_limits: BTreeMap<CategoryId, u32>,
    /// Service time assumed for the wait estimate until the day has its own.
    #[serde(default = "default_service_minutes")]
    pub default_service_minutes: u32,
    /// Tickets a day per topic (`housing = 40`); a topic left out has none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub daily_ticket_limits: BTreeMap<CategoryId, u32>,
}

/// The live queue board in the hall and in the supervisor's office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardConfig {
    /// Seconds each language stays on a hall board before the next one of
    /// `[kiosk] languages` takes over (a mixed hall); 0 keeps one language.
    #[serde(default)]
    pub rotate_languages_secs: u64,
    /// Ring the terminal bell when a ticket is called.
    #[serde(default = "default_true")]
    pub bell: bool,
    /// Seconds the latest call stays highlighted.
    #[serde(default = "default_highlight")]
    pub highlight_secs: u64,
    /// Say each call aloud: a chime, then the call in each of
    /// `spoken_languages` in turn (`src/sound/`).
    #[serde(default)]
    pub spoken_calls: bool,
    /// The languages of a spoken call, in order; empty: `[kiosk] languages`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spoken_languages: Vec<Lang>,
    /// A folder of the office's own recordings (`kk/desk.wav`, ...) that
    /// replace the built-in clips of the same name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sounds_dir: Option<PathBuf>,
    /// The program (and its arguments) that plays a WAV from its standard
    /// input; empty: the first of pw-play, paplay, aplay, play found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sound_player: Vec<String>,
}

impl BoardConfig {
    /// The languages a call is said in.
    pub fn spoken_languages<'a>(&'a self, kiosk: &'a KioskConfig) -> &'a [Lang] {
        if self.spoken_languages.is_empty() {
            &kiosk.languages
        } else {
            &self.spoken_languages
        }
    }
}

/// How every screen of the point looks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiConfig {
    #[serde(default)]
    pub theme: ThemeName,
}

/// The colour palette of the screens (`ui::kit::theme`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeName {
    /// The basic sixteen colours, as the Linux console shows them.
    #[default]
    Standard,
    /// No grey or dark text, bright colours and bold: bright halls, weak eyes.
    HighContrast,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerLink {
    pub url: String,
    pub token: String,
}

/// An ESC/POS thermal receipt printer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrinterConfig {
    /// `tcp://HOST:PORT` (raw printing, port 9100) or `file:/dev/usb/lp0`
    /// (a USB or serial device).
    pub url: String,
    /// 58 or 80.
    #[serde(default = "default_width_mm")]
    pub width_mm: u32,
    /// A PNG printed at the top, scaled down to the paper's width.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<PathBuf>,
    /// Ask the printer's status (DLE EOT) before and after each print.
    /// Only for a printer that cannot answer: false.
    #[serde(default = "default_true")]
    pub status: bool,
}

impl PrinterConfig {
    pub fn address(&self) -> Result<crate::print::PrinterUrl, String> {
        self.url.parse()
    }

    pub fn paper(&self) -> Option<crate::print::PaperWidth> {
        crate::print::PaperWidth::from_mm(self.width_mm)
    }
}

fn default_width_mm() -> u32 {
    58
}

fn default_tz() -> Tz {
    chrono_tz::Asia::Almaty
}
fn all_langs() -> Vec<Lang> {
    Lang::ALL.to_vec()
}
fn default_idle() -> u64 {
    90
}
fn default_wait_limit() -> u32 {
    30
}
fn default_service_minutes() -> u32 {
    10
}
fn default_true() -> bool {
    true
}
fn default_highlight() -> u64 {
    10
}
fn default_desks() -> Vec<DeskConfig> {
    vec![DeskConfig {
        number: 1,
        name: String::new(),
        categories: vec![],
    }]
}

impl Default for KioskConfig {
    fn default() -> Self {
        KioskConfig {
            languages: all_langs(),
            idle_timeout_secs: default_idle(),
            campaign_mode: false,
            touch: false,
        }
    }
}

impl Default for BoardConfig {
    fn default() -> Self {
        BoardConfig {
            rotate_languages_secs: 0,
            bell: default_true(),
            highlight_secs: default_highlight(),
            spoken_calls: false,
            spoken_languages: Vec::new(),
            sounds_dir: None,
            sound_player: Vec::new(),
        }
    }
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            wait_limit_minutes: default_wait_limit(),
            default_service_minutes: default_service_minutes(),
            daily_ticket_limits: BTreeMap::new(),
            wait_limits: BTreeMap::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "config file {path} does not exist: `qabyldau config init {path}` writes a commented one there, or leave out --config (and QABYLDAU_CONFIG) to use the default one, created on first run"
    )]
    Missing { path: PathBuf },
    #[error("config file {path}: cannot read it")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("config file {path}: cannot write it")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A starting configuration written on first run; the comments tell an
/// administrator what to change.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.default.toml");

impl Config {
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: path.to_path_buf(),
            message: describe_toml_error(text, &e),
        })?;
        config.validate().map_err(|message| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        })?;
        Ok(config)
    }

    /// Reads the file. A missing file is created with the defaults only when
    /// `create_if_missing` (the default location); a path the user named
    /// must exist.
    pub fn load(path: &Path, create_if_missing: bool) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create_if_missing => {
                write_default(path)?;
                Config::parse(DEFAULT_CONFIG, path)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ConfigError::Missing {
                path: path.to_path_buf(),
            }),
            Err(source) => Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    fn validate(&self) -> Result<(), String> {
        if !(1..=75).contains(&self.retention.years) {
            return Err(format!(
                "[retention] years = {}: give 1 to 75 years",
                self.retention.years
            ));
        }
        if self.desks.is_empty() {
            return Err("at least one [[desk]] is needed".into());
        }
        let mut numbers: Vec<DeskNo> = self.desks.iter().map(|d| d.number).collect();
        numbers.sort_unstable();
        if numbers.windows(2).any(|w| w[0] == w[1]) {
            return Err("two [[desk]] entries have the same number".into());
        }
        if numbers[0] == 0 {
            return Err("desk numbers start at 1".into());
        }
        let catalogue = crate::domain::Catalogue::builtin();
        for desk in &self.desks {
            if let Some(bad) = desk.categories.iter().find(|c| catalogue.get(c).is_none()) {
                return Err(format!("desk {}: unknown category {bad:?}", desk.number));
            }
        }
        if let Some(bad) = self
            .queue
            .daily_ticket_limits
            .keys()
            .find(|c| catalogue.get(c).is_none())
        {
            return Err(format!(
                "[queue] daily_ticket_limits: unknown category {bad:?}"
            ));
        }
        if let Some(bad) = self
            .queue
            .wait_limits
            .keys()
            .find(|c| catalogue.get(c).is_none())
        {
            return Err(format!("[queue] wait_limits: unknown category {bad:?}"));
        }
        if self.kiosk.languages.is_empty() {
            return Err("[kiosk] languages: name at least one of \"kk\", \"ru\", \"en\"".into());
        }
        if self.kiosk.idle_timeout_secs < 10 {
            return Err("[kiosk] idle_timeout_secs: at least 10 seconds".into());
        }
        if let Some(p) = &self.printer {
            p.address().map_err(|e| format!("[printer] url: {e}"))?;
            if p.paper().is_none() {
                return Err(format!(
                    "[printer] width_mm: receipt paper is 58 or 80 mm wide, not {}",
                    p.width_mm
                ));
            }
            if p.logo.as_ref().is_some_and(|l| l.as_os_str().is_empty()) {
                return Err("[printer] logo: name a PNG file, or leave logo out".into());
            }
        }
        Ok(())
    }

    pub fn desk(&self, number: DeskNo) -> Option<&DeskConfig> {
        self.desks.iter().find(|d| d.number == number)
    }
}

/// Writes the commented default config at `path` for an administrator to
/// fill in (`qabyldau config init`); an existing file is never replaced.
pub fn init(path: &Path) -> Result<(), ConfigError> {
    let err = |source| ConfigError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(err)?;
    file.write_all(DEFAULT_CONFIG.as_bytes()).map_err(err)?;
    file.sync_all().map_err(err)
}

fn write_default(path: &Path) -> Result<(), ConfigError> {
    let err = |source| ConfigError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    std::fs::write(path, DEFAULT_CONFIG).map_err(err)
}

/// "line 4, column 8: unknown variant `factory`, expected one of ...".
fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

/// Where the database and the config live unless `--db` / `--config` say otherwise.
#[derive(Debug, Clone)]
pub struct Paths {
    pub db: PathBuf,
    pub config: PathBuf,
    /// True when the config path is the default one (and may be created).
    pub config_is_default: bool,
    /// The database may be made if it is not there: at the default place,
    /// or when asked (`--create`, `demo`). A `--db` path that names no
    /// file is otherwise refused: a typo must not start a second, empty
    /// point.
    pub db_may_be_created: bool,
    pub log_dir: PathBuf,
}

impl Paths {
    pub fn resolve(
        db: Option<PathBuf>,
        config: Option<PathBuf>,
        create: bool,
    ) -> anyhow::Result<Paths> {
        let dirs = directories::ProjectDirs::from("kz", "qabyldau", "qabyldau");
        let data_dir = || -> anyhow::Result<PathBuf> {
            Ok(dirs
                .as_ref()
                .ok_or_else(|| anyhow::anyhow!("no home folder: give --db and --config"))?
                .data_dir()
                .to_path_buf())
        };
        let db_may_be_created = create || db.is_none();
        let db = match db {
            Some(p) => p,
            None => data_dir()?.join("qabyldau.db"),
        };
        let config_is_default = config.is_none();
        let config = match config {
            Some(p) => p,
            None => dirs
                .as_ref()
                .ok_or_else(|| anyhow::anyhow!("no home folder: give --config"))?
                .config_dir()
                .join("config.toml"),
        };
        let log_dir = db
            .parent()
            .map(|p| p.join("logs"))
            .unwrap_or_else(|| PathBuf::from("logs"));
        Ok(Paths {
            db,
            config,
            config_is_default,
            db_may_be_created,
            log_dir,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_valid() {
        let c = Config::parse(DEFAULT_CONFIG, Path::new("default.toml")).unwrap();
        assert_eq!(c.point.timezone, chrono_tz::Asia::Almaty);
        assert!(!c.desks.is_empty());
    }

    #[test]
    fn error_names_file_and_line() {
        let text = "[point]\nid = \"p1\"\nname = \"x\"\nkind = \"factory\"\nregion = \"r\"\n";
        let err = Config::parse(text, Path::new("/etc/q.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("/etc/q.toml"), "{err}");
        assert!(err.contains("line 4"), "{err}");
        assert!(err.contains("factory"), "{err}");
    }

    #[test]
    fn unknown_timezone_and_key_refused() {
        let text = "[point]\nid = \"p1\"\nname = \"x\"\nkind = \"office\"\nregion = \"r\"\ntimezone = \"Mars/Olympus\"\n";
        let err = Config::parse(text, Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 6"), "{err}");
        let text =
            "[point]\nid = \"p1\"\nname = \"x\"\nkind = \"office\"\nregion = \"r\"\ncolour = 1\n";
        let err = Config::parse(text, Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 6") && err.contains("colour"), "{err}");
    }

    #[test]
    fn bad_desk_category_refused() {
        let text = "[point]\nid = \"p1\"\nname = \"x\"\nkind = \"office\"\nregion = \"r\"\n[[desk]]\nnumber = 1\ncategories = [\"spaceflight\"]\n";
        let err = Config::parse(text, Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("spaceflight"), "{err}");
    }

    #[test]
    fn board_section_is_optional() {
        let text = "[point]\nid = \"p1\"\nname = \"x\"\nkind = \"office\"\nregion = \"r\"\n";
        let c = Config::parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(c.board, BoardConfig::default());
        assert!(c.board.bell);
        assert_eq!(c.board.rotate_languages_secs, 0);
        let c = Config::parse(
            &format!("{text}[board]\nrotate_languages_secs = 15\nbell = false\n"),
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(c.board.rotate_languages_secs, 15);
        assert!(!c.board.bell);
        assert_eq!(c.board.highlight_secs, 10);
        assert!(
            !c.board.spoken_calls,
            "spoken calls are off unless asked for"
        );
        assert_eq!(c.board.spoken_languages(&c.kiosk), Lang::ALL);
        let c = Config::parse(
            &format!(
                "{text}[board]\nspoken_calls = true\nspoken_languages = [\"ru\", \"kk\"]\nsounds_dir = \"/etc/q/sounds\"\nsound_player = [\"aplay\", \"-D\", \"hw:1\"]\n"
            ),
            Path::new("c.toml"),
        )
        .unwrap();
        assert!(c.board.spoken_calls);
        assert_eq!(c.board.spoken_languages(&c.kiosk), [Lang::Ru, Lang::Kk]);
        assert_eq!(c.board.sounds_dir, Some(PathBuf::from("/etc/q/sounds")));
        assert_eq!(c.board.sound_player, ["aplay", "-D", "hw:1"]);
    }

    #[test]
    fn printer_section_is_checked() {
        let base = "[point]\nid = \"p1\"\nname = \"x\"\nkind = \"office\"\nregion = \"r\"\n";
        let c = Config::parse(base, Path::new("c.toml")).unwrap();
        assert!(c.printer.is_none());
        let c = Config::parse(
            &format!("{base}[printer]\nurl = \"tcp://127.0.0.1:9100\"\n"),
            Path::new("c.toml"),
        )
        .unwrap();
        let p = c.printer.unwrap();
        assert_eq!((p.width_mm, p.status, p.logo), (58, true, None));
        for (bad, says) in [
            ("url = \"lp0\"", "[printer] url"),
            ("url = \"file:/dev/usb/lp0\"\nwidth_mm = 60", "58 or 80"),
            ("url = \"tcp://h:70000\"", "port"),
            ("width_mm = 80", "url"),
            ("url = \"file:/dev/usb/lp0\"\ncolour = 1", "colour"),
        ] {
            let err = Config::parse(&format!("{base}[printer]\n{bad}\n"), Path::new("c.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }

    #[test]
    fn the_theme_is_chosen_by_name() {
        let text = "[point]\nid = \"p1\"\nname = \"x\"\nkind = \"office\"\nregion = \"r\"\n";
        let c = Config::parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(c.ui.theme, ThemeName::Standard);
        let c = Config::parse(
            &format!("{text}[ui]\ntheme = \"high_contrast\"\n"),
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(c.ui.theme, ThemeName::HighContrast);
        let err = Config::parse(
            &format!("{text}[ui]\ntheme = \"neon\"\n"),
            Path::new("c.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("neon") && err.contains("line 7"), "{err}");
        let default = Config::parse(DEFAULT_CONFIG, Path::new("default.toml")).unwrap();
        assert_eq!(default.ui.theme, ThemeName::Standard);
    }

    #[test]
    fn missing_default_is_created_named_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        assert!(matches!(
            Config::load(&path, false),
            Err(ConfigError::Missing { .. })
        ));
        Config::load(&path, true).unwrap();
        assert!(path.exists());
    }
}
