"""Sample server JSON shaped like real-data.md, shared by the model tests."""

from __future__ import annotations

import copy

NODE_POLE = {
    "id": "-M2YUhu9X9vNaY5wFU3T",
    "latitude": 40.10706582519959,
    "longitude": -77.02798504379128,
    "button": "aerial",
    "_created": {"method": "desktop", "timestamp": 1584366709987, "uid": "u1"},
    "last_updated": "2026-05-01T13:22:10Z",
    "attributes": {
        "node_type": {"-M2YUoGiES_oIGV-vBPv": "pole"},
        "scid": {"auto_button": "004"},
        "pole_height": {"one": "45"},
        "pole_class": {"one": "4"},
        "measured_pole_height": {"one": "37.9"},
        "pole_species": {"one": "Southern Pine"},
        "pole_tag": {
            "multi_added": {"company": "Power Co", "owner": False, "tagtext": "20184 28261"}
        },
        "done": {"-M2YpKGiES_oIGV-vBPx": True},
        "field_completed": {"value": True},
        "note": {
            "-OPWRVKh0JHKTnZrY8O5": "This is a note",
            "-OPWRVYCKdxh34WoQXAv": "This is another note",
        },
        "time_bucket": {
            "-4IYb_xfJQs3RibCe2j": {"start": 1584366709987, "stop": 1584366772084, "uid": "u1"}
        },
        "vantage_point": {"auto_button": {"latitude": 40.1069, "longitude": -77.0279}},
    },
    "photos": {
        "03e35fde-c41d-4597-bc7b-b1f10273104f": {"association": True},
        "df0e7121-4d1a-0e65-9731-b82248c063be": {"association": "main"},
    },
}

NODE_2 = {
    "id": "-NSGzkSK3-7ce4VJo9fX",
    "latitude": "40.1070",  # string number
    "longitude": "-77.0280",
    "attributes": {"node_type": {"-NSGzkSK3-7ce4VJo9fa": "pole"}, "pole_height": {"one": 40}},
}

NODE_3 = {"id": "-NSGzjoK3bNio0SZWe2C", "latitude": 40.1076, "longitude": -77.0287}  # no attributes

CONNECTION = {
    "id": "-MJ93SdtSMBWcCWdRBFN",
    "node_id_1": "-NSGzkSK3-7ce4VJo9fX",
    "node_id_2": "-NSGzjoK3bNio0SZWe2C",
    "button": "aerial",
    "attributes": {"connection_type": {"button_added": "aerial cable"}},
    "breakpoints": [[40.1071, -77.0281], [40.1074, -77.0285]],
    "sections": {
        "midpoint_section": {
            "latitude": 40.1072,
            "longitude": -77.0283,
            "multi_attributes": {"note": {"-Nx0000000000000000a": "tree contact"}},
            "photos": {"7d1c0000-0000-0000-0000-000000000000": {"association": "main"}},
        }
    },
}

CONNECTION_ORPHAN = {
    "id": "-MJ93SdtSMBWcCWdRBFX",
    "node_id_1": "-NSGzkSK3-7ce4VJo9fX",
    "node_id_2": "-Missing000000000000",
    "breakpoints": None,
    "attributes": {"connection_type": {"button_added": "reference"}},
    "sections": {"midpoint_section": {"latitude": 40.1, "longitude": -77.0}},
}

PHOTO = {
    "id": "03e35fde-c41d-4597-bc7b-b1f10273104f",
    "filename": "IMG_1.jpg",
    "date_taken": 1584366710,
}


def job():
    """(nodes, connections, photos) as the three list routes return them (deep copies)."""
    return (
        copy.deepcopy([NODE_POLE, NODE_2, NODE_3]),
        copy.deepcopy([CONNECTION, CONNECTION_ORPHAN]),
        copy.deepcopy([PHOTO]),
    )
