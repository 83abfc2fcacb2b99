# Қабылдау бөлмесі операторының пульті.

desk-title = Терезе { $desk }
desk-welcome = Қош келдіңіз, { $name }.
desk-logged-out = Жүйеден шықтыңыз.
desk-logout-confirm = Өтініш формасында сақталмаған мәтін бар. Сақтамай шығу үшін Ctrl-Q тағы басыңыз.
desk-loading = Жүктелуде…
desk-anonymous = анонимді
desk-erased = дербес деректері жойылды
desk-text-erased = (мәтіні жойылды)
desk-repeated = қайталама өтініш
desk-campaign-on = НАУҚАН
desk-campaign-note = Науқан режимі: тек бағдарламаға ұсыныстар қабылданады.
desk-campaign-switched-on = Науқан режимі қосылды: тек бағдарламаға ұсыныстар.
desk-campaign-switched-off = Науқан режимі өшірілді.
desk-draft-kept = Сақталмаған өтініш жоғалған жоқ (F2).

## пернелер
desk-keys-global = F1 Кезек F2 Өтініш F3 Іздеу F4 Бақылау F5 Қабылдаулар F7 Тіл F8 Есеп Ctrl-Q Шығу
desk-keys-login = Enter Әрі қарай / Кіру   Tab Өріс   F7 Тіл   Esc Шығу
desk-keys-queue = N Келесі R Қайта S Қабылдау X Келмеді T Ауыстыру F Аяқтау A Өтініш P Кідіріс
desk-keys-queue-chosen = Enter Осы талонды шақыру  P Талонды қайта басу  ↑↓ Таңдау  Esc Кезекпен
desk-keys-form = Tab/↑↓ Өріс  ←→/Бос орын Таңдау  Ctrl-S Сақтау  Ctrl-N Жаңа  Esc Артқа
desk-keys-search = Сұрауды жазыңыз   ↑↓ Таңдау   Enter Ашу   Esc Артқа   F9 Өтініш жайы
desk-keys-control = ↑↓ Таңдау   Enter Ашу   Esc Артқа
desk-keys-detail = N Жазба  O Нәтиже  E Ұзарту  C Бақылау  P Қайта басу  ↑↓ Тарих  Esc Артқа
desk-who-system = жүйе
desk-who-region = облыста: { $name }
desk-who-region-office = облыстық филиал
desk-card-more = PgDn PgUp: жалғасы
desk-keys-dialog = Enter Сақтау   Tab Келесі өріс   ←→ Таңдау   Esc Болдырмау
desk-keys-sessions = O Қабылдау ашу  C Жабу  F6 Науқан режимі (әкімші)  Esc Артқа

## кіру
desk-login-title = Кіру
desk-login-desk = Терезе { $desk }. Логин мен PIN-кодты енгізіңіз.
desk-login-login = Логин
desk-login-pin = PIN-код
desk-login-hint = PIN-код — 4-тен 8-ге дейін цифр.
desk-login-checking = Тексерілуде…
desk-login-empty = Логинді енгізіңіз.
desk-login-pin-empty = PIN-кодты енгізіңіз.
desk-login-pin-digits = PIN-код тек цифрлардан тұрады.
desk-login-wrong-pin = PIN-код қате. Бұғатталғанға дейін { $count } әрекет қалды.
desk-login-locked = Қате PIN-код тым көп: кіру { $time } дейін бұғатталды.
desk-login-refused = Логин немесе PIN-код қате, не логин өшірілген.
desk-login-no-logins = Әлі логин жоқ: терминалда qabyldau staff add ЛОГИН --name "…" --role admin

## кезек
desk-queue-title = Күтуде: { $count }
desk-queue-empty = Ешкім күтпейді.
desk-queue-choose = ↑↓ таңдау
desk-minutes-short = { $count } мин
desk-current-title = Ағымдағы талон
desk-current-none = Талон жоқ. Келесісін шақыру үшін N басыңыз.
desk-priority = Басымдық
desk-waited = { $count } минут күтті
desk-recalls = Қайта шақыру: { $count }
desk-hint-called = S — азамат келді; X — келмеді; R — қайта шақыру.
desk-hint-serving = A — өтінішті жазу; F — аяқтау; T — ауыстыру.
desk-called = { $ticket } талоны шақырылды.
desk-recalled = { $ticket } талоны қайта шақырылды.
desk-serving = { $ticket } талоны бойынша қабылдау жүріп жатыр.
desk-no-show-done = { $ticket } талоны: келмеді. Кезекке қайтару үшін U басыңыз.
desk-returned = { $ticket } талоны кезекке қайтарылды.
desk-transferred = { $ticket } талоны ауыстырылды.
desk-finished = { $ticket } талоны бойынша қабылдау аяқталды.
desk-transfer-title = Талонды ауыстыру
desk-transfer-to = Қайда
desk-transfer-any-desk = осы тақырып бойынша кез келген терезе
desk-transfer-desk = { $desk }-терезе
desk-transfer-hint = ←→ таңдау   Tab келесі   Enter ауыстыру   Esc болдырмау

## талон күйлері және басымдықтар
desk-state-waiting = күтуде
desk-state-called = шақырылды
desk-state-serving = қабылдауда
desk-state-done = қабылданды
desk-state-no_show = келмеді
desk-state-cancelled = жойылды
desk-priority-ordinary = кәдімгі
desk-priority-disability = мүгедектік
desk-priority-veteran = ардагер
desk-priority-pregnancy = жүктілік
desk-priority-elderly = егде жас
desk-role-operator = оператор
desk-role-supervisor = басшы
desk-role-admin = әкімші

## өтініш формасы
desk-form-title = Жаңа өтініш (талонсыз)
desk-form-title-ticket = Өтініш, { $ticket } талоны
desk-form-saving = Сақталуда…
desk-form-saved = { $number } өтініші тіркелді.
desk-form-confirm-clear = Формада сақталмаған мәтін бар. Тазалау үшін Ctrl-N тағы басыңыз.
desk-form-fixed = Бәрі түзетілді. Ctrl-S — өтінішті сақтау.
desk-form-cleared = Жаңа бос форма.
desk-f-name = Аты-жөні
desk-f-iin = ЖСН
desk-f-phone = Телефон
desk-f-settlement = Елді мекен
desk-f-workplace = Жұмыс орны
desk-f-consent = Дербес деректерді өңдеуге келісім
desk-f-category = Тақырып
desk-f-kind = Түрі
desk-f-channel = Арна
desk-f-text = Өтініштің мәні
desk-f-heard-by = Қабылдағандар
desk-f-heard-other = Басқалар
desk-f-outcome = Нәтиже
desk-f-redirected = Жолданған орган
desk-f-control = Бақылауда
desk-f-responsible = Жауапты
desk-f-deadline = Мерзім
desk-f-note = Жазба
desk-f-new-deadline = Жаңа мерзім
desk-f-reason = Себебі
desk-f-date = Күні
desk-f-place = Орны
desk-f-officials = Қатысушылар
desk-f-session-kind = Қабылдау түрі
desk-iin-ok = дұрыс, туған күні { $born }
desk-days-left = { $count } жұмыс күні қалды
desk-days-overdue = { $count } жұмыс күніне кешікті

## түрлері, арналар, нәтижелер
desk-channel-walk_in = жеке қабылдау
desk-channel-on_site = кәсіпорындағы қабылдау
desk-channel-mobile = көшпелі қабылдау
desk-channel-phone = телефон / байланыс орталығы
desk-channel-email = электрондық пошта
desk-channel-messenger = мессенджер

## өрістегі қате
desk-p-required = міндетті
desk-p-too-long = тым ұзын: { $max } таңбадан аспауы керек
desk-p-iin-length = ЖСН-да 12 цифр бар, { $count } енгізілді
desk-p-iin-digits = ЖСН тек цифрлардан тұрады
desk-p-iin-century = 7-цифр 1-ден 6-ға дейін болуы керек
desk-p-iin-date = алғашқы алты цифр туған күн емес
desk-p-iin-check = бақылау цифры сәйкес келмейді: бір цифр қате енгізілген
desk-p-phone-chars = тек цифрлар, бос орын, сызықша, жақша және басында +
desk-p-phone-short = сан жетпейді ({ $count }): +7 немесе 8-ден кейін 10 цифр
desk-p-phone-long = сан артық ({ $count }): +7 немесе 8-ден кейін 10 цифр
desk-p-phone-country = бұл Қазақстан нөмірі емес
desk-p-consent = дербес деректер тек келісіммен сақталады: келісімді белгілеңіз немесе өтініш берушінің деректерін тазалаңыз
desk-p-date = бұл күн емес: 23.03.2026 түрінде енгізіңіз
desk-p-date-past = бұл күн өтіп кетті
desk-p-campaign = науқан режимі: тек бағдарламаға ұсыныстар қабылданады
desk-p-category = белгісіз тақырып
desk-p-outcome = бұл нәтижені қазір қоюға болмайды

## бас тартулар
desk-err-unknown-desk = { $desk }-терезе баптауларда жоқ.
desk-err-queue-empty = Бұл терезеге ешкім күтпейді.
desk-err-not-in-line = Бұл талон енді осы терезені күтпейді: оны басқа терезе шақырған болуы мүмкін.
desk-err-no-no-show = Бүгін бұл терезеде «келмеді» деп белгіленген талон жоқ.
desk-err-busy = { $ticket } талоны әлі осы терезеде: алдымен аяқтаңыз (F) немесе келмеді деп белгілеңіз (X).
desk-err-no-ticket = Терезеде ағымдағы талон жоқ. Шақыру үшін N басыңыз.
desk-err-same-desk = Басқа терезені не басқа тақырыпты таңдаңыз.
desk-err-not-admin = Мұны тек әкімші істей алады.
desk-err-session-open = Қабылдау ашық тұр: алдымен оны жабыңыз.
desk-err-no-session = Ашық қабылдау жоқ.
desk-err-not-under-control = Өтініш бақылауда емес.
desk-err-deadline-not-later = Жаңа мерзім қазіргіден кеш болуы керек.
desk-err-invalid-more = { $first } (тағы қате: { $fields })
desk-err-serve-first = Алдымен қабылдауды бастаңыз (S), содан кейін аяқтаңыз.
desk-err-already-serving = Азамат қазір қабылдауда.
desk-err-ticket-state = Болмайды: талон { $state }.
desk-err-outcome = Нәтижені «{ $from }» дегеннен «{ $to }» дегенге өзгертуге болмайды.
desk-err-not-found = Табылмады: басқа терезеде өзгертілген болуы мүмкін.

## өтініш берушінің тарихы
desk-history-title = Бұрынғы өтініштер
desk-history-title-count = Бұрынғы өтініштер: { $count }
desk-history-hint = ЖСН, телефон не аты-жөнін енгізіңіз — бұрынғы өтініштерді көрсетеміз.
desk-history-none = Бұрынғы өтініштер жоқ.
desk-history-repeated = Қайталама өтініш

## іздеу
desk-search-title = Өтініштер мен өтініш берушілер бойынша іздеу
desk-search-found = { $count } табылды
desk-search-many = алғашқы { $count } көрсетілді
desk-search-hint = Аты-жөнін, ЖСН, телефонды, нөмірді не мәтіндегі сөздерді енгізіңіз.
desk-search-nothing = Ештеңе табылмады.

## бақылау
desk-control-title = Бақылауда: { $count }, мерзімі өткен: { $overdue }
desk-control-empty = Бақылаудағы өтініштер жоқ.
desk-col-number = Нөмірі
desk-col-deadline = Мерзімі
desk-col-left = Қалды
desk-col-responsible = Жауапты
desk-col-citizen = Өтініш беруші
desk-detail-title = { $number } өтініші
desk-received = Түскені
desk-citizen = Өтініш беруші
desk-recorded-by = Жазған
desk-history-changes = Тарих: кім нені өзгертті
desk-h-recorded = тіркелді
desk-h-outcome = нәтиже: { $outcome }
desk-h-control = бақылауға алынды: { $responsible }, { $deadline } дейін
desk-h-control-off = бақылаудан алынды
desk-h-extended = мерзім { $deadline } дейін ұзартылды: { $reason }
desk-h-note = жазба: { $note }
desk-dlg-note = Жұмыс барысы туралы жазба
desk-dlg-outcome = Нәтижені өзгерту
desk-dlg-outcome-now = қазір: { $outcome }
desk-dlg-extend = Мерзімді ұзарту
desk-dlg-control = Бақылауға алу
desk-dlg-release = Бақылаудан алу
desk-dlg-release-ask = Өтінішті бақылаудан алу үшін Enter басыңыз.
desk-dlg-hint = Enter сақтау · Tab келесі өріс · Esc болдырмау
desk-note-added = Жазба қосылды.
desk-outcome-changed = Нәтиже өзгертілді.
desk-deadline-extended = Мерзім ұзартылды.
desk-control-set = Өтініш бақылауға алынды.
desk-control-lifted = Өтініш бақылаудан алынды.

## қабылдаулар
desk-sessions-title = Көшпелі қабылдаулар және кәсіпорындағы қабылдаулар
desk-sessions-recent = Соңғы қабылдаулар
desk-session-none = Ашық қабылдау жоқ. Ашу үшін O басыңыз.
desk-session-now = Ашық: { $kind }, { $place } ({ $count } өтініш)
desk-session-close-hint = Қазір жазылған өтініштер осы қабылдауға жатады. C — жабу.
desk-session-new = Қабылдауды ашу
desk-session-mobile = көшпелі қабылдау
desk-session-on_site = кәсіпорындағы қабылдау
desk-session-open-mark = ҚАБЫЛДАУ
desk-session-closed-mark = жабылды
desk-session-opened = Қабылдау ашылды.
desk-session-closed = Қабылдау жабылды.
desk-appeals-count = { $count } өтініш

## reprinting a receipt from the appeal's card
desk-print-none = Принтер бапталмаған ([printer] жоқ): қайта басу мүмкін емес.
desk-reprint-sent = Талон принтерге жіберілді…
desk-reprinted = Талон қайта басылды.
desk-reprint-failed = Талон басылмады: { $reason }. Себебін жойып, P басып қайталаңыз.
desk-ticket-reprint-sent = Кезек талоны принтерге жіберілді…
desk-ticket-reprinted = Кезек талоны қайта басылды.
desk-ticket-reprint-failed = Кезек талоны басылмады: { $reason }. Себебін жойып, P басып қайталаңыз.

## the look-up for a citizen on the phone (F9)
desk-lookup-title = Өтініш не болды? (телефон арқылы)
desk-lookup-help = Азаматтан өтініштің нөмірін және телефонының соңғы 4 цифрын немесе ЖСН-ін сұраңыз.
desk-lookup-number = Өтініштің нөмірі
desk-lookup-second = Телефонның соңғы 4 цифры немесе ЖСН
desk-lookup-number-missing = Өтініштің нөмірін енгізіңіз.
desk-keys-lookup = Tab Өріс   Enter Іздеу   Esc Артқа
## Pause (assets/locales/kk/pause.ftl has the reasons)
desk-pause-title = Терезе кідірісі: себебі?
desk-pause-hint = ↑↓ немесе 1–4 таңдау   Enter кідірту   Esc болдырмау
desk-paused-now = Кідіріс: { $reason }, { $time } бастап ({ $minutes } мин). Оралу: P.
desk-paused-done = Терезе кідірісте: сіз оралғанша (P) ешкім шақырылмайды.
desk-resumed = Терезе қайта жұмыста: N келесі талонды шақырады.
desk-err-paused = Терезе кідірісте ({ $reason }): алдымен P басып оралыңыз, сосын шақырыңыз.
desk-err-already-paused = Терезе қазірдің өзінде кідірісте ({ $reason }).
desk-err-not-paused = Терезе кідірісте емес.
desk-state-closed = қызмет көрсетілмеді: қабылдау жабылды

## a citizen's own data (issue 21)
desk-dlg-erase = Өтініш берушінің дербес деректерін жою
desk-dlg-erase-warn = Осы өтініш берушінің барлық өтінішінен аты-жөні, ЖСН, телефоны, елді мекені мен жұмыс орны жойылады. Өтініштер барлық көрсеткіште қалады. Қайтару мүмкін емес.
desk-f-request = Оның өтініші
desk-f-erase-texts = Мәтіндері де
desk-yes = иә
desk-no = жоқ
desk-citizen-erased = Өтініш берушінің дербес деректері жойылды.
desk-erase-not-allowed = Дербес деректерді тек басшы немесе әкімші жояды.
desk-erase-request-needed = Азаматтың өтінішін көрсетіңіз: нөмірі мен күні немесе қалай өтінгені.
desk-erase-nothing = Жоятын ештеңе жоқ: бұл өтініш берушінің деректері бұрын жойылған.
desk-keys-detail-supervisor = N Жазба  O Нәтиже  E Ұзарту  C Бақылау  D Жою  P Қайта басу  ↑↓ Тарих  Esc Артқа
