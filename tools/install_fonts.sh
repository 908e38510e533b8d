#!/usr/bin/env bash
# Install the fonts that Paicha's PDFs need and the fontconfig aliases that map the fonts named
# in Chinese official documents (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体, Times New Roman) onto them.
# Idempotent: safe to run on every CI run and every deploy. Needs root (apt-get, /etc/fonts).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fandol_dir="${PAICHA_FANDOL_DIR:-/usr/local/share/fonts/fandol}"
conf_target="/etc/fonts/conf.d/09-paicha.conf"
export DEBIAN_FRONTEND=noninteractive

need=()
for pkg in fonts-noto-cjk fonts-arphic-ukai fonts-liberation2 fontconfig; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if ((${#need[@]})); then
  echo "install_fonts: apt-get install ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# FandolFang: the free 仿宋 face. Debian ships it only inside texlive-lang-chinese (~120 MB with
# its dependencies), so take the .deb apart and keep only the Fandol OTFs (~34 MB).
if ! ls "$fandol_dir"/FandolFang-Regular.otf >/dev/null 2>&1; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && { apt-get download texlive-lang-chinese >/dev/null 2>&1 \
     || { apt-get update -qq && apt-get download texlive-lang-chinese; }; })
  dpkg-deb -x "$work"/texlive-lang-chinese_*.deb "$work/x"
  mkdir -p "$fandol_dir"
  find "$work/x" -type f -name 'Fandol*.otf' -exec install -m 0644 {} "$fandol_dir"/ \;
  ls "$fandol_dir"/FandolFang-Regular.otf >/dev/null
  echo "install_fonts: Fandol fonts in $fandol_dir"
fi

if ! cmp -s "$here/service/pdf/fonts.conf" "$conf_target"; then
  install -m 0644 "$here/service/pdf/fonts.conf" "$conf_target"
  echo "install_fonts: installed $conf_target"
fi

fc-cache -f >/dev/null
for fam in '仿宋_GB2312' '方正小标宋简体' '宋体' '黑体' '楷体_GB2312' 'Times New Roman'; do
  printf '%-16s -> %s\n' "$fam" "$(fc-match -f '%{family[0]}:%{style[0]}' "$fam")"
done
