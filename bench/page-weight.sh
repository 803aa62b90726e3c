#!/usr/bin/env bash
# Page weight (docs/performance.md, "Dashboard"): what a browser transfers on a first visit to one page, against the
# dashboard issue's budget of 150 KB. bench/run.sh runs it against the dashboard; it also works on its own against
# any running instance:
#
#   bash bench/page-weight.sh [-H 'Name: value']... URL
#
# Fetches URL, then every same-origin resource the page makes a browser fetch: stylesheets, icons, preloads and the
# manifest (<link>), scripts, images (<img>, <source>, <input type=image>, SVG <image>, <video poster>), and what the
# stylesheets pull in (url(...), which covers fonts and background images, and @import). When no <link rel=icon> is
# present, /favicon.ico is added, because browsers request it by default. Other origins are listed, not fetched (the
# dashboard's Content-Security-Policy would block them anyway). -H headers (a session cookie, say) go with every
# request, as a browser's cookie would.
#
# Each resource is fetched twice: as a browser would (Accept-Encoding: gzip, br), which gives the bytes transferred
# (response headers + body as sent) and whether the app compressed it; and with Accept-Encoding: identity, which gives
# the uncompressed size. A gzip -6 column shows what compressing each resource would save. The budget is checked
# against the transferred total, headers included, as a browser's network panel counts it.
#
# Then the HTML is split at the dashboard's landmarks (cards, each chart, the country table...) to show where its
# bytes are. Landmarks a page does not have are skipped.
#
# Settings (environment): PAGE_WEIGHT_BUDGET_KB=150 (1 KB = 1024 bytes).
# Prints Markdown, then one machine-readable line starting with "WEIGHT ".
set -euo pipefail

BUDGET_KB="${PAGE_WEIGHT_BUDGET_KB:-150}"
HEADERS=()
while [[ $# -gt 1 && $1 == -H ]]; do
  HEADERS+=(-H "$2")
  shift 2
done
if [[ $# -ne 1 || ! $BUDGET_KB =~ ^[1-9][0-9]*$ || ! $1 =~ ^https?://[^/]+ ]]; then
  echo "usage: bash bench/page-weight.sh [-H 'Name: value']... URL   (PAGE_WEIGHT_BUDGET_KB: a positive whole number)" >&2
  exit 2
fi
PAGE="$1"
ORIGIN="${BASH_REMATCH[0]}" # scheme://host:port, from the last match above
BUDGET=$((BUDGET_KB * 1024))
WORK="$(mktemp -d "${TMPDIR:-/tmp}/liberterra-weight.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# attr TAG NAME: the value of a double-quoted attribute (the app's Razor pages quote every attribute that way).
attr() { sed -nE "s/.*[[:space:]]$2=\"([^\"]*)\".*/\1/Ip" <<<"$1" | head -n 1; }

# resolve BASE REFERENCE: an absolute URL on this origin; "other:URL" for another origin; nothing for data: URLs.
resolve() {
  local base=$1 ref dir path query="" segment out=()
  ref=$(sed 's/&amp;/\&/g' <<<"$2")
  ref=${ref%%#*}
  case $ref in
    '' | data:*) return ;;
    "$ORIGIN"/* | "$ORIGIN") path=${ref#"$ORIGIN"} ;;
    http://* | https://*) echo "other:$ref"; return ;;
    //*) [[ "${ORIGIN%%//*}$ref" == "$ORIGIN"/* ]] && path=${ref#"${ORIGIN#*:}"} || { echo "other:$ref"; return; } ;;
    /*) path=$ref ;;
    *)
      dir=${base#"$ORIGIN"}
      dir=${dir%%\?*}
      path="${dir%/*}/$ref"
      ;;
  esac
  # Drop "." segments and let ".." remove the segment before it, as a browser does.
  [[ $path == *\?* ]] && query="?${path#*\?}" && path=${path%%\?*}
  IFS=/ read -ra segments <<<"${path#/}"
  for segment in "${segments[@]}"; do
    case $segment in
      .) ;;
      ..) ((${#out[@]})) && unset 'out[-1]' ;;
      *) out+=("$segment") ;;
    esac
  done
  [[ $path == */ || $path == */. || $path == */.. ]] && out+=("")
  path=$(IFS=/; echo "/${out[*]}")
  echo "$ORIGIN$path$query"
}

# html_refs FILE: "kind reference" for everything a browser fetches while loading the page.
html_refs() {
  local tag name rel icon=0 value
  while IFS= read -r tag; do
    name=$(sed -E 's/^<([A-Za-z]+).*/\1/' <<<"$tag" | tr 'A-Z' 'a-z')
    case $name in
      link)
        rel=" $(attr "$tag" rel | tr 'A-Z' 'a-z') "
        case $rel in
          *" stylesheet "*) echo "stylesheet $(attr "$tag" href)" ;;
          *" icon "* | *" apple-touch-icon "*) icon=1; echo "icon $(attr "$tag" href)" ;;
          *" preload "* | *" modulepreload "*) echo "preload $(attr "$tag" href)" ;;
          *" manifest "*) echo "manifest $(attr "$tag" href)" ;;
        esac
        ;;
      script) value=$(attr "$tag" src) && [[ -n $value ]] && echo "script $value" ;;
      img | source | input | embed | iframe | audio | video)
        [[ $name == input && " $(attr "$tag" type | tr 'A-Z' 'a-z') " != " image " ]] && continue
        value=$(attr "$tag" src)
        [[ -z $value ]] && value=$(attr "$tag" srcset | sed -E 's/^[[:space:]]*([^[:space:],]+).*/\1/')
        [[ -n $value ]] && echo "image $value"
        [[ $name == video ]] && value=$(attr "$tag" poster) && [[ -n $value ]] && echo "image $value"
        ;;
      image) value=$(attr "$tag" href) && [[ -z $value ]] && value=$(attr "$tag" xlink:href); [[ -n $value ]] && echo "image $value" ;;
    esac
  done < <(LC_ALL=C grep -oiE '<(link|script|img|source|input|embed|iframe|audio|video|image)[[:space:]][^>]*>' "$1" || true)
  if ((!icon)); then echo "icon /favicon.ico"; fi
  return 0
}

# css_refs FILE: what a stylesheet pulls in.
css_refs() {
  local ref
  while IFS= read -r ref; do
    ref=$(sed -E "s/^url\([[:space:]]*//; s/^@import[[:space:]]*//; s/[[:space:]]*\)$//; s/^[\"']//; s/[\"']$//" <<<"$ref")
    case ${ref%%\?*} in
      *.woff2 | *.woff | *.ttf | *.otf | *.eot) echo "font $ref" ;;
      *.css) echo "stylesheet $ref" ;;
      *) echo "image $ref" ;;
    esac
  done < <(LC_ALL=C grep -oE "url\([^)]*\)|@import[[:space:]]+[\"'][^\"']*[\"']" "$1" || true)
}

# fetch URL ENCODING BODY_FILE: prints "status header_bytes body_bytes content_encoding".
fetch() {
  local out encoding
  out=$(curl -sS --max-time 30 "${HEADERS[@]}" -H "Accept-Encoding: $2" -D "$WORK/headers" -o "$3" \
    -w '%{http_code} %{size_header} %{size_download}' "$1")
  encoding=$(tr -d '\r' <"$WORK/headers" | sed -nE 's/^content-encoding:[[:space:]]*//Ip' | tail -n 1)
  echo "$out ${encoding:-none}"
}

declare -A SEEN
QUEUE=("page $PAGE")
OTHER_ORIGINS=()
ROWS=()
total_transferred=0 total_body=0 total_identity=0 total_gzip=0 compressed=0 failed=0
for ((i = 0; i < ${#QUEUE[@]}; i++)); do
  read -r kind url <<<"${QUEUE[$i]}"
  [[ -n ${SEEN[$url]:-} ]] && continue
  SEEN[$url]=1
  read -r status header_bytes body_bytes encoding < <(fetch "$url" "gzip, br" "$WORK/sent")
  read -r identity_status _ identity_bytes _ < <(fetch "$url" identity "$WORK/body")
  gzip_bytes=$(gzip -6 -c "$WORK/body" | wc -c)
  transferred=$((header_bytes + body_bytes))
  total_transferred=$((total_transferred + transferred)) total_body=$((total_body + body_bytes))
  total_identity=$((total_identity + identity_bytes)) total_gzip=$((total_gzip + gzip_bytes))
  [[ $encoding != none ]] && compressed=$((compressed + 1))
  [[ $status == 200 && $identity_status == 200 ]] || failed=$((failed + 1))
  ROWS+=("| \`${url#"$ORIGIN"}\` | $kind | $status | $encoding | $transferred | $body_bytes | $identity_bytes | $gzip_bytes |")
  if [[ $kind == page ]]; then
    cp "$WORK/body" "$WORK/page.html"
    refs=$(html_refs "$WORK/page.html")
  elif [[ $kind == stylesheet ]]; then
    refs=$(css_refs "$WORK/body")
  else
    refs=""
  fi
  while read -r ref_kind ref; do
    [[ -z ${ref:-} ]] && continue
    target=$(resolve "$url" "$ref")
    case $target in
      '') ;;
      other:*) OTHER_ORIGINS+=("${target#other:} ($ref_kind)") ;;
      *) QUEUE+=("$ref_kind $target") ;;
    esac
  done <<<"$refs"
done

kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
((total_transferred <= BUDGET)) && verdict=PASS || verdict=FAIL
((compressed > 0)) && compresses="yes, $compressed of ${#ROWS[@]} responses" || compresses=no

echo "Page weight of ${PAGE#"$ORIGIN"} on a first visit (empty browser cache), as a browser fetches it:"
echo
echo "| resource | kind | status | Content-Encoding sent | transferred bytes (headers + body) | body bytes as sent | uncompressed body bytes | gzip -6 of the body |"
echo "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |"
printf '%s\n' "${ROWS[@]}"
echo "| **total** | ${#ROWS[@]} requests | | | **$total_transferred** ($(kb "$total_transferred") KB) | $total_body | $total_identity ($(kb "$total_identity") KB) | $total_gzip ($(kb "$total_gzip") KB) |"
echo
echo "Requests sent Accept-Encoding: gzip, br. Does the app compress? $compresses."
if ((${#OTHER_ORIGINS[@]} > 0)); then
  echo "Other origins referenced, not fetched or counted: ${OTHER_ORIGINS[*]}."
fi
if ((failed > 0)); then
  echo "$failed of the responses were not 200: the figures above are not the page a signed-in reader gets."
fi
echo "Budget: at most $BUDGET_KB KB ($BUDGET bytes) transferred: $total_transferred bytes ($(kb "$total_transferred") KB) -> $verdict"

# Where the HTML's bytes are: the page split at the dashboard's landmarks, in document order. A part runs from its
# landmark to the next one found (P rows); "of which" rows (S) are spans inside the part above them. Fields:
# kind|label|start regex|end regex (S only)|regex to count|what it counts.
LANDMARKS='P|head, skip link, banner (anonymous reads only), site header|^|||
P|operation header, sub-navigation, illustrative-split note|<main[ >]|||
P|headline cards|<section class="cards"|||
P|chart metric picker (form)|<form[^>]*class="metric-picker"|||
P|map figure|<figure[^>]*id="map"|||
S|of which the map SVG (tile grid)|<svg|</svg>|<a href=|tiles
P|regions figure|<figure[^>]*id="regions"|||
S|of which the SVG chart|<svg|</svg>||
S|of which the data table|<details>|</details>||
P|timeline figure|<figure[^>]*id="timeline"|||
S|of which the SVG chart|<svg|</svg>||
S|of which the data table|<details>|</details>||
P|exploitation figure|<figure[^>]*id="exploitation"|||
S|of which the SVG chart|<svg|</svg>||
S|of which the data table|<details>|</details>||
P|country section: heading, filter form, CSV links|<section aria-labelledby="countries-heading"|||
P|country table: caption and header row|<table id="countries"|||
P|country table: body rows|<tbody>||<tr data-iso3=|rows
P|closing tags|</tbody>|||'
echo
echo "Where the page's $(wc -c <"$WORK/page.html") bytes of HTML are (uncompressed):"
echo
LC_ALL=C awk -v spec="$LANDMARKS" '
  function find(re, from,   at) { # absolute position of re in s at or after from (0 if absent); sets RLENGTH
    at = match(substr(s, from), re)
    return at ? from + at - 1 : 0
  }
  function indent(t,   before) { before = length(t); gsub(/\n[ \t]+/, "\n", t); return before - length(t) }
  function count(t, re,   n) { if (re == "") return ""; n = gsub(re, "", t); return n }
  BEGIN { RS = "\001" }
  { s = s $0 }
  END {
    total = length(s)
    n = split(spec, lines, "\n")
    parts = 0; from = 1; missing = ""
    for (i = 1; i <= n; i++) {
      split(lines[i], f, "|")
      if (f[1] == "P") {
        at = find(f[3], from)
        if (!at) { missing = missing (missing ? "; " : "") f[2]; skipping = 1; continue }
        skipping = 0
        parts++; start[parts] = at; label[parts] = f[2]; counted[parts] = f[5]; unit[parts] = f[6]; subs[parts] = 0
        from = at + (RLENGTH > 0 ? RLENGTH : 1)
      } else if (!skipping && parts > 0) {
        subs[parts]++; k = parts "," subs[parts]
        sub_label[k] = f[2]; sub_start[k] = f[3]; sub_end[k] = f[4]; sub_count[k] = f[5]; sub_unit[k] = f[6]
      }
    }
    start[parts + 1] = total + 1
    printf "| part of the HTML | bytes | share | of which leading indentation | count |\n| --- | ---: | ---: | ---: | ---: |\n"
    for (p = 1; p <= parts; p++) {
      t = substr(s, start[p], start[p + 1] - start[p])
      c = count(t, counted[p])
      printf "| %s | %d | %.1f%% | %d | %s |\n", label[p], length(t), 100 * length(t) / total, indent(t),
        c == "" ? "" : c " " unit[p] ", " int(length(t) / (c ? c : 1)) " bytes each"
      for (j = 1; j <= subs[p]; j++) {
        k = p "," j
        a = find(sub_start[k], start[p])
        if (!a || a >= start[p + 1]) continue
        e = find(sub_end[k], a)
        if (!e || e + RLENGTH > start[p + 1]) continue
        u = substr(s, a, e + RLENGTH - a)
        c = count(u, sub_count[k])
        printf "| &nbsp;&nbsp;%s | %d | %.1f%% | %d | %s |\n", sub_label[k], length(u), 100 * length(u) / total, indent(u),
          c == "" ? "" : c " " sub_unit[k] ", " int(length(u) / (c ? c : 1)) " bytes each"
      }
    }
    printf "| **whole page** | **%d** | 100%% | %d | |\n", total, indent(s)
    if (missing != "") printf "\nLandmarks not found (their bytes are in the part above): %s.\n", missing
  }' "$WORK/page.html"

echo
echo "WEIGHT transferred=$total_transferred uncompressed=$total_identity gzip6=$total_gzip requests=${#ROWS[@]} budget=$BUDGET compresses=$((compressed > 0 ? 1 : 0)) non200=$failed result=$verdict"
