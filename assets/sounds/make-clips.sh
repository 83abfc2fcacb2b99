#!/usr/bin/env bash
# Makes the built-in clips of spoken calls (assets/sounds/{kk,ru,en}/*.wav
# and chime.wav) with espeak-ng and sox. Run it once after changing a word;
# the build and the tests do not need either program, only the WAVs.
#
#   apt-get install -y espeak-ng sox
#   bash assets/sounds/make-clips.sh
#
# Every clip is 16 kHz, 16-bit, mono, silence trimmed at both ends,
# normalised. The names are what src/sound/words.rs asks for: an office
# replaces any of them with a human recording of the same name in the
# folder `[board] sounds_dir` (assets/sounds/README.md).
set -euo pipefail
cd "$(dirname "$0")"
command -v espeak-ng >/dev/null || { echo "needs espeak-ng" >&2; exit 1; }
command -v sox >/dev/null || { echo "needs sox" >&2; exit 1; }

RATE=16000
SPEED=140 # words per minute: slower than espeak's 175, for a loud hall
MIN_SECS=0.3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# clip LANG NAME VOICE TEXT: TEXT spoken by VOICE into LANG/NAME.wav
clip() {
    local lang=$1 name=$2 voice=$3 text=$4
    mkdir -p "$lang"
    espeak-ng -v "$voice" -s "$SPEED" -w "$tmp/raw.wav" -- "$text"
    # trim the silence espeak puts around a word, then make it one format
    sox "$tmp/raw.wav" "$tmp/trimmed.wav" \
        silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse
    # espeak says a lone vowel ("и", "у") in 40-130 ms, too short to catch in
    # a hall: such a clip is slowed down to MIN_SECS, pitch kept
    local secs factor
    secs=$(soxi -D "$tmp/trimmed.wav")
    factor=$(awk -v s="$secs" -v m="$MIN_SECS" 'BEGIN { f = s / m; if (f > 1) f = 1; printf "%.3f", f }')
    local stretch=()
    [ "$factor" != "1.000" ] && stretch=(tempo -s "$factor")
    sox "$tmp/trimmed.wav" -r "$RATE" -b 16 -c 1 -e signed-integer "$lang/$name.wav" \
        "${stretch[@]}" norm -1
}

# words, per language: NAME TEXT
words() {
    local lang=$1 voice=$2
    shift 2
    while [ $# -gt 0 ]; do
        clip "$lang" "$1" "$voice" "$2"
        shift 2
    done
}

# --- Kazakh: 117 = жүз + он + жеті, 999 = тоғыз + жүз + тоқсан + тоғыз
words kk kk \
    ticket "талон" desk "терезе" \
    0 "нөл" 1 "бір" 2 "екі" 3 "үш" 4 "төрт" 5 "бес" 6 "алты" 7 "жеті" 8 "сегіз" 9 "тоғыз" \
    10 "он" 20 "жиырма" 30 "отыз" 40 "қырық" 50 "елу" 60 "алпыс" 70 "жетпіс" 80 "сексен" 90 "тоқсан" \
    100 "жүз" 1000 "мың"

# --- Russian: 117 = сто + семнадцать, 999 = девятьсот + девяносто + девять
words ru ru \
    ticket "талон" desk "окно" \
    0 "ноль" 1 "один" 2 "два" 3 "три" 4 "четыре" 5 "пять" 6 "шесть" 7 "семь" 8 "восемь" 9 "девять" \
    10 "десять" 11 "одиннадцать" 12 "двенадцать" 13 "тринадцать" 14 "четырнадцать" \
    15 "пятнадцать" 16 "шестнадцать" 17 "семнадцать" 18 "восемнадцать" 19 "девятнадцать" \
    20 "двадцать" 30 "тридцать" 40 "сорок" 50 "пятьдесят" 60 "шестьдесят" 70 "семьдесят" \
    80 "восемьдесят" 90 "девяносто" \
    100 "сто" 200 "двести" 300 "триста" 400 "четыреста" 500 "пятьсот" 600 "шестьсот" \
    700 "семьсот" 800 "восемьсот" 900 "девятьсот" \
    2f "две" 1000 "тысяча" 1000_few "тысячи" 1000_many "тысяч"

# --- English: 117 = one + hundred + seventeen
words en en-gb \
    ticket "ticket" desk "desk" \
    0 "zero" 1 "one" 2 "two" 3 "three" 4 "four" 5 "five" 6 "six" 7 "seven" 8 "eight" 9 "nine" \
    10 "ten" 11 "eleven" 12 "twelve" 13 "thirteen" 14 "fourteen" 15 "fifteen" 16 "sixteen" \
    17 "seventeen" 18 "eighteen" 19 "nineteen" \
    20 "twenty" 30 "thirty" 40 "forty" 50 "fifty" 60 "sixty" 70 "seventy" 80 "eighty" 90 "ninety" \
    hundred "hundred" thousand "thousand"

# --- Letters of ticket prefixes: the Kazakh Cyrillic alphabet (which holds
# the Russian one) without Ъ and Ь. Columns: id, Kazakh name, Russian name,
# English name (espeak phonemes: the Russian name as an English speaker
# would say it). Letters Russian lacks are named by the Kazakh voice in
# every language.
while read -r id kk ru en; do
    [ -z "$id" ] && continue
    clip kk "letter_$id" kk "$kk"
    if [ "$ru" = "-" ]; then
        clip ru "letter_$id" kk "$kk"
        clip en "letter_$id" kk "$kk"
    else
        clip ru "letter_$id" ru "$ru"
        if [ "$en" = "-" ]; then
            # no English sound for it (ы): the Russian voice names it
            clip en "letter_$id" ru "$ru"
        else
            clip en "letter_$id" en-gb "[[$en]]"
        fi
    fi
done <<'LETTERS'
a    а    а    'A:
ae   ә    -    -
b    бы   бэ   b'E
v    вы   вэ   v'E
g    гы   гэ   g'E
gh   ғы   -    -
d    ды   дэ   d'E
e    е    е    j'E
yo   ё    ё    j'0
zh   жы   жэ   Z'E
z    зы   зэ   z'E
i    и    и    'i:
y    йы   йот  j'0t
k    кы   ка   k'A:
q    қы   -    -
l    лы   эль  'El
m    мы   эм   'Em
n    ны   эн   'En
ng   ың   -    -
o    о    о    '0
oe   ө    -    -
p    пы   пэ   p'E
r    ры   эр   'E@
s    сы   эс   'Es
t    ты   тэ   t'E
u    у    у    'u:
uu   ұ    -    -
ue   ү    -    -
f    фы   эф   'Ef
kh   хы   ха   x'A:
h    һы   -    -
ts   цы   цэ   ts'E
ch   чы   че   tS'E
sh   шы   ша   S'A:
shch щы   ща   S;'A:
yi   ы    ы    -
ii   і    -    -
eh   э    э    'E
yu   ю    ю    j'u:
ya   я    я    j'A:
LETTERS

# --- The chime before a call: two soft tones, high then low.
sox -n -r "$RATE" -b 16 -c 1 "$tmp/hi.wav" synth 0.28 sine 988 fade q 0.01 0.28 0.2 vol 0.5
sox -n -r "$RATE" -b 16 -c 1 "$tmp/lo.wav" synth 0.55 sine 740 fade q 0.01 0.55 0.45 vol 0.5
sox "$tmp/hi.wav" "$tmp/lo.wav" -e signed-integer chime.wav

echo "made $(find . -name '*.wav' | wc -l) clips, $(du -sh --apparent-size . | cut -f1) in all"
