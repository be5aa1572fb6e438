"""The home map's pins: each a tap square of its own, crowded ones spread apart, labels clear of each other."""

import pytest
from django.utils import translation

from hub.maps import PHONE_WEST, PIN_TARGET, Box, label_box, map_pins
from hub.models import ClusterPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "el", "it", "ar"])
def test_the_six_clusters_pins_and_labels_never_meet(language):
    with translation.override(language):
        clusters = list(ClusterPage.objects.live().order_by("path"))
        drawn = map_pins(clusters)
    pins = drawn["pins"]
    assert len(pins) == 6
    targets = [Box(p["target_x"], p["target_y"], p["target_x"] + PIN_TARGET, p["target_y"] + PIN_TARGET) for p in pins]
    labels = [label_box(p["side"], p["pin_x"], p["pin_y"], str(p["page"].title)) for p in pins]
    for i, (target, label) in enumerate(zip(targets, labels, strict=True)):
        others = targets[:i] + targets[i + 1 :] + labels[:i] + labels[i + 1 :]
        name = pins[i]["page"].title
        assert not any(target.meets(other) for other in others), f"{name}'s pin meets another pin or label"
        assert not any(label.meets(other) for other in others), f"{name}'s label meets another pin or label"
    # Every pin and label lies in the part of the map that phones show.
    assert drawn["crop"]
    assert min(box.left for box in targets + labels) >= PHONE_WEST


def test_birzeit_and_amman_are_drawn_apart_with_leader_lines_to_their_places():
    with translation.override("en"):
        pins = {str(p["page"].title): p for p in map_pins(ClusterPage.objects.live())["pins"]}
    birzeit, amman = pins["Birzeit"], pins["Amman"]
    assert abs(birzeit["x"] - amman["x"]) < PIN_TARGET  # too close to tap apart where they are
    assert birzeit["moved"] and amman["moved"]
    assert abs(birzeit["pin_y"] - amman["pin_y"]) >= PIN_TARGET
    assert not pins["Athens"]["moved"]


def test_a_pin_west_of_the_phone_view_keeps_the_whole_map_on_phones():
    class Place:
        title, latitude, longitude = "Valencia", 39.47, -0.38

    assert map_pins([Place()])["crop"] is False
