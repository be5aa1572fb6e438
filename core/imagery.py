"""Generated pictures for demo content: deterministic patterns, no downloads.

Each picture is a tiled pattern, reminiscent of textiles and floor tiles, drawn
from a seed string in a palette, so the same seed always gives the same bytes.
"""

import io
import random

from PIL import Image, ImageDraw

PALETTES: dict[str, tuple[str, ...]] = {
    "athens": ("#0b4f6c", "#f4d35e", "#ee964b", "#faf0ca"),
    "prato": ("#6d2e46", "#a26769", "#d5b9b2", "#ece2d0"),
    "sicily": ("#1b998b", "#f46036", "#e2c044", "#fdfffc"),
    "tunis": ("#2e5266", "#d64933", "#e7dfc6", "#6e8898"),
    "birzeit": ("#3d5a45", "#b23a48", "#fcb9b2", "#f2e8cf"),
    "amman": ("#7a4419", "#d7ac5b", "#3e6259", "#f1e3c8"),
}
DEFAULT_PALETTE = ("#234e52", "#e07a5f", "#f2cc8f", "#f4f1de")


def pattern_png(*, seed: str, palette: tuple[str, ...] = DEFAULT_PALETTE, size: tuple[int, int] = (1200, 750)) -> bytes:
    """A PNG of a tiled pattern determined entirely by `seed` and `palette`."""
    rng = random.Random(seed)
    width, height = size
    tile = rng.choice((75, 100, 150))
    image = Image.new("RGB", size, palette[-1])
    draw = ImageDraw.Draw(image)
    for top in range(0, height, tile):
        for left in range(0, width, tile):
            background, foreground = rng.sample(palette, 2)
            box = (left, top, left + tile, top + tile)
            draw.rectangle(box, fill=background)
            motif = rng.randrange(5)
            if motif == 0:
                draw.ellipse(
                    (left + tile * 0.15, top + tile * 0.15, left + tile * 0.85, top + tile * 0.85), fill=foreground
                )
            elif motif == 1:
                corner = rng.choice(((left, top), (left + tile, top), (left, top + tile), (left + tile, top + tile)))
                draw.ellipse((corner[0] - tile, corner[1] - tile, corner[0] + tile, corner[1] + tile), fill=foreground)
            elif motif == 2:
                for offset in range(0, tile, tile // 5):
                    draw.rectangle((left, top + offset, left + tile, top + offset + tile // 10), fill=foreground)
            elif motif == 3:
                draw.polygon([(left, top + tile), (left + tile / 2, top), (left + tile, top + tile)], fill=foreground)
            else:
                draw.rectangle((left + tile * 0.3, top, left + tile * 0.7, top + tile), fill=foreground)
                draw.rectangle((left, top + tile * 0.3, left + tile, top + tile * 0.7), fill=foreground)
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
