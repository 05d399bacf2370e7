#!/usr/bin/env bash
# Rebuild the GOV.UK Frontend assets served from static/govuk/:
#   govuk-frontend.min.css  - compiled from govuk-frontend.scss (system fonts, no GDS Transport)
#   govuk-frontend.min.js   - the package's ES module bundle, source map comment stripped
#   assets/images/*         - images the CSS references, plus favicons/icons and manifest.json
#   VERSION                 - govuk-frontend version used
# npm installs into a temporary directory that is removed on exit; nothing is
# written into the repository except the files above. Fonts are never copied.
#
# Usage: bash tools/govuk-build/build-css.sh      (from anywhere)
set -euo pipefail

GOVUK_FRONTEND_VERSION="5.14.0"
SASS_VERSION="1.108.2"

BUILD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="$(cd "$BUILD_DIR/../../static/govuk" && pwd)"   # static/govuk
TMP="$(mktemp -d "${TMPDIR:-/tmp}/govuk-build.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

npm install --no-audit --no-fund --no-save --ignore-scripts --loglevel=error \
  --prefix "$TMP" "govuk-frontend@${GOVUK_FRONTEND_VERSION}" "sass@${SASS_VERSION}"

PKG="$TMP/node_modules/govuk-frontend/dist/govuk"
installed="$(node -p "require('$TMP/node_modules/govuk-frontend/package.json').version")"
[ "$installed" = "$GOVUK_FRONTEND_VERSION" ] || { echo "got govuk-frontend $installed" >&2; exit 1; }

# CSS: compressed, no source map. --quiet-deps hides govuk-frontend's own
# deprecation warnings; 'import' is silenced for the @import in our entry file.
"$TMP/node_modules/.bin/sass" \
  --style=compressed --no-source-map --quiet-deps --silence-deprecation=import \
  --load-path="$TMP/node_modules" \
  "$BUILD_DIR/govuk-frontend.scss" "$TMP/govuk-frontend.min.css"

if grep -qi 'GDS Transport\|@font-face' "$TMP/govuk-frontend.min.css"; then
  echo "error: compiled CSS still references GDS Transport / @font-face" >&2; exit 1
fi

# JS: the dist ES module bundle, minus its trailing sourceMappingURL comment.
sed -e 's|//# sourceMappingURL=[^[:space:]]*$||' "$PKG/govuk-frontend.min.js" > "$TMP/govuk-frontend.min.js"

# Images: everything in dist/govuk/assets/images (favicons, icons, crest,
# opengraph image) and the web app manifest. Not assets/fonts.
rm -rf "$OUT_DIR/assets"
mkdir -p "$OUT_DIR/assets/images"
cp "$PKG"/assets/images/* "$OUT_DIR/assets/images/"
cp "$PKG/assets/manifest.json" "$OUT_DIR/assets/manifest.json"

# Every url(...) in the CSS must exist under static/govuk/assets/, or
# collectstatic's manifest storage fails.
missing=0
while IFS= read -r url; do
  case "$url" in
    data:*|'#'*) continue ;;
    /static/govuk/assets/*) f="$OUT_DIR/assets/${url#/static/govuk/assets/}" ;;
    *) echo "error: unexpected url($url) in CSS" >&2; missing=1; continue ;;
  esac
  f="${f%%[?#]*}"
  [ -f "$f" ] || { echo "error: CSS references $url but $f is missing" >&2; missing=1; }
done < <(grep -o 'url([^)]*)' "$TMP/govuk-frontend.min.css" | sed -e 's/^url(//' -e 's/)$//' -e "s/^[\"']//" -e "s/[\"']$//" | sort -u)
[ "$missing" = 0 ] || exit 1

mv "$TMP/govuk-frontend.min.css" "$OUT_DIR/govuk-frontend.min.css"
mv "$TMP/govuk-frontend.min.js" "$OUT_DIR/govuk-frontend.min.js"
echo "$GOVUK_FRONTEND_VERSION" > "$OUT_DIR/VERSION"
echo "built govuk-frontend $GOVUK_FRONTEND_VERSION with sass $SASS_VERSION into $OUT_DIR"
