"""The projection of the site's Mediterranean map (inline SVG, no tile server), and where its pins go.

Equirectangular over longitude -6..37 and latitude 29.5..46.5, 20 units a
degree; `components/med_land.html` holds the land drawn in the same frame.

Pins are tap targets (WCAG 2.5.8: at least 24 x 24 CSS px, none overlapping)
on a map that shrinks with the screen. On a phone the map shows only its part
east of `PHONE_WEST` (hub.css gives the SVG that aspect ratio and the SVG
slices from the east), so a map unit is 0.58 CSS px on a 390 px screen and a
`PIN_TARGET` square is 25 px. Pins closer than that (Birzeit and Amman are 15
units apart) are spread apart, each drawn where it fits and joined to its
true place by a leader line; labels go on the first side where they meet no
other pin or label, measured at their largest (phone) size.
"""

from __future__ import annotations

from dataclasses import dataclass

MAP_WEST, MAP_EAST = -6.0, 37.0
MAP_SOUTH, MAP_NORTH = 29.5, 46.5
MAP_SCALE = 20.0
MAP_WIDTH = (MAP_EAST - MAP_WEST) * MAP_SCALE
MAP_HEIGHT = (MAP_NORTH - MAP_SOUTH) * MAP_SCALE

PHONE_WEST = MAP_WIDTH - 600  # keep in step with `aspect-ratio: 600 / 340` in hub.css
PIN_TARGET = 44.0  # side of the square a pin answers taps in
PIN_GAP = 4.0  # between two pins' squares
LABEL_SIZE = 22.0  # the labels' largest font size (phones, hub.css)
LABEL_ADVANCE = 0.66  # a generous average glyph width of the bold label font, in ems
LABEL_OFFSET = 14.0  # from the pin's centre to the near edge of its label
SIDES = ("end", "start", "below", "above")


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def meets(self, other: Box) -> bool:
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )

    def within(self, left: float, top: float, right: float, bottom: float) -> bool:
        return self.left >= left and self.top >= top and self.right <= right and self.bottom <= bottom


def map_point(latitude: float, longitude: float) -> tuple[float, float]:
    """SVG coordinates of a place on the map."""
    return (round((longitude - MAP_WEST) * MAP_SCALE, 1), round((MAP_NORTH - latitude) * MAP_SCALE, 1))


def _target(x: float, y: float) -> Box:
    half = PIN_TARGET / 2
    return Box(x - half, y - half, x + half, y + half)


def _spread(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Move pins whose squares would meet apart, north and south of each other, within the map."""
    moved = [list(point) for point in points]
    step = PIN_TARGET + PIN_GAP
    low, high = PIN_TARGET / 2, MAP_HEIGHT - PIN_TARGET / 2
    for _round in range(20):
        crowded = False
        for i, a in enumerate(moved):
            for b in moved[i + 1 :]:
                if abs(a[0] - b[0]) >= step or abs(a[1] - b[1]) >= step:
                    continue
                crowded = True
                north, south = (a, b) if a[1] <= b[1] else (b, a)
                push = (step - (south[1] - north[1])) / 2
                north[1], south[1] = north[1] - push, south[1] + push
                # Against the map's edge, the other pin takes the whole move.
                if north[1] < low:
                    south[1] += low - north[1]
                    north[1] = low
                if south[1] > high:
                    north[1] -= south[1] - high
                    south[1] = high
        if not crowded:
            break
    return [(round(x, 1), round(y, 1)) for x, y in moved]


def label_box(side: str, x: float, y: float, text: str) -> Box:
    """The room a label takes beside its pin, at its largest (phone) size, on `side`."""
    width = len(text) * LABEL_SIZE * LABEL_ADVANCE
    half = LABEL_SIZE * 0.6
    if side == "end":
        return Box(x + LABEL_OFFSET, y - half, x + LABEL_OFFSET + width, y + half)
    if side == "start":
        return Box(x - LABEL_OFFSET - width, y - half, x - LABEL_OFFSET, y + half)
    if side == "below":
        return Box(x - width / 2, y + LABEL_OFFSET, x + width / 2, y + LABEL_OFFSET + 2 * half)
    return Box(x - width / 2, y - LABEL_OFFSET - 2 * half, x + width / 2, y - LABEL_OFFSET)


def _label_position(side: str, x: float, y: float) -> dict:
    """Where the label's text is anchored (its middle line, `dominant-baseline: central`)."""
    half = LABEL_SIZE * 0.6
    label_x, label_y, anchor = {
        "end": (x + LABEL_OFFSET, y, "start"),
        "start": (x - LABEL_OFFSET, y, "end"),
        "below": (x, y + LABEL_OFFSET + half, "middle"),
        "above": (x, y - LABEL_OFFSET - half, "middle"),
    }[side]
    return {"label_x": round(label_x, 1), "label_y": round(label_y, 1), "anchor": anchor}


def map_pins(places) -> dict:
    """Pins for pages with `latitude`, `longitude` and `title`: where each is drawn and labelled.

    Returns `{"pins": [...], "crop": bool}`; each pin has `page`, its true
    place (`x`, `y`), where it is drawn (`pin_x`, `pin_y`; a leader line joins
    the two when they differ), its tap square (`target_x`, `target_y`,
    `target_size`) and its label (`label_x`, `label_y`, `anchor`). `crop` is
    true when every pin and label lies in the part of the map phones show.
    """
    places = list(places)
    points = [map_point(place.latitude, place.longitude) for place in places]
    drawn = _spread(points)
    targets = [_target(x, y) for x, y in drawn]
    labels: list[Box] = []
    pins = []
    for index, (place, (x, y), (pin_x, pin_y)) in enumerate(zip(places, points, drawn, strict=True)):
        others = targets[:index] + targets[index + 1 :]
        text = str(place.title)
        candidates = [(side, label_box(side, pin_x, pin_y, text)) for side in SIDES]
        fitting = [
            (side, box)
            for side, box in candidates
            if box.within(0, 0, MAP_WIDTH, MAP_HEIGHT) and not any(box.meets(other) for other in others + labels)
        ]
        phone_fitting = [(side, box) for side, box in fitting if box.left >= PHONE_WEST]
        side, box = (phone_fitting or fitting or candidates)[0]
        labels.append(box)
        target = targets[index]
        pins.append(
            {
                "page": place,
                "x": x,
                "y": y,
                "pin_x": pin_x,
                "pin_y": pin_y,
                "moved": (x, y) != (pin_x, pin_y),
                "target_x": round(target.left, 1),
                "target_y": round(target.top, 1),
                "target_size": PIN_TARGET,
                "side": side,
                **_label_position(side, pin_x, pin_y),
            }
        )
    crop = all(min(target.left, label.left) >= PHONE_WEST for target, label in zip(targets, labels, strict=True))
    return {"pins": pins, "crop": crop}
