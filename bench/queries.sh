#!/usr/bin/env bash
# Draws search queries from an archive's own text, for bench/search.sh and
# bench/scale.sh: SAMPLE_STORIES published stories of the English edition
# picked at random, their headlines, summaries and bodies split into words, and
# COUNT distinct queries drawn at random from what they hold: half single
# words, a quarter two words, a quarter quoted two-word phrases (words as they
# stand next to each other in a sentence; a pair is used once, plain or quoted). Common words the PostgreSQL English
# configuration drops (and words under four letters) are left out, so every
# query asks for something. The same SEED on the same archive draws the same
# queries. Prints one search path a line (/search?q=…) and, on stderr, what
# it drew from.
#
#   bash bench/queries.sh DATABASE_URL [COUNT [SEED]]     (COUNT 1000; SEED random)
#   SAMPLE_STORIES=500                                    stories read (default shown)
#
# Needs sqlite3 for a sqlite:// archive, psql for a postgres:// one.
set -euo pipefail
url=${1:?usage: bench/queries.sh DATABASE_URL [COUNT [SEED]]}
COUNT=${2:-1000}
SEED=${3:-$(( (RANDOM << 15) | RANDOM ))}
SAMPLE_STORIES=${SAMPLE_STORIES:-500}

# What can be read to the public in the English edition (edition 1, "/search").
public="s.status = 'published' AND s.embargo_until IS NULL AND c.edition_id = 1"
case $url in
  sqlite:*) newline="char(10)" ;;
  *) newline="chr(10)" ;;
esac
sql() {
  case $url in
    sqlite:*)
      local file=${url#sqlite:}
      file=${file#//}
      file=${file%%\?*}
      command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
      sqlite3 -readonly "$file" "$1"
      ;;
    postgres:* | postgresql:*)
      command -v psql >/dev/null || { echo "bench: psql is missing (apt-get install postgresql-client)" >&2; exit 1; }
      psql -XAt "$url" -c "$1"
      ;;
    *) echo "bench: $url: not a sqlite:// or postgres:// URL" >&2; exit 1 ;;
  esac
}

# The stories to read: SAMPLE_STORIES ids drawn by SEED from every public one.
ids=$(sql "SELECT s.id FROM stories s JOIN sections c ON c.id = s.section_id WHERE $public" \
  | awk -v seed="$SEED" -v n="$SAMPLE_STORIES" 'BEGIN { srand(seed) } { id[NR] = $1 } END {
      for (i = NR; i > 1; i--) { j = int(rand() * i) + 1; t = id[i]; id[i] = id[j]; id[j] = t }
      for (i = 1; i <= NR && i <= n; i++) printf "%s%s", (i > 1 ? "," : ""), id[i] }')
[ -n "$ids" ] || { echo "bench: $url has no published stories to draw queries from" >&2; exit 1; }

# One line of text at a time (a paragraph, a headline): words are lower-cased
# ASCII letters; a phrase is two such words side by side, no punctuation between.
sql "SELECT s.headline || $newline || s.summary || $newline || s.body FROM stories s JOIN sections c ON c.id = s.section_id WHERE s.id IN ($ids) AND $public" \
  | LC_ALL=C awk -v seed="$SEED" -v count="$COUNT" -v stories="$(tr -cd , <<<"$ids" | wc -c)" '
    BEGIN {
      srand(seed)
      split("about above after again against because been before being below between both does doing down during each " \
        "from further have having here hers herself himself into itself just more most myself once only other ours " \
        "ourselves over same should some such than that their theirs them themselves then there these they this those " \
        "through under until very were what when where which while whom will with your yours yourself yourselves would " \
        "could said also", stop, " ")
      for (i in stop) stopword[stop[i]] = 1
    }
    {
      gsub(/\]\([^)]*\)/, "] ")           # Markdown link targets are not text
      gsub(/https?:[^ ]*/, " ")
      previous = ""
      for (i = 1; i <= NF; i++) {
        raw = tolower($i)
        word = raw
        sub(/^[("'\''*_>#\[]+/, "", word)
        sub(/[)"'\''*_.,;:!?\]]+$/, "", word)
        if (word !~ /^[a-z]+$/) { previous = ""; continue }
        usable = length(word) >= 4 && !(word in stopword)
        if (usable) words[word] = 1
        # A phrase is two bare words: no punctuation or markup (a link, emphasis) at or between them.
        bare = usable && raw ~ /^[a-z]+$/
        if (previous != "" && bare) pairs[previous " " word] = 1
        previous = bare ? word : ""
      }
    }
    # Every key of set, in a seeded random order, into list; returns how many.
    function shuffled(set, list,    k, m, i, j, t) {
      m = 0
      for (k in set) list[++m] = k
      asort(list)                          # a fixed order before the seeded shuffle
      for (i = m; i > 1; i--) { j = int(rand() * i) + 1; t = list[i]; list[i] = list[j]; list[j] = t }
      return m
    }
    function emit(text, quote) {
      gsub(/ /, "+", text)
      print "/search?q=" quote text quote
    }
    END {
      nwords = shuffled(words, w); npairs = shuffled(pairs, p)
      printf "queries: %d distinct words and %d two-word phrases in %d stories (seed %s)\n", nwords, npairs, stories + 1, seed > "/dev/stderr"
      if (nwords + npairs < count) {
        printf "bench: the text holds only %d distinct words and phrases, fewer than %d\n", nwords + npairs, count > "/dev/stderr"
        exit 1
      }
      # Half words, half pairs (one in two of them quoted); short of one, more of the other.
      want_words = int(count / 2)
      if (want_words > nwords) want_words = nwords
      if (count - want_words > npairs) want_words = count - npairs
      for (i = 1; i <= want_words; i++) emit(w[i], "")
      for (i = 1; i <= count - want_words; i++) emit(p[i], i % 2 ? "" : "%22")
    }'
