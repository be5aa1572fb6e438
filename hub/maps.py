"""The projection of the site's Mediterranean map (inline SVG, no tile server).

Equirectangular over longitude -6..37 and latitude 29.5..46.5, 20 units a
degree; `components/med_land.html` holds the land drawn in the same frame.
"""

MAP_WEST, MAP_EAST = -6.0, 37.0
MAP_SOUTH, MAP_NORTH = 29.5, 46.5
MAP_SCALE = 20.0
MAP_WIDTH = (MAP_EAST - MAP_WEST) * MAP_SCALE
MAP_HEIGHT = (MAP_NORTH - MAP_SOUTH) * MAP_SCALE


def map_point(latitude: float, longitude: float) -> tuple[float, float]:
    """SVG coordinates of a place on the map."""
    return (round((longitude - MAP_WEST) * MAP_SCALE, 1), round((MAP_NORTH - latitude) * MAP_SCALE, 1))


def map_pins(places) -> list[dict]:
    """Pins for pages with `latitude` and `longitude`, labels placed to stay readable.

    A label sits above its pin; near the east edge it ends at the pin instead
    of centring on it, and a pin close to one already placed gets its label
    below, so neighbours such as Birzeit and Amman do not overprint.
    """
    pins: list[dict] = []
    for place in places:
        x, y = map_point(place.latitude, place.longitude)
        crowded = any(abs(x - pin["x"]) < 60 and abs(y - pin["y"]) < 30 for pin in pins)
        pins.append(
            {
                "page": place,
                "x": x,
                "y": y,
                "label_y": round(y + 28 if crowded else y - 14, 1),
                "anchor": "end" if x > MAP_WIDTH - 70 else "middle",
                "label_x": round(x + 8 if x > MAP_WIDTH - 70 else x, 1),
            }
        )
    return pins
