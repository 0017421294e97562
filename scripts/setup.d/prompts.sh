#!/usr/bin/env bash
# Spoken prompts for the resident flow, generated offline with espeak-ng (Mandarin voice "cmn" and
# English), levelled with sox and encoded by ffmpeg to small mono Opus files the renderer plays:
#   dist/prompts/<lang>/<id>.ogg   (lang: zh, en; ids from renderer/flow/prompts.json, plus
#   letter_a … letter_z: the booth code on the receipt is read out letter by letter)
# Idempotent: a stamp holds the hash of the texts, this script and the espeak-ng version, so a run
# with nothing changed costs one hash. A village's own recordings go in the override directory
# (docs/RESIDENT-FLOW.md), never here: this folder is rebuilt.
set -euo pipefail
cd "$(dirname "$0")/../.."

SRC=renderer/flow/prompts.json
OUT=${PROMPTS_OUT:-dist/prompts}
for tool in espeak-ng sox ffmpeg node; do
  if ! command -v "$tool" >/dev/null; then
    echo "prompts: $tool is missing; spoken prompts not generated (the booth runs silent)" >&2
    exit 0
  fi
done

want=$( { cat "$SRC" "$0"; espeak-ng --version; } | sha256sum | cut -d' ' -f1)
if [[ -f $OUT/.stamp && $(cat "$OUT/.stamp") == "$want" ]]; then
  exit 0
fi

echo "prompts: generating spoken prompts into $OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$OUT.new"
mkdir -p "$OUT.new/zh-CN" "$OUT.new/en"

# One line per prompt: lang<TAB>id<TAB>text (ids are checked: they become file names).
node -e '
const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
for (const [id, t] of Object.entries(p)) {
  if (!/^[a-z0-9_]+$/.test(id)) throw new Error("bad prompt id " + id);
  for (const lang of ["zh-CN", "en"]) console.log([lang, id, t[lang].replace(/\s+/g, " ")].join("\t"));
}
// Letters are spelled as characters (SSML say-as), so "A" is the letter, not the English article.
for (const c of "abcdefghijklmnopqrstuvwxyz") for (const lang of ["zh-CN", "en"])
  console.log([lang, "letter_" + c, "<say-as interpret-as=\"characters\">" + c.toUpperCase() + "</say-as>"].join("\t"));
' "$SRC" > "$tmp/list.tsv"

n=0
while IFS=$'\t' read -r lang id text; do
  case $lang in
    zh-CN) voice=cmn; speed=140 ;;  # a little slower than espeak's 175 wpm default, for older listeners
    *) voice=en-us; speed=145 ;;
  esac
  ssml=()
  [[ $id == letter_* ]] && ssml=(-m)  # SSML only for the letters: prompt texts stay plain text
  espeak-ng "${ssml[@]}" -v "$voice" -s "$speed" -w "$tmp/raw.wav" -- "$text"
  # Trim espeak-ng's own silence (about half a second at the end): the idle countdown says one
  # number a second, so a number's clip must end within its second. Then level to -3 dBFS, 24 kHz
  # mono, a short lead-in so the first syllable is not clipped by the audio device.
  sox -q "$tmp/raw.wav" -r 24000 -c 1 "$tmp/lev.wav" silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse norm -3 pad 0.15 0.1
  ffmpeg -v error -nostdin -y -i "$tmp/lev.wav" -c:a libopus -b:a 24k -application voip "$OUT.new/$lang/$id.ogg"
  n=$((n + 1))
done < "$tmp/list.tsv"

node -e '
const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const letters = [..."abcdefghijklmnopqrstuvwxyz"].map((c) => "letter_" + c);
const m = { generator: "espeak-ng", format: "ogg/opus", langs: ["zh-CN", "en"], ids: [...Object.keys(p), ...letters] };
require("fs").writeFileSync(process.argv[2], JSON.stringify(m, null, 2) + "\n");' "$SRC" "$OUT.new/manifest.json"
echo "$want" > "$OUT.new/.stamp"
rm -rf "$OUT"
mv "$OUT.new" "$OUT"
echo "prompts: $n files, $(du -sh "$OUT" | cut -f1)"
