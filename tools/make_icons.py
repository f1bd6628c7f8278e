"""Draw the program's icon: a green shield with a gold rim and a white "K".

Writes ``resources/icons/kinerja.png`` (256 px) and ``resources/icons/kinerja.ico`` (16 to
256 px, for the Windows executable and installer). Needs Pillow; run it again only when the
design changes (the pictures are committed):

    .venv/bin/python tools/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (27, 107, 58, 255)
GREEN_DARK = (18, 78, 42, 255)
GOLD = (212, 160, 23, 255)
WHITE = (255, 255, 255, 255)
SIZE = 1024  # drawn large, then scaled down smoothly

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"


def _bezier(p0, p1, p2, steps=48):
    pts = []
    for i in range(steps + 1):
        t = i / steps
        x = (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0]
        y = (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1]
        pts.append((x, y))
    return pts


def shield(inset: float) -> list[tuple[float, float]]:
    """The shield outline, ``inset`` pixels inside the outer edge."""
    left, right, top = 136 + inset, SIZE - 136 - inset, 96 + inset
    shoulder = 560
    tip = (SIZE / 2, SIZE - 56 - inset * 1.4)
    pts = _bezier((left, top + 40), (SIZE / 2, top - 60), (right, top + 40))
    pts += [(right, shoulder)]
    pts += _bezier((right, shoulder), (right, tip[1] - 170), tip)[1:]
    pts += _bezier(tip, (left, tip[1] - 170), (left, shoulder))[1:]
    return pts


def letter_k() -> list[list[tuple[float, float]]]:
    stem = [(300, 250), (420, 250), (420, 770), (300, 770)]
    arm = [(420, 520), (640, 250), (790, 250), (420, 700)]
    leg = [(505, 485), (590, 415), (800, 770), (660, 770)]
    # scaled to sit inside the shield's narrowing lower half
    cx, cy, k = 545, 510, 0.8
    return [[(cx + (x - cx) * k, cy + (y - cy) * k - 20) for x, y in part] for part in (stem, arm, leg)]


def draw() -> Image.Image:
    img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.polygon(shield(0), fill=GOLD)
    d.polygon(shield(44), fill=GREEN_DARK)
    d.polygon(shield(64), fill=GREEN)
    for part in letter_k():
        d.polygon(part, fill=WHITE)
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.LANCZOS).save(OUT / "kinerja.png", optimize=True)
    big.resize((256, 256), Image.LANCZOS).save(
        OUT / "kinerja.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
    )
    print(f"wrote {OUT / 'kinerja.png'} and {OUT / 'kinerja.ico'}")


if __name__ == "__main__":
    main()
