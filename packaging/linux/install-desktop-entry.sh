#!/bin/sh
# Adds Kinerja Desktop to this user's application menu and lets .kinerja files open with it.
# No administrator rights needed: everything goes under ~/.local/share.
# Run from the unpacked folder:  ./install-desktop-entry.sh      (--remove to take it out)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
apps="$data/applications"
icons="$data/icons/hicolor/256x256/apps"
mime="$data/mime"

if [ "${1:-}" = "--remove" ]; then
    rm -f "$apps/kinerja-desktop.desktop" "$apps/kinerja-desktop-import.desktop" \
        "$icons/kinerja-desktop.png" "$mime/packages/kinerja-desktop-mime.xml"
    command -v update-mime-database >/dev/null && update-mime-database "$mime" || true
    command -v update-desktop-database >/dev/null && update-desktop-database "$apps" || true
    echo "Kinerja Desktop dihapus dari menu (data Anda tidak disentuh)."
    exit 0
fi

mkdir -p "$apps" "$icons" "$mime/packages"
install -m 644 "$here/kinerja.png" "$icons/kinerja-desktop.png"
install -m 644 "$here/kinerja-desktop-mime.xml" "$mime/packages/kinerja-desktop-mime.xml"
for entry in kinerja-desktop.desktop kinerja-desktop-import.desktop; do
    sed -e "s|^Exec=kinerja|Exec=\"$here/kinerja\"|" -e "s|^TryExec=kinerja|TryExec=$here/kinerja|" \
        "$here/$entry" > "$apps/$entry"
    chmod 644 "$apps/$entry"
done
command -v update-mime-database >/dev/null && update-mime-database "$mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$apps" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "Kinerja Desktop ada di menu aplikasi; berkas .kinerja dibuka dengannya."
